"""CUSCAR (D95B) parsing, segment group by segment group, with hand-written messages that
follow the UN/EDIFACT directory, and broken ones refused with message, segment and reason."""

from __future__ import annotations

import pytest

from tests.ports import scenario
from traza.ports.cuscar import parse_text
from traza.ports.cuscar_write import interchange
from traza.ports.errors import PortDataRefused

GOOD = """UNA:+.? '
UNB+UNOC:3+MSCPE+SUNAT+250601:0900+42'
UNH+1+CUSCAR:D:95B:UN'
BGM+85+MAN-2025-0601+9'
DTM+137:202505300900:203'
TDT+20+101E+1++MSC:172:20+++9000001:146:11:MSC ALFA'
LOC+5+PECLL'
DTM+133:20250601:102'
EQD+CN+CSQU3054383+45R1:102:5+++5'
MEA+AAE+VGM+KGM:24800'
MEA+AAE+T+KGM:4800'
TMP+2+-18:CEL'
SEL+ML1234567+CA'
SEL+SN998877+SH'
EQD+CN+CSQU3054384+45G1:102:5+++5'
MEA+AAE+VGM+KGM:13800'
SEL+ML7654321+CA'
CNI+1+MSCU0001'
RFF+BM:MSCU0001'
LOC+76+COBUN'
LOC+9+PECLL'
LOC+13+PECLL'
LOC+11+BEANR'
LOC+7+BEANR'
NAD+CZ+20100000001:160:ZZZ++CAFETALERA ANDINA SAC'
NAD+CN+++FRUIT IMPORT BV'
NAD+N1+12345678:160:ZZZ++JUAN PEREZ'
GID+1+1200:BG'
FTX+AAA+++CAFE VERDE EN GRANO:ORGANICO'
MEA+AAE+G+KGM:20000'
SGP+CSQU3054383+1200'
PCI+24+LOGO ESCORPION:HS 0901.11'
GID+2+10:DR'
FTX+AAA+++ACIDO FORMICO'
MEA+AAE+G+KGM:10000'
SGP+CSQU3054384+10'
DGS+IMD+8+1779'
CST++291511:122:148'
CNI+2+HBL-77'
RFF+BH:HBL-77'
RFF+MB:MSCU0001'
NAD+CZ+++NUEVO EMBARCADOR EIRL'
NAD+CN+++TO ORDER'
GID+1+5:PK'
FTX+AAA+++O?'BRIEN?+SONS SAMPLES'
MEA+AAE+G+KGM:500'
SGP+CSQU3054384+5'
CNT+7:2'
UNT+47+1'
UNZ+1+42'
"""


def parse(text: str = GOOD) -> list:  # type: ignore[type-arg]
    return parse_text(text, "good.edi")


def test_header_and_transport_group() -> None:
    (m,) = parse()
    assert m.manifest_number == "MAN-2025-0601" and m.message_function == "original"
    assert m.transmitted_at is not None and m.transmitted_at.isoformat() == "2025-05-30T09:00:00"
    c = m.call
    assert (c.port, c.direction, c.vessel_name, c.voyage, c.vessel_imo, c.carrier) == \
        ("PECLL", "export", "MSC ALFA", "101E", "9000001", "MSC")
    assert c.departure is not None and c.departure.isoformat() == "2025-06-01"


def test_equipment_group_with_seals() -> None:
    (m,) = parse()
    first, second = m.equipment
    assert (first.container_no, first.check_digit_ok, first.reefer, first.vgm_kg, first.tare_kg, first.full_empty) == \
        ("CSQU3054383", True, True, 24800, 4800, "full")
    assert [(s.number, s.party) for s in first.seals] == [("ML1234567", "CA"), ("SN998877", "SH")]
    assert second.check_digit_ok is False  # flagged, not refused
    assert second.reefer is False


def test_consignment_group() -> None:
    (m,) = parse()
    master, house = m.documents
    assert (master.bl_number, master.bl_type, master.port_original_loading, master.port_loading,
            master.port_transshipment, master.port_discharge, master.port_final_destination) == \
        ("MSCU0001", "master", "COBUN", "PECLL", "PECLL", "BEANR", "BEANR")
    assert (master.shipper_id, master.shipper_name, master.consignee_name, master.notify_id) == \
        ("20100000001", "CAFETALERA ANDINA SAC", "FRUIT IMPORT BV", "12345678")
    assert (house.bl_number, house.bl_type, house.master_bl, house.consignee_name) == \
        ("HBL-77", "house", "MSCU0001", "TO ORDER")
    assert master.containers == ["CSQU3054383", "CSQU3054384"]


