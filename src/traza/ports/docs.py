"""docs/ports-rules.md, generated from the port rule files (a test checks that the committed
page is what this renders). Regenerate with ``python -m traza.ports.docs``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from traza.ports.rules_catalogue import PortRule, default_port_rules

ROOT = Path(__file__).resolve().parents[3]
PAGE = ROOT / "docs" / "ports-rules.md"
METHOD_NAMES = {"k9": "K-9", "scanner": "scanner", "physical": "physical", "diver": "diver (hull)"}


def render(rules: Sequence[PortRule] | None = None) -> str:
    rs = list(rules if rules is not None else default_port_rules())
    out = [
        "# Port targeting rules",
        "",
        "Generated from `src/traza/ports/rules/*.yaml` by `python -m traza.ports.docs`; a test checks",
        "this page against the rule files. Each rule is SQL over the base tables of a targeting run",
        "(`src/traza/ports/base.py`), in DuckDB's dialect, transpiled with sqlglot for PostgreSQL and",
        "Spark, and returns one row per container it flags. A container's score is",
        "1 - prod(1 - weight x strength) over the rules that flag it; the weights were fitted on",
        "simulated years (`traza simulate ports`, seeds 1-3) as naive-Bayes log-likelihood ratios.",
        "",
        "| rule | version | direction | weight | methods |",
        "|---|---|---|---|---|",
    ]
    out += [f"| [{r.id}](#{r.id}) | {r.version} | {r.direction} | {r.weight} | "
            f"{', '.join(METHOD_NAMES[m] for m in r.methods)} |" for r in rs]
    for r in rs:
        out += ["", f"## {r.id}", "", f"**{r.title.es}** / {r.title.en}", "",
                f"Indicator: {r.indicator}. Recommends: {', '.join(METHOD_NAMES[m] for m in r.methods)}.", "",
                f"- es: {r.rationale.es.strip()}", f"- en: {r.rationale.en.strip()}"]
        if r.params:
            out += ["", "| parameter | default | es | en |", "|---|---|---|---|"]
            out += [f"| {k} | {p.default:g} | {p.doc.es} | {p.doc.en} |" for k, p in r.params.items()]
        out += ["", "```sql", r.sql.strip(), "```"]
    return "\n".join(out) + "\n"


if __name__ == "__main__":  # pragma: no cover
    PAGE.write_text(render(), encoding="utf-8")
    print(f"wrote {PAGE}")
