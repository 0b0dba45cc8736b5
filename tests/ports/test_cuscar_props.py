"""Property tests of the CUSCAR reader: whatever the bytes, it accepts the interchange or
refuses it naming message, segment and reason; it never raises anything else."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from traza.ports.cuscar import parse_text, read
from traza.ports.errors import PortDataRefused

CORPUS = sorted((Path(__file__).parent / "corpus").glob("*.edi"))
SEEDS = [p.read_text(encoding="utf-8") for p in CORPUS]
# the syntax's own characters, and what an attacker adds: NUL and other controls, BOM and
# zero-width characters, full-width letters and digits, Arabic-Indic digits, other scripts
HOSTILE = ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\ufeff", "\u200b", "\u200d", "\u2060", "\u00ad", "\u202e",
           "Ｕ", "Ｎ", "＇", "＋", "：", "０", "９", "٣", "۷", "ß", "ﬁ", "Ω", "\r", "\t"]
EDIFACT_CHARS = st.sampled_from(list("+:'?UNHTBGMEQDCSLIPX0123456789 \n.-") + HOSTILE)


def accept_or_refuse(text: str) -> None:
    try:
        out = parse_text(text, "fuzz.edi")
    except PortDataRefused as exc:
        assert exc.problems
        for p in exc.problems:
            assert p.file == "fuzz.edi" and p.where and p.column and p.reason
        return
    assert isinstance(out, list) and out
    for m in out:
        assert m.documents and m.call.port


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_seed_corpus(path: Path) -> None:
    accept_or_refuse(path.read_text(encoding="utf-8"))


def test_corpus_has_good_and_bad() -> None:
    results = []
    for text in SEEDS:
        try:
            parse_text(text, "x")
            results.append(True)
        except PortDataRefused:
            results.append(False)
    assert any(results) and not all(results)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 4))):
        if not text:
            break
        i = draw(st.integers(0, len(text) - 1))
        j = draw(st.integers(i, min(len(text), i + 40)))
        op = draw(st.sampled_from(("delete", "insert", "duplicate", "replace")))
        if op == "delete":
            text = text[:i] + text[j:]
        elif op == "insert":
            text = text[:i] + draw(st.text(EDIFACT_CHARS, max_size=12)) + text[i:]
        elif op == "duplicate":
            text = text[:j] + text[i:j] + text[j:]
        else:
            text = text[:i] + draw(st.text(EDIFACT_CHARS, min_size=1, max_size=8)) + text[j:]
    return text


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_interchanges_are_accepted_or_refused(text: str) -> None:
    accept_or_refuse(text)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(max_size=300))
def test_arbitrary_text_is_refused_or_accepted(text: str) -> None:
    accept_or_refuse(text)


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(), st.sampled_from(["utf-8", "latin-1", "utf-16"]))
def test_mutated_files_in_any_encoding_are_accepted_or_refused(tmp_path_factory: pytest.TempPathFactory, text: str,
                                                               encoding: str) -> None:
    """Through ``read`` (bytes, as ``traza ports load`` reads them): encodings too."""
    path = tmp_path_factory.mktemp("edi") / "fuzz.edi"
    path.write_bytes(text.encode(encoding, "replace"))
    try:
        out = read(path)
    except PortDataRefused as exc:
        assert all(p.file == "fuzz.edi" and p.where and p.column and p.reason for p in exc.problems)
        return
    for m in out:
        assert m.documents and m.call.port
        assert "\\x00" not in repr(m) and "\\u200b" not in repr(m)
