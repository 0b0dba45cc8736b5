"""UN/EDIFACT CUSCAR (directory D95B and later) read through pydifact, walked segment group by
segment group:

    UNH BGM DTM* RFF* NAD* | TDT (vessel, voyage) LOC+60/5 DTM+132/133
    | EQD (container) MEA+AAE(VGM/T) TMP SEL* | CNI (consignment) RFF+BM/BH/MB LOC+76/9/13/11/7
      NAD+CZ/CN/N1 | GID (goods item) FTX+AAA MEA+AAE+G SGP DGS PCI CST | CNT? UNT

A message that breaks the directory is refused with its reference, the segment (tag and
position) and the reason; a file is loaded only if all of its messages are good.
"""

from __future__ import annotations

import re
import warnings as warnings_module
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from traza.core.rejection import Rejection
from traza.core.text import BadText
from traza.ports.edifact import CHARSETS, envelope, not_edifact, split_messages
from traza.ports.errors import PortDataRefused, in_message
from traza.ports.model import (
    Document,
    Equipment,
    GoodsItem,
    Manifest,
    Seal,
    VesselCall,
    container_check,
)
from traza.ports.parse_common import (
    clean_component,
    day,
    decode_utf8,
    hs6,
    locode,
    moment,
    number,
    un_number,
)

FUNCTION = {"9": "original", "5": "replacement", "4": "change"}
_DIRECTORY = re.compile(r"^D(\d{2})([A-C])$")
_HS_TEXT = re.compile(r"\bHS\s*:?\s*(\d{4}\.?\d{2}(?:\.?\d{2})?)", re.IGNORECASE)
_PARTY = {"CZ": "shipper", "CN": "consignee", "N1": "notify"}
_LOCS = {"76": "port_original_loading", "9": "port_loading", "13": "port_transshipment",
         "11": "port_discharge", "7": "port_final_destination"}


class _Refuse(Exception):  # noqa: N818 - internal control flow
    def __init__(self, segment: str, reason: str) -> None:
        self.segment, self.reason = segment, reason


def _el(seg: Any, i: int, j: int = 0) -> str:
    """Component j of element i ('' when absent); pydifact gives str or list per element."""
    els = seg.elements
    if i >= len(els):
        return ""
    v = els[i]
    if isinstance(v, list):
        return str(v[j]) if j < len(v) and v[j] is not None else ""
    return str(v) if j == 0 and v is not None else ""


def _directory_ok(version: str, release: str) -> bool:
    m = _DIRECTORY.match(f"{version}{release}".upper())
    if not m:
        return False
    year = int(m.group(1))
    # D95B and later: D95B, D96A..D99B, then D00A.. (two-digit years after 2000)
    return (year, m.group(2)) >= (95, "B") if year >= 90 else True


