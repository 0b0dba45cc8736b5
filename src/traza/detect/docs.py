"""docs/rules.md, generated from the rule files and the measured quality (a test checks that
the committed page is what this renders). Regenerate with ``python -m traza.detect.docs``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from traza.detect.catalogue import RuleSet, default_rules

ROOT = Path(__file__).resolve().parents[3]
QUALITY = ROOT / "docs" / "rules-quality.json"
PROFILES = ROOT / "docs" / "rules-profiles.json"  # written by benchmarks/profiles.py --docs
PAGE = ROOT / "docs" / "rules.md"


def _quality() -> dict[str, Any]:
    return json.loads(QUALITY.read_text(encoding="utf-8")) if QUALITY.exists() else {}


def _profiles() -> list[str]:
    if not PROFILES.exists():
        return []
    p = json.loads(PROFILES.read_text(encoding="utf-8"))
    return ["## Quality per honest-behaviour profile", "",
            f"`{p['command']}` ({p['when']}): for each profile, countries with planted schemes and an honest",
            "country with nothing planted (the simulator's `--honest` profiles, docs/simulator.md).", "",
            p["header"], "|---|---|---|---|---|---|---|---|", *p["rows"], "", p["summary"] + ".", ""]


def render(rules: RuleSet | None = None, quality: dict[str, Any] | None = None) -> str:
    rs = rules or default_rules()
    q = quality if quality is not None else _quality()
    per_rule: dict[str, Any] = q.get("rules", {})
    out = [
        "# Detection rules",
        "",
        "Generated from `src/traza/detect/rules/*.yaml` by `python -m traza.detect.docs`; a test",
        "checks this page against the rule files. Each rule is SQL over the base tables of a",
        "detection run (`src/traza/detect/base.py`), in DuckDB's dialect, transpiled with sqlglot",
        "for PostgreSQL and Spark. A rule in **shadow** mode runs and its alerts are stored and",
        "counted (`traza alerts --shadow`), but they stay out of the analysts' queue and out of",
        "operator risk.",
        "",
    ]
    if q:
        out += [
            "## Measured quality",
            "",
            f"{q.get('summary', '')}",
            "",
            "| typology | schemes caught |",
            "|---|---|",
            *[f"| {t} | {v} |" for t, v in sorted(q.get("typologies", {}).items())],
            "",
        ]
    out += _profiles()
    out += ["## Catalogue", "", "| rule | version | severity | weight | mode | measured precision |", "|---|---|---|---|---|---|"]
    for r in rs.rules:
        out.append(f"| [{r.id}](#{r.id}) | {r.version} | {r.severity} | {r.weight:.2f} | "
                   f"{'shadow' if r.shadow else 'live'} | {per_rule.get(r.id, 'not measured')} |")
    for r in rs.rules:
        out += [
            "",
            f"## {r.id}",
            "",
            f"**{r.title.en}** / *{r.title.es}*  ",
            f"Version {r.version}, severity {r.severity}, weight {r.weight:.2f}, "
            f"{'shadow' if r.shadow else 'live'}. Red flag: {r.red_flag}.  ",
            f"Simulator typologies: {', '.join(r.typologies) or 'none'}. "
            f"Measured precision: {per_rule.get(r.id, 'not measured')}.",
            "",
            r.rationale.en.strip(),
            "",
            f"> {r.rationale.es.strip()}",
            "",
        ]
        if r.params:
            out += ["| parameter | default | meaning |", "|---|---|---|"]
            out += [f"| `{k}` | {p.default:g} | {p.doc.en} / {p.doc.es} |" for k, p in r.params.items()]
            out.append("")
        out += ["<details><summary>SQL</summary>", "", "```sql", r.sql.rstrip(), "```", "", "</details>"]
    return "\n".join(out) + "\n"


if __name__ == "__main__":  # pragma: no cover - the command regenerates the page
    PAGE.write_text(render(), encoding="utf-8")
    print(f"wrote {PAGE}")
