"""The EDIFACT envelope around CUSCAR messages: what a file must start with, the character
sets a UNB syntax identifier may declare, and the UNB ... UNZ checks that warn rather than
refuse (the messages inside were read whole)."""

from __future__ import annotations

from typing import Any

from traza.core.rejection import Rejection
from traza.ports.errors import PortDataRefused, at_line, in_message


def el(seg: Any, i: int) -> str:
    """Element i of a segment, its first component when it has several ('' when absent)."""
    els = seg.elements
    if i >= len(els):
        return ""
    v = els[i][0] if isinstance(els[i], list) and els[i] else els[i]
    return "" if v is None or isinstance(v, list) else str(v)


# Character sets a UNB syntax identifier declares (ISO 9735): a file that is not UTF-8 is read
# in the one its envelope names, and the load says so; with no such declaration it is refused.
CHARSETS = {"UNOA": "ascii", "UNOB": "ascii", "UNOC": "latin-1", "UNOD": "iso8859-2", "UNOE": "iso8859-5",
             "UNOF": "iso8859-7", "UNOG": "iso8859-3", "UNOH": "iso8859-4", "UNOI": "iso8859-6",
             "UNOJ": "iso8859-8", "UNOK": "iso8859-9"}


def not_edifact(file_name: str, start: str) -> PortDataRefused:
    return PortDataRefused([at_line(file_name, 1, "UNA/UNB", f"starts with {start}: expected an EDIFACT "
                                                                     "interchange starting with UNA or UNB")])


def envelope(segments: list[Any], messages: int, file_name: str) -> list[Rejection]:
    """Warnings on the interchange's UNB ... UNZ envelope (nothing when there is no UNB)."""
    unb = next((s for s in segments if s.tag == "UNB"), None)
    if unb is None:
        return []
    unz = next((s for s in reversed(segments) if s.tag == "UNZ"), None)
    if unz is None:
        return [in_message(file_name, "interchange", "UNZ", f"the interchange has no UNZ trailer (truncated?): its "
                                                         f"{messages} message(s) were kept; check none is missing")]
    out = []
    if el(unz, 0) != str(messages):
        out.append(in_message(file_name, "interchange", "UNZ", f"UNZ counts {el(unz, 0)!r} messages, the interchange "
                                                            f"has {messages}; check none is missing"))
    if el(unz, 1) != el(unb, 4):
        out.append(in_message(file_name, "interchange", "UNZ", f"UNZ reference {el(unz, 1)!r} differs from UNB "
                                                            f"{el(unb, 4)!r}"))
    return out


def split_messages(segments: list[Any]) -> list[tuple[str, list[Any], str | None]]:
    """(reference, segments, what closed it without a UNT) of each message: a message with
    no UNT ends at the next UNH or at the interchange's UNZ (never swallows them)."""
    out: list[tuple[str, list[Any], str | None]] = []
    current: list[Any] | None = None
    for seg in segments:
        if seg.tag in ("UNH", "UNZ", "UNE") and current is not None:
            ref, segs, _ = out[-1]
            out[-1] = (ref, segs, seg.tag)
            current = None
        if seg.tag == "UNH":
            current = [seg]
            out.append((el(seg, 0) or "?", current, None))
        elif current is not None:
            current.append(seg)
            if seg.tag == "UNT":
                current = None
    return out