class _Walker:
    def __init__(self, segments: Sequence[Any], file_name: str, ref: str) -> None:
        self.segs, self.file_name, self.ref = segments, file_name, ref
        self.i = 0
        self.warnings: list[Rejection] = []
        # What came after the message when it has no UNT: the next UNH or the UNZ (its end
        # is known, so it is kept with a warning), or nothing (cut short: refused).
        self.followed_by: str | None = None
        self.not_containers: set[str] = set()  # ids of EQD equipment other than containers

    def clean(self) -> None:
        """Every component of every segment in its one reading (``clean_component``), before
        any is looked at."""
        for k, seg in enumerate(self.segs):
            if not re.fullmatch(r"[A-Z0-9]{3}", seg.tag):
                raise _Refuse(f"segment {k + 1}", f"tag {ascii(seg.tag)[:40]}: expected three letters or digits")
            try:
                for i, v in enumerate(seg.elements):
                    if isinstance(v, list):
                        seg.elements[i] = [None if c is None else clean_component(seg.tag, k, i, j, c)
                                           for j, c in enumerate(v)]
                    elif v is not None:
                        seg.elements[i] = clean_component(seg.tag, k, i, 0, v)
            except BadText as exc:
                raise _Refuse(exc.field, exc.reason) from exc

    def where(self, seg: Any) -> str:
        return f"{seg.tag} (segment {self.i + 1})"

    def refuse(self, seg: Any, reason: str) -> _Refuse:
        return _Refuse(self.where(seg), reason)

    def peek(self) -> Any | None:
        return self.segs[self.i] if self.i < len(self.segs) else None

    def take(self) -> Any:
        seg = self.segs[self.i]
        self.i += 1
        return seg

    def group(self, head: str, members: set[str]) -> list[Any]:
        """The segments of one group starting at the current ``head`` segment."""
        out = [self.take()]
        while (s := self.peek()) is not None and s.tag in members:
            out.append(self.take())
        return out

    def loc(self, seg: Any) -> str:
        v, err = locode(_el(seg, 1))
        if err or v is None:
            raise self.refuse(seg, err or "LOC without a location code")
        return v

    def num(self, seg: Any, text: str, what: str) -> float | None:
        v, err = number(text, what)
        if err:
            raise self.refuse(seg, err)
        return v

    def manifest(self) -> Manifest:
        self.clean()
        unh = self.take()
        if unh.tag != "UNH":
            raise self.refuse(unh, "a message must start with UNH")
        if _el(unh, 1, 0) != "CUSCAR":
            raise self.refuse(unh, f"message type {_el(unh, 1, 0)!r}: expected CUSCAR")
        if not _directory_ok(_el(unh, 1, 1), _el(unh, 1, 2)):
            raise self.refuse(unh, f"directory {_el(unh, 1, 1)}:{_el(unh, 1, 2)}: expected D:95B or later")
        bgm = self.peek()
        if bgm is None or bgm.tag != "BGM":
            raise _Refuse(f"segment {self.i + 1}", "BGM must follow UNH")
        self.take()
        number_ = _el(bgm, 1)
        if not number_:
            raise self.refuse(bgm, "BGM has no document number (element 1004)")
        function = FUNCTION.get(_el(bgm, 2) or "9")
        if function is None:
            raise self.refuse(bgm, f"message function {_el(bgm, 2)!r}: expected 9 original, 5 replacement or 4 change")
        transmitted = None
        call: dict[str, Any] = {}
        docs: list[Document] = []
        equipment: list[Equipment] = []
        seen_unt = False
        while (seg := self.peek()) is not None:
            tag = seg.tag
            if tag == "DTM" and _el(seg, 0, 0) == "137":
                self.take()
                transmitted, err = moment(_el(seg, 0, 1))
                if err:
                    raise self.refuse(seg, err)
            elif tag == "TDT":
                self._tdt(self.group("TDT", {"LOC", "DTM", "RFF"}), call)
            elif tag == "EQD":
                eq = self._eqd(self.group("EQD", {"MEA", "TMP", "SEL", "DIM", "RFF"}))
                if eq is not None:
                    equipment.append(eq)
            elif tag == "CNI":
                docs.append(self._cni())
            elif tag == "UNT":
                self.take()
                declared = _el(seg, 0)
                if not declared.isdigit() or int(declared) != self.i:
                    # the message was read whole up to its UNT: kept, but the sender must know
                    self.warnings.append(in_message(self.file_name, f"message {self.ref}", self.where(seg),
                                                 f"UNT counts {declared!r} segments, the message has {self.i}"))
                if _el(seg, 1) != _el(unh, 0):
                    raise self.refuse(seg, f"UNT reference {_el(seg, 1)!r} differs from UNH {_el(unh, 0)!r}")
                seen_unt = True
                break
            elif tag in ("DTM", "RFF", "NAD", "FTX", "GIS", "CNT", "CTA", "COM", "LOC", "TSR"):
                self.take()  # header data traza does not use
            else:
                raise self.refuse(seg, "segment not expected here in CUSCAR")
        if not seen_unt and self.followed_by is None:
            raise _Refuse("UNT", "the message has no UNT and the file ends inside it (truncated?)")
        if not seen_unt:
            self.warnings.append(in_message(self.file_name, f"message {self.ref}", "UNT",
                                            f"the message has no UNT before the {self.followed_by} that follows it: "
                                            "kept; expected UNT+segment count+message reference to close it"))
        if "port" not in call or "vessel_name" not in call or "voyage" not in call:
            raise _Refuse("TDT", "no TDT group naming the vessel, voyage and LOC+60/LOC+5 port of call")
        if not docs:
            raise _Refuse("CNI", "the manifest has no consignment (CNI)")
        known = {e.container_no for e in equipment}
        for d in docs:
            # Goods placed (SGP) in equipment that is no container stay goods of the consignment,
            # in no container: as bulk and break-bulk cargo is.
            d.containers = [c for c in d.containers if c not in self.not_containers]
            for item in d.goods:
                if item.container_no in self.not_containers:
                    item.container_no = None
            for c in d.containers:
                if c not in known:
                    raise _Refuse(d.source_ref, f"SGP names container {c} that no EQD declares")
        vc = VesselCall(call["port"], call["direction"], call["vessel_name"], call["voyage"], call.get("imo"),
                        call.get("carrier"), call.get("arrival"), call.get("departure"))
        return Manifest(vc, number_, function, "cuscar", self.file_name, transmitted, docs, equipment,
                        self.warnings)

    def _tdt(self, group: list[Any], call: dict[str, Any]) -> None:
        tdt = group[0]
        call["voyage"] = _el(tdt, 1)
        call["carrier"] = _el(tdt, 4, 0) or None
        call["imo"] = _el(tdt, 7, 0) or None
        call["vessel_name"] = _el(tdt, 7, 3) or _el(tdt, 7, 0)
        if not call["voyage"] or not call["vessel_name"]:
            raise self.refuse(tdt, "TDT needs the voyage (element 8028) and the vessel (C222)")
        arrive = depart = None
        for seg in group[1:]:
            if seg.tag == "LOC" and _el(seg, 0) == "60":
                arrive = self.loc(seg)
            elif seg.tag == "LOC" and _el(seg, 0) == "5":
                depart = self.loc(seg)
            elif seg.tag == "DTM" and _el(seg, 0, 0) in ("132", "133"):
                d, err = day(_el(seg, 0, 1)[:8])
                if err:
                    raise self.refuse(seg, err)
                call["arrival" if _el(seg, 0, 0) == "132" else "departure"] = d
        if arrive and depart:
            call["port"], call["direction"] = arrive, "transit"
        elif arrive or depart:
            call["port"], call["direction"] = (arrive, "import") if arrive else (depart, "export")
        else:
            raise self.refuse(tdt, "the TDT group needs LOC+60 (arrival) or LOC+5 (departure) at the port of call")

    def _eqd(self, group: list[Any]) -> Equipment | None:
        eqd = group[0]
        if _el(eqd, 0) != "CN":
            # Bulk (BL), trailers (TE), break-bulk...: ordinary at the ports, and no container
            # (ISO 6346 does not apply). The manifest and its consignments are kept; the piece of
            # equipment is said, since traza's equipment records are containers.
            if _el(eqd, 1):  # as SGP will name it, read as it reads a container number
                self.not_containers.update({_el(eqd, 1), container_check(_el(eqd, 1))[0]})
            self.warnings.append(in_message(self.file_name, f"message {self.ref}", self.where(eqd),
                                            f"equipment {_el(eqd, 1)!r} qualified {_el(eqd, 0)!r} is not a container "
                                            "(CN): kept as goods in no container, not as equipment"))
            return None
        raw = _el(eqd, 1)
        if not raw:
            raise self.refuse(eqd, "EQD has no container number")
        cont, ok = container_check(raw)
        size = _el(eqd, 2) or None
        eq = Equipment(cont, ok, size, bool(size and len(size) >= 3 and size[2] == "R"),
                       {"4": "empty", "5": "full"}.get(_el(eqd, 5)))
        for seg in group[1:]:
            if seg.tag == "SEL":
                if not _el(seg, 0):
                    raise self.refuse(seg, "SEL has no seal number")
                eq.seals.append(Seal(_el(seg, 0), _el(seg, 1, 0) or None))
            elif seg.tag == "TMP":
                eq.reefer = True
            elif seg.tag == "MEA" and _el(seg, 0) == "AAE":
                value = self.num(seg, _el(seg, 2, 1), "measure")
                if _el(seg, 1) == "VGM":
                    eq.vgm_kg = value
                elif _el(seg, 1) == "T":
                    eq.tare_kg = value
        return eq

    def _cni(self) -> Document:
        cni = self.take()
        ref = self.where(cni)
        doc = Document(_el(cni, 1), f"CNI {_el(cni, 0)} ({ref})")
        goods: list[GoodsItem] = []
        while (seg := self.peek()) is not None and seg.tag in ("RFF", "LOC", "NAD", "DTM", "GID", "CNT", "TSR", "FTX"):
            if seg.tag == "GID":
                goods.append(self._gid(doc))
                continue
            self.take()
            q = _el(seg, 0, 0)
            if seg.tag == "RFF" and q == "BM":
                doc.bl_number = _el(seg, 0, 1) or doc.bl_number
            elif seg.tag == "RFF" and q == "BH":
                doc.bl_number, doc.bl_type = _el(seg, 0, 1) or doc.bl_number, "house"
            elif seg.tag == "RFF" and q == "MB":
                doc.master_bl = _el(seg, 0, 1) or None
            elif seg.tag == "LOC" and _el(seg, 0) in _LOCS:
                setattr(doc, _LOCS[_el(seg, 0)], self.loc(seg))
            elif seg.tag == "NAD" and _el(seg, 0) in _PARTY:
                role = _PARTY[_el(seg, 0)]
                name = _el(seg, 3) or _el(seg, 2)
                setattr(doc, f"{role}_name", name or None)
                setattr(doc, f"{role}_id", _el(seg, 1, 0) or None)
        if (seg := self.peek()) is not None and seg.tag not in ("CNI", "UNT", "CNT"):
            raise self.refuse(seg, "segment not expected here in CUSCAR")
        if not doc.bl_number:
            raise _Refuse(doc.source_ref, "the consignment has no bill of lading number (CNI 1154 or RFF+BM)")
        if not goods:
            raise _Refuse(doc.source_ref, "the consignment has no goods item (GID)")
        doc.goods = goods
        return doc

    def _gid(self, doc: Document) -> GoodsItem:
        gid = self.take()
        item_no = _el(gid, 0)
        if not item_no.isdigit():
            raise self.refuse(gid, f"goods item number {item_no!r} is not a number")
        pk = self.num(gid, _el(gid, 1, 0), "number of packages")
        item = GoodsItem(int(item_no), None, int(pk) if pk is not None else None, _el(gid, 1, 1) or None)
        texts: list[str] = []
        while (seg := self.peek()) is not None and seg.tag in ("FTX", "MEA", "SGP", "DGS", "PCI", "CST", "HAN", "TMP", "RFF", "DOC", "GIN", "TOD", "LOC"):
            self.take()
            if seg.tag == "FTX" and _el(seg, 0) == "AAA":
                texts.extend(x for x in (_el(seg, 3, k) for k in range(5)) if x)
            elif seg.tag == "MEA" and _el(seg, 0) == "AAE" and _el(seg, 1) in ("G", "AAB"):
                item.gross_kg = self.num(seg, _el(seg, 2, 1), "gross weight")
            elif seg.tag == "SGP":
                cont, _ok = container_check(_el(seg, 0))
                item.container_no = cont
                if cont not in doc.containers:
                    doc.containers.append(cont)
            elif seg.tag == "DGS":
                # DGS: 8273 regulations, C205 hazard code (IMDG class), C234 UNDG number
                un, err = un_number(_el(seg, 2, 0))
                if err:
                    raise self.refuse(seg, err)
                item.un_number, item.imdg_class = un, _el(seg, 1, 0) or None
            elif seg.tag == "PCI":
                marks = " ".join(x for x in (_el(seg, 1, k) for k in range(10)) if x)
                item.marks = marks or item.marks
                if not item.hs_code and (m := _HS_TEXT.search(marks)):
                    item.hs_code = hs6(m.group(1))
            elif seg.tag == "CST":
                code = _el(seg, 1, 0)
                if code and not hs6(code):
                    raise self.refuse(seg, f"customs goods code {code!r}: expected an HS code of 6+ digits")
                item.hs_code = hs6(code) or item.hs_code
        item.description = " ".join(texts) or None
        return item


