"""Write a manifest as a CUSCAR D95B message (the simulator's CUSCAR files; round-trip tests).
The inverse of ``cuscar.py``: what it writes, the reader reads back to the same manifest."""

from __future__ import annotations

from datetime import datetime

from traza.core.jurisdiction import jurisdiction
from traza.ports.model import Document, Manifest

_FUNC = {"original": "9", "replacement": "5", "change": "4"}


def _esc(text: str) -> str:
    for ch in "?+:'":
        text = text.replace(ch, "?" + ch)
    return text


def _seg(*elements: str | tuple[str, ...]) -> str:
    parts = [_composite(e) if isinstance(e, tuple) else _esc(e) for e in elements]
    while parts and not parts[-1]:
        parts.pop()  # trailing empty elements are left out, as the syntax rules ask
    return "+".join(parts) + "'"


def _composite(comps: tuple[str, ...]) -> str:
    items = list(comps)
    while items and not items[-1]:
        items.pop()
    return ":".join(_esc(c) for c in items)


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(v)


def message(man: Manifest, ref: str) -> list[str]:
    call = man.call
    segs = [_seg("UNH", ref, ("CUSCAR", "D", "95B", "UN")),
            _seg("BGM", "85", man.manifest_number, _FUNC[man.message_function])]
    if man.transmitted_at:
        segs.append(_seg("DTM", ("137", man.transmitted_at.strftime("%Y%m%d%H%M"), "203")))
    segs.append(_seg("TDT", "20", call.voyage, "1", "", (call.carrier or "",), "", "",
                     (call.vessel_imo or "", "146", "11", call.vessel_name)))
    if call.direction in ("import", "transit"):
        segs.append(_seg("LOC", "60", call.port))
    if call.direction in ("export", "transit"):
        segs.append(_seg("LOC", "5", call.port))
    if call.arrival:
        segs.append(_seg("DTM", ("132", call.arrival.strftime("%Y%m%d"), "102")))
    if call.departure:
        segs.append(_seg("DTM", ("133", call.departure.strftime("%Y%m%d"), "102")))
    for e in man.equipment:
        segs.append(_seg("EQD", "CN", e.container_no, (e.size_type or "", "102", "5") if e.size_type else "",
                         "", "", {"empty": "4", "full": "5"}.get(e.full_empty or "", "")))
        if e.vgm_kg is not None:
            segs.append(_seg("MEA", "AAE", "VGM", ("KGM", _num(e.vgm_kg))))
        if e.tare_kg is not None:
            segs.append(_seg("MEA", "AAE", "T", ("KGM", _num(e.tare_kg))))
        if e.reefer and not (e.size_type and len(e.size_type) >= 3 and e.size_type[2] == "R"):
            segs.append(_seg("TMP", "2", ("-18", "CEL")))
        for s in e.seals:
            segs.append(_seg("SEL", s.number, (s.party or "",)))
    for n, d in enumerate(man.documents, start=1):
        segs.extend(_cni(n, d))
    segs.append(_seg("UNT", str(len(segs) + 1), ref))
    return segs


def _cni(n: int, d: Document) -> list[str]:
    out = [_seg("CNI", str(n), d.bl_number)]
    out.append(_seg("RFF", ("BH" if d.bl_type == "house" else "BM", d.bl_number)))
    if d.master_bl:
        out.append(_seg("RFF", ("MB", d.master_bl)))
    for q, attr in (("76", "port_original_loading"), ("9", "port_loading"), ("13", "port_transshipment"),
                    ("11", "port_discharge"), ("7", "port_final_destination")):
        if getattr(d, attr):
            out.append(_seg("LOC", q, getattr(d, attr)))
    for q, role in (("CZ", "shipper"), ("CN", "consignee"), ("N1", "notify")):
        name, pid = getattr(d, f"{role}_name"), getattr(d, f"{role}_id")
        if name or pid:
            out.append(_seg("NAD", q, (pid, "160", "ZZZ") if pid else "", "", name or ""))
    for g in d.goods:
        out.append(_seg("GID", str(g.item_no), (str(g.packages) if g.packages is not None else "", g.package_type or "")))
        if g.description:
            chunks = tuple(g.description[i:i + 70] for i in range(0, len(g.description), 70))[:5]
            out.append(_seg("FTX", "AAA", "", "", chunks))
        if g.gross_kg is not None:
            out.append(_seg("MEA", "AAE", "G", ("KGM", _num(g.gross_kg))))
        if g.container_no:
            out.append(_seg("SGP", g.container_no, str(g.packages or "")))
        if g.un_number:
            out.append(_seg("DGS", "IMD", g.imdg_class or "", g.un_number))
        if g.marks:
            out.append(_seg("PCI", "24", (g.marks,)))
        if g.hs_code:
            out.append(_seg("CST", "", (g.hs_code, "122", "148")))
    return out


def interchange(manifests: list[Manifest], sender: str = "TRAZASIM", when: datetime | None = None) -> str:
    stamp = (when or datetime(2025, 1, 1)).strftime("%y%m%d:%H%M")
    recipient = jurisdiction().customs_authority
    segs = ["UNA:+.? '", _seg("UNB", ("UNOC", "3"), sender, recipient, tuple(stamp.split(":")), "1")]
    for i, man in enumerate(manifests, start=1):
        segs.extend(message(man, str(i)))
    segs.append(_seg("UNZ", str(len(manifests)), "1"))
    return "\n".join(segs) + "\n"
