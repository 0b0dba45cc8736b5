"""Operator A acting on operator B, on every declaration write path (issue 16, finding 1).

A (the seller's key, or the seller logged in to the portal) sends rows that name B (the
buyer) as declarant, with the header spelled every way a reader could disagree about: a BOM
and a space, a leading space, a zero-width space, full-width letters, upper case. The one
loader reads them all as ``declarant_ruc`` and refuses B's rows as rows (line, field, value,
"your RUC"); A's own rows load; B's ledger does not change.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from fastapi.testclient import TestClient
from openpyxl import Workbook

from tests.api.conftest import World
from tests.factories import BUYER, SELLER
from tests.ingest.ubl.docs import guide

FULL_WIDTH = "".join(chr(ord(c) + 0xFEE0) if c != "_" else "\uff3f" for c in "declarant_ruc")
HEADERS = {
    "bom and space": "\ufeff declarant_ruc",
    "leading space": " declarant_ruc",
    "zero-width space": "declarant\u200b_ruc",
    "full-width": FULL_WIDTH,
    "upper case": "DECLARANT_RUC",
}
OTHER = ("establishment_code", "date", "type", "chemical", "quantity", "unit", "declaration_id")


def _rows(tag: str) -> list[list[str]]:
    # Line 2 is B's movement, line 3 A's own. The declarant column is not first, as in the
    # attack (a BOM where no reader expects one).
    return [[e, "2025-02-01", "consumption", "sulfuric_acid", "5", "kg", f"{tag}-{n}", ruc]
            for n, (e, ruc) in enumerate((("0000", BUYER), ("0000", SELLER)))]


def _csv(header: str, tag: str) -> bytes:
    lines = [",".join([*OTHER, header])] + [",".join(r) for r in _rows(tag)]
    return ("\n".join(lines) + "\n").encode()


def _xlsx(header: str, tag: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append([*OTHER, header])
    for r in _rows(tag):
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _zip(**docs: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, text in docs.items():
            z.writestr(name, text)
    return buf.getvalue()


def b_ledger(world: World) -> list[tuple[Any, ...]]:
    with world.db() as db:
        return db.query("SELECT movement_id, declaration_id, declarant_ruc, quantity FROM movements "  # type: ignore[no-any-return]
                        "WHERE declarant_ruc = ? OR declaration_id LIKE ? ORDER BY movement_id", (BUYER, f"{BUYER}-%"))


def assert_refused_as_row(out: dict[str, Any], line: int = 2) -> None:
    foreign = [x for x in out["rejections"] if x["column"] == "declarant_ruc"]
    assert [(x["line"], x["value"]) for x in foreign] == [(line, BUYER)], out
    assert f"is not your RUC ({SELLER})" in foreign[0]["reason"]


def test_files_naming_another_declarant_are_refused_row_by_row(world: World) -> None:
    before = b_ledger(world)
    for n, (what, header) in enumerate(HEADERS.items()):
        for kind, content in (("csv", _csv(header, f"C{n}")), ("xlsx", _xlsx(header, f"X{n}"))):
            r = world.client.post("/v1/declarations/files", headers=world.as_("seller"),
                                  files={"file": (f"m.{kind}", content, "application/octet-stream")})
            assert r.status_code == 200, (what, kind, r.text)
            out = r.json()
            assert (out["status"], out["rows_accepted"], out["rows_rejected"]) == ("partial", 1, 1), (what, kind, out)
            assert_refused_as_row(out)
    assert b_ledger(world) == before
    with world.db() as db:  # A's own rows loaded, under the column's one name
        mine = sorted(r[0] for r in db.query("SELECT declaration_id FROM movements WHERE declarant_ruc = ? "
                                             "AND substr(declaration_id, 1, 1) IN ('C', 'X')", (SELLER,)))
    assert mine == sorted(f"{t}{n}-1" for t in "CX" for n in range(len(HEADERS)))


def test_another_operators_file_sent_again_meets_the_ownership_rule(world: World) -> None:
    # Not "already loaded, submission N": that would confirm another firm sent exactly this
    # file, and name its submission.
    content = f"declaration_id,declarant_ruc,establishment_code,date,type,chemical,quantity,unit\nOWN-1,{SELLER},0000,2025-05-01,consumption,acetone,1,kg\n".encode()
    mine = world.client.post("/v1/declarations/files", headers=world.as_("seller"),
                             files={"file": ("m.csv", content, "text/csv")}).json()
    assert mine["status"] == "accepted"
    theirs = world.client.post("/v1/declarations/files", headers=world.as_("buyer"),
                               files={"file": ("m.csv", content, "text/csv")}).json()
    assert theirs["status"] == "rejected" and theirs.get("previous_submission") is None, theirs
    assert "not your RUC" in theirs["rejections"][0]["reason"]
    again = world.client.post("/v1/declarations/files", headers=world.as_("seller"),
                              files={"file": ("m.csv", content, "text/csv")}).json()
    assert again["status"] == "already_loaded"  # its own resend still changes nothing


def test_a_row_of_another_firm_does_not_tell_whether_it_is_registered(world: World) -> None:
    # Refused as another's, and nothing else about it: an "establishment ... is not in the
    # registry" beside it would say which RUCs the registry holds.
    unregistered = "20000999998"  # a valid RUC the registry does not hold
    for ruc in (BUYER, unregistered):
        content = (f"declaration_id,declarant_ruc,establishment_code,date,type,chemical,quantity,unit\n"
                   f"Q-{ruc[-3:]},{ruc},0007,2025-05-01,consumption,acetone,1,kg\n").encode()
        out = world.client.post("/v1/declarations/files", headers=world.as_("seller"),
                                files={"file": ("m.csv", content, "text/csv")}).json()
        reasons = [x["reason"] for x in out["rejections"]]
        assert any("is not your RUC" in r for r in reasons), reasons
        assert not any("registry" in r for r in reasons), reasons


def test_json_batch_naming_another_declarant(world: World) -> None:
    before = b_ledger(world)
    row = {"establishment_code": "0000", "date": "2025-02-01", "type": "consumption", "chemical": "sulfuric_acid",
           "quantity": 5, "unit": "kg"}
    fw_buyer = "".join(chr(ord(c) + 0xFEE0) for c in BUYER)  # B's RUC in full-width digits
    batch = {"movements": [
        {**row, "declaration_id": "J-0", "declarant_ruc": BUYER},
        {**row, "declaration_id": "J-1", "declarant_ruc": fw_buyer},
        {**row, "declaration_id": "J-2", "declarant_ruc": "\u200b" + BUYER},
        {**row, "declaration_id": "J-3"},  # no declarant: the key's operator
    ]}
    out = world.client.post("/v1/declarations/batch", headers=world.as_("seller"), json=batch).json()
    assert (out["rows_accepted"], out["rows_rejected"]) == (1, 3), out
    foreign = sorted((x["line"], x["value"]) for x in out["rejections"] if x["column"] == "declarant_ruc")
    assert foreign == [(2, BUYER), (3, BUYER), (4, BUYER)]  # normalised before the rule reads them
    assert b_ledger(world) == before


def test_ubl_xml_and_zip_of_another_issuer(world: World) -> None:
    before = b_ledger(world)
    fw_buyer = "".join(chr(ord(c) + 0xFEE0) for c in BUYER)
    for name, content in (
        ("theirs.xml", guide("T009-1", seller=BUYER, buyer=SELLER, origin="040101", delivery="150101").encode()),
        ("theirs-fw.xml", guide("T009-2", seller=fw_buyer, buyer=SELLER, origin="040101", delivery="150101").encode()),
        ("lote.zip", _zip(**{"a.xml": guide("T009-3", seller=BUYER, buyer=SELLER, origin="040101",
                                            delivery="150101")})),
    ):
        out = world.client.post("/v1/declarations/files", headers=world.as_("seller"),
                                files={"file": (name, content, "application/octet-stream")}).json()
        assert (out["status"], out["rows_accepted"]) == ("rejected", 0), (name, out)
        [why] = out["rejections"]
        assert why["value"] == BUYER and why["column"].endswith("cac:PartyIdentification/cbc:ID"), (name, why)
        assert f"issuer {BUYER} is not your RUC ({SELLER})" in why["reason"]
    assert b_ledger(world) == before
    # A's own guide with its RUC in full-width digits is A's, stored in ASCII.
    fw_seller = "".join(chr(ord(c) + 0xFEE0) for c in SELLER)
    out = world.client.post("/v1/declarations/files", headers=world.as_("seller"),
                            files={"file": ("T001-7.xml", guide("T001-7", seller=fw_seller).encode(), "text/xml")}).json()
    assert (out["status"], out["rows_accepted"]) == ("accepted", 1), out
    with world.db() as db:
        assert db.query("SELECT declarant_ruc FROM movements WHERE declaration_id = ?",
                        (f"{SELLER}-09-T001-7-1",)) == [(SELLER,)]


def test_xml_upload_keeps_the_clients_file_name(world: World) -> None:
    out = world.client.post("/v1/declarations/files", headers=world.as_("seller"),
                            files={"file": ("../guía T001 1.xml", guide().encode(), "application/xml")}).json()
    assert out["file_name"] == "gu_a_T001_1.xml", out  # never the server's temporary folder
    with world.db() as db:
        assert db.scalar("SELECT file_name FROM submissions WHERE submission_id = ?",
                         (out["submission_id"],)) == "gu_a_T001_1.xml"


def _portal(world: World) -> tuple[TestClient, str]:
    c = TestClient(world.app)
    token = re.search(r'name="csrf" value="([^"]+)"', c.get("/login").text)
    assert token
    assert c.post("/login/operator", data={"csrf": token.group(1), "ruc": SELLER, "api_key": world.keys["seller"]},
                  follow_redirects=False).status_code == 303
    token = re.search(r'name="csrf" value="([^"]+)"', c.get("/portal").text)
    assert token
    return c, token.group(1)


def test_portal_upload_as_operator_a(world: World) -> None:
    before = b_ledger(world)
    c, csrf = _portal(world)
    uploads = [(f"m{n}.csv", _csv(h, f"P{n}")) for n, h in enumerate(HEADERS.values())]
    uploads += [("m.xlsx", _xlsx(HEADERS["bom and space"], "PX")),
                ("theirs.xml", guide("T009-5", seller=BUYER, buyer=SELLER, origin="040101", delivery="150101").encode()),
                ("lote.zip", _zip(**{"b.xml": guide("T009-6", seller=BUYER, buyer=SELLER, origin="040101",
                                                    delivery="150101")}))]
    for name, content in uploads:
        r = c.post("/portal/upload", data={"csrf": csrf}, files={"file": (name, content, "application/octet-stream")},
                   follow_redirects=False)
        assert r.status_code == 303, (name, r.status_code, r.text[-400:])
        sub = int(r.headers["location"].rsplit("/", 1)[1])
        page = c.get(f"/portal/submissions/{sub}").text
        assert f"is not your RUC ({SELLER})" in page, name
        with world.db() as db:
            rows = db.query("SELECT line, column_name, value FROM rejections WHERE submission_id = ?", (sub,))
        if name.endswith((".csv", ".xlsx")):
            assert rows == [(2, "declarant_ruc", BUYER)], (name, rows)
        else:
            assert [(r[0], r[2]) for r in rows] == [(None, BUYER)] and "PartyIdentification" in rows[0][1], (name, rows)
    assert b_ledger(world) == before


def test_a_portal_resend_shows_the_earlier_submission_saying_so(world: World) -> None:
    c, csrf = _portal(world)
    content = (f"declaration_id,declarant_ruc,establishment_code,date,type,chemical,quantity,unit\n"
               f"AGAIN-1,{SELLER},0000,2025-05-01,consumption,acetone,1,kg\n").encode()
    first = c.post("/portal/upload", data={"csrf": csrf}, files={"file": ("a.csv", content, "text/csv")},
                   follow_redirects=False)
    assert first.status_code == 303
    again = c.post("/portal/upload", data={"csrf": csrf}, files={"file": ("a.csv", content, "text/csv")},
                   follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"] == first.headers["location"] + "?again=1"
    page = c.get(again.headers["location"]).text
    assert 'id="again"' in page and "already_loaded" not in page
    assert "No hay ningún envío suyo" in c.get("/portal/submissions/999999").text
