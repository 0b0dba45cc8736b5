"""The rendered report: HTML accessibility (headings in order, alt text on every picture,
table headers with scope), the PDF's first pages rendered to images and not blank, the
Markdown's appendix of queries, and the CLI."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from lxml import html as lxml_html
from typer.testing import CliRunner

from tests.report.fixtures import (
    add_goal,
    add_incident,
    add_inspection,
    add_lab,
    add_port_call,
    add_seizure,
    april_2005,
)
from traza.cli import app
from traza.report import build_report
from traza.report.model import Report
from traza.report.render import to_html, to_markdown, to_pdf
from traza.store import Database, open_database

APRIL = date(2005, 4, 1)


@pytest.fixture
def full_db(tmp_path: Path) -> Database:
    db = open_database(f"duckdb:///{tmp_path / 'report.duckdb'}")
    april_2005(db)
    add_goal(db, "g", 2005, 8000.0)
    add_goal(db, "gh", 2005, 6000.0, axis="Huallaga")
    add_goal(db, "ga", 2005, 1000.0, axis="Aguaytia")
    add_incident(db, "i1", date(2005, 4, 12), "ambush", police_wounded=2, aircraft=3)
    add_lab(db, "l1", date(2005, 4, 24))
    add_seizure(db, "s1", date(2005, 4, 24), "precursor", 300.0, chemical="KMNO4", seller_ruc="20100070970")
    add_port_call(db, "c1", "PECLL", date(2005, 4, 3), manifests=2)
    add_inspection(db, 1, "c1", "MSCU0000001", "targeted", "seizure", date(2005, 4, 4), seized_kg=80.0)
    add_inspection(db, 2, "c1", "MSCU0000002", "random", "clean", date(2005, 4, 4))
    return db


@pytest.fixture
def report(full_db: Database) -> Report:
    try:
        return build_report(full_db, APRIL, "es", base_url="https://traza.example")
    finally:
        full_db.close()


def accessibility_problems(page: str) -> list[str]:
    """What a reader with a screen reader would miss: the checks of issue 10."""
    doc = lxml_html.fromstring(page)
    problems = []
    if not doc.get("lang"):
        problems.append("<html> has no lang")
    levels = [int(h.tag[1]) for h in doc.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    if not levels or levels[0] != 1 or levels.count(1) != 1:
        problems.append(f"expected exactly one h1, first: {levels[:3]}")
    problems += [f"heading jumps from h{a} to h{b}" for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
    for img in doc.iter("img"):
        if not (img.get("alt") or "").strip():
            problems.append(f"image without alt text: {img.get('src', '')[:40]}")
    for i, table in enumerate(doc.iter("table")):
        if table.find("caption") is None:
            problems.append(f"table {i} has no caption")
        heads = table.findall("./thead/tr/th")
        if not heads or any(th.get("scope") != "col" for th in heads):
            problems.append(f"table {i}: column headers need th scope=col")
        for row in table.findall("./tbody/tr"):
            first = row[0]
            if first.tag != "th" or first.get("scope") != "row":
                problems.append(f"table {i}: a row does not start with th scope=row")
    return problems


def test_html_is_accessible(report: Report) -> None:
    page = to_html(report)
    assert accessibility_problems(page) == []
    doc = lxml_html.fromstring(page)
    sections = [s.get("id") for s in doc.iter("section")]
    assert sections == ["summary", "eradication", "incidents", "interdiction", "chemicals", "ports"]
    alts = [img.get("alt") for img in doc.iter("img")]
    assert len(alts) == 3 and all(len(a) > 40 for a in alts)  # goal chart, plot map, port chart
    assert any("Huallaga: 941\u00a0ha / 6.000\u00a0ha" in a for a in alts)


def test_accessibility_check_catches_problems() -> None:
    bad = ("<html><body><h1>a</h1><h3>b</h3><img src='x.svg'><table><thead><tr><th>x</th></tr></thead>"
           "<tbody><tr><td>1</td></tr></tbody></table></body></html>")
    found = " | ".join(accessibility_problems(bad))
    for problem in ("no lang", "h1 to h3", "without alt", "no caption", "scope=col", "scope=row"):
        assert problem in found


def test_every_figure_links_to_its_records(report: Report) -> None:
    doc = lxml_html.fromstring(to_html(report))
    links = [a.get("href") for a in doc.iter("a") if (a.get("href") or "").startswith("https://")]
    assert "https://traza.example/records/field-plots?from=2005-04-01&to=2005-04-30" in links
    assert "https://traza.example/field?month=2005-04" in links  # the goals: the month against them
    assert "https://traza.example/operators/20100070970" in links
    assert "https://traza.example/ports/inspections?port=PECLL&from=2005-04-01&to=2005-04-30" in links
    figure_cells = doc.xpath("//section[@id='eradication']//table[1]/tbody/tr/td[1]")
    assert figure_cells and all(td.find("a") is not None for td in figure_cells)


def test_markdown_appendix_lists_each_query(report: Report) -> None:
    md = to_markdown(report)
    refs = re.findall(r"\[(\d+)\]", md.split("## Fuentes de cada cifra")[0])
    appendix = md.split("## Fuentes de cada cifra")[1]
    assert refs and all(f"\n{n}. " in appendix for n in refs)
    assert ("SELECT coalesce(sum(p.area_ha), 0) FROM field_plots p LEFT JOIN field_operations o "
            "ON o.operation_id = p.operation_id WHERE p.date >= DATE '2005-04-01' AND p.date < DATE '2005-05-01'") in appendix
    assert "| Coca erradicada | 214\u00a0ha | 1.305\u00a0ha |" in md


def test_pdf_first_pages_render_and_are_not_blank(report: Report, tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(to_pdf(report))
    assert len(pdf) >= 2
    text = pdf[0].get_textpage().get_text_range()
    assert "Informe mensual del programa" in text and "abril de 2005" in text
    for i in range(min(3, len(pdf))):
        image = pdf[i].render(scale=0.5).to_pil().convert("L")
        histogram = image.histogram()  # 256 grey levels
        dark = sum(histogram[:200]) / sum(histogram)
        assert dark > 0.01, f"page {i + 1} is blank ({dark:.3%} dark pixels)"
    full = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert "1.305" in full and "18.015" in full


def test_cli_writes_each_format(full_db: Database, tmp_path: Path) -> None:
    url = f"duckdb:///{tmp_path / 'report.duckdb'}"  # the file full_db wrote
    full_db.close()
    runner = CliRunner()
    for fmt in ("html", "md", "pdf"):
        out = tmp_path / f"r.{fmt}"
        result = runner.invoke(app, ["report", "monthly", "--month", "2005-04", "--lang", "en", "--format", fmt,
                                     "--out", str(out), "-d", url])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 1000
    md = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "1,305\u00a0ha" in md
    pictures = sorted(p.name for p in (tmp_path / "r-figures").iterdir())
    assert pictures == ["eradication_goal.svg", "plots_map.svg", "ports_chart.svg"]
    assert all(f"](r-figures/{name})" in md for name in pictures)
    bad = runner.invoke(app, ["report", "monthly", "--month", "April", "-d", url])
    assert bad.exit_code == 2 and "expected YYYY-MM" in bad.output
    assert runner.invoke(app, ["report", "monthly", "--month", "2005-04", "--format", "pdf", "-d", url]).exit_code == 2