def parse_text(text: str, file_name: str, warnings: list[Rejection] | None = None) -> list[Manifest]:
    """All CUSCAR messages of an interchange; refuses the whole file if any message is bad.
    What is kept but wrong in the envelope (no UNZ, a UNZ or UNT count that does not match)
    is a warning on the last message kept, with ``warnings`` (from the reader) before it."""
    from pydifact.segmentcollection import RawSegmentCollection

    text = text.removeprefix("\ufeff").lstrip()
    if not text.startswith(("UNA", "UNB", "UNH")):
        raise not_edifact(file_name, ascii(text[:12]))
    try:
        with warnings_module.catch_warnings():
            warnings_module.simplefilter("ignore")
            segments = list(RawSegmentCollection.from_str(text).segments)
    except Exception as exc:  # pydifact raises several types for broken syntax
        refs = re.findall(r"UNH\+([^+':]{1,14})", text)
        where = f"message {refs[-1]}" if refs else "interchange"
        raise PortDataRefused([in_message(file_name, where, "syntax", f"not readable as EDIFACT: {exc}"
                                       f"{' (the file ends inside a segment: truncated?)' if 'end of EDI' in str(exc) else ''}")]) from exc
    problems: list[Rejection] = []
    out: list[Manifest] = []
    messages = split_messages(segments)
    if not messages:
        raise PortDataRefused([in_message(file_name, "interchange", "UNH", "no message (UNH ... UNT) in the interchange")])
    for ref, segs, followed_by in messages:
        w = _Walker(segs, file_name, ref)
        w.followed_by = followed_by
        try:
            out.append(w.manifest())
        except _Refuse as r:
            problems.append(in_message(file_name, f"message {ref}", r.segment, r.reason))
        except Exception as exc:  # a shape the walker did not foresee still names the message
            problems.append(in_message(file_name, f"message {ref}", f"segment {w.i + 1}", f"cannot be read: {exc}"))
    if problems:
        raise PortDataRefused(problems)
    out[-1].warnings[:0] = [*(warnings or []), *envelope(segments, len(messages), file_name)]
    return out


def read(path: Path) -> list[Manifest]:
    data = path.read_bytes()
    head = data.removeprefix(b"\xef\xbb\xbf").lstrip()
    if not head.startswith((b"UNA", b"UNB", b"UNH")):  # before decoding: garbage is not "bad UTF-8"
        raise not_edifact(path.name, str(head[:12])[1:])
    declared = re.search(rb"UNB\+(UNO[A-Z])", data[:512])
    syntax = declared.group(1).decode() if declared else ""
    charset = CHARSETS.get(syntax, "ascii")
    try:
        text = decode_utf8(data, path.name)
    except PortDataRefused as refused:
        if charset == "ascii":
            p = refused.problems[0]
            raise PortDataRefused([replace(p, reason=p.reason.replace(
                "expected UTF-8 text (save the file as UTF-8)", "expected UTF-8, or the character set its UNB "
                "syntax identifier declares (UNOC: ISO 8859-1 ... UNOK: ISO 8859-9)"))]) from None
        note = in_message(path.name, "interchange", "UNB", f"not UTF-8: read as {charset.upper()}, the character set "
                                                         f"its syntax identifier {syntax} declares")
        return parse_text(data.decode(charset), path.name, [note])
    return parse_text(text, path.name)
