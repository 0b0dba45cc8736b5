"""Hostile uploads through the API: XML entity expansion, external entities, zip bombs, nested
archives and oversized bodies are refused with a reason (never a 5xx, never a local file read)."""

from __future__ import annotations

import io
import zipfile

from tests.api.conftest import World
from tests.reliability import fuzz


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_hostile_uploads_are_refused_with_a_reason(world: World) -> None:
    c = world.client
    hostile = {name: (fuzz.CORPUS / "xml" / f"{name}.xml").read_bytes()
               for name in ("billion_laughs", "xxe_file", "xxe_utf16", "xinclude", "deep")}
    uploads = [(f"{n}.xml", d) for n, d in hostile.items()]
    uploads.append(("bomb.zip", _zip({"a.xml": b"<a>" + b" " * (50 * 2**20) + b"</a>"})))  # ~50 MiB of spaces
    uploads.append(("nested.zip", _zip({"inner.zip": _zip({"a.xml": b"<a/>"})})))
    uploads.append(("many.zip", _zip({f"x{i}.xml": hostile["xxe_file"] for i in range(50)})))
    for name, data in uploads:
        r = c.post("/v1/declarations/files", headers=world.as_("seller"), files={"file": (name, data, "application/octet-stream")})
        assert r.status_code < 500, f"{name}: {r.status_code}"
        body = r.json()
        text = r.text
        assert "root:x:" not in text, f"{name}: a local file leaked into the answer"
        if r.status_code == 200:
            assert body["status"] == "rejected" and body["rejections"], f"{name}: {body}"
            assert all(rej["reason"] for rej in body["rejections"])
        else:
            assert body["error"]["message"], name
    with world.db() as db:
        stored = " ".join(str(r) for r in db.query("SELECT value, reason FROM rejections"))
    assert "root:x:" not in stored


def test_an_upload_over_the_limit_is_refused_before_reading(world: World) -> None:
    big = b"declarant_ruc\n" + b"x" * (2 * 1024 * 1024)
    r = world.client.post("/v1/declarations/files", headers=world.as_("seller"), files={"file": ("big.csv", big, "text/csv")})
    assert r.status_code == 413 and "bytes" in r.json()["error"]["message"]