def test_goods_item_group() -> None:
    (m,) = parse()
    coffee, acid = m.documents[0].goods
    assert (coffee.item_no, coffee.packages, coffee.package_type, coffee.gross_kg, coffee.container_no) == \
        (1, 1200, "BG", 20000, "CSQU3054383")
    assert coffee.description == "CAFE VERDE EN GRANO ORGANICO"
    assert coffee.marks == "LOGO ESCORPION HS 0901.11"
    assert coffee.hs_code == "090111"  # from the PCI free text: no CST
    assert (acid.un_number, acid.imdg_class, acid.hs_code) == ("1779", "8", "291511")
    (samples,) = m.documents[1].goods
    assert samples.description == "O'BRIEN+SONS SAMPLES"  # release character honoured


def test_round_trip_through_the_writer() -> None:
    mans = scenario.manifests()
    back = parse_text(interchange(mans), "rt.edi")
    for a, b in zip(mans, back, strict=True):
        b.source_format, b.file_name = a.source_format, a.file_name
        assert a.content_hash() == b.content_hash()


def _refusal(text: str) -> tuple[str, str, str]:
    with pytest.raises(PortDataRefused) as exc:
        parse_text(text, "bad.edi")
    p = exc.value.problems[0]
    assert p.file == "bad.edi"
    return p.where, p.column, p.reason


@pytest.mark.parametrize(("old", "new", "segment", "reason"), [
    ("UNH+1+CUSCAR:D:95B:UN'", "UNH+1+IFTMIN:D:95B:UN'", "UNH", "expected CUSCAR"),
    ("UNH+1+CUSCAR:D:95B:UN'", "UNH+1+CUSCAR:D:93A:UN'", "UNH", "D:95B or later"),
    ("BGM+85+MAN-2025-0601+9'", "BGM+85+MAN-2025-0601+7'", "BGM", "message function"),
    ("LOC+11+BEANR'", "LOC+11+ANTWERP'", "LOC", "not a UN/LOCODE"),
    ("DGS+IMD+8+1779'", "DGS+IMD+8+17X9'", "DGS", "not a UN number"),
    ("MEA+AAE+G+KGM:20000'", "MEA+AAE+G+KGM:twenty'", "MEA", "not a number"),
    ("SGP+CSQU3054383+1200'", "SGP+MSKU1234565+1200'", "CNI", "no EQD declares"),
    ("UNT+47+1'", "UNT+47+2'", "UNT", "differs from UNH"),
    ("LOC+5+PECLL'", "LOC+8+PECLL'", "TDT", "LOC+60"),
    ("CST++291511:122:148'", "CST++29X:122:148'", "CST", "HS code"),
    ("SEL+ML7654321+CA'", "SEL++CA'", "SEL", "no seal number"),
    ("GID+2+10:DR'", "GID+X+10:DR'", "GID", "not a number"),
    ("RFF+BM:MSCU0001'\n", "XYZ+1'\n", "XYZ", "not expected"),
])
def test_broken_messages_are_refused_with_message_segment_and_reason(old: str, new: str, segment: str,
                                                                     reason: str) -> None:
    assert old in GOOD
    message, seg, why = _refusal(GOOD.replace(old, new, 1))
    assert message == "message 1"
    assert segment in seg
    assert reason in why


def test_truncated_message() -> None:
    cut = GOOD[: GOOD.index("UNT+")]
    message, seg, why = _refusal(cut)
    assert (message, seg) == ("message 1", "UNT") and "truncated" in why


def test_one_bad_message_refuses_the_file() -> None:
    two = GOOD.replace("UNZ+1+42'", "") + GOOD.split("UNB+UNOC:3+MSCPE+SUNAT+250601:0900+42'\n")[1].replace(
        "UNH+1+", "UNH+2+").replace("UNT+47+1'", "UNT+47+2'").replace("LOC+11+BEANR'", "LOC+11+??'")
    with pytest.raises(PortDataRefused) as exc:
        parse_text(two, "two.edi")
    assert [p.where for p in exc.value.problems] == ["message 2"]


def test_not_edifact_at_all() -> None:
    message, seg, why = _refusal("hello world")
    assert (message, seg) == ("line 1", "UNA/UNB") and "expected an EDIFACT interchange starting with UNA or UNB" in why
