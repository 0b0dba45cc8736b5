"""Targeting rules: one YAML file per rule in ``ports/rules`` (SQL in DuckDB's dialect over the
base tables of ``ports.base``), validated at load like the detection catalogue and rendered
the same way (``{param}`` filled with validated numbers).

Each rule returns one row per container it flags: ``call_id, container_no, strength, detail``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import ClassVar, Literal

from pydantic import Field

from traza.detect.catalogue import SqlRule, load_yaml_rules

RULES_DIR = Path(__file__).resolve().parent / "rules"
OUTPUT = ("call_id", "container_no", "strength", "detail")
Method = Literal["k9", "scanner", "physical", "diver"]


class PortRule(SqlRule):
    # Targeting scores the manifests as they stand: no run date to fill in.
    RUN_VALUES: ClassVar[frozenset[str]] = frozenset()

    direction: Literal["import", "export", "any"]
    weight: float = Field(gt=0, le=1)  # what one firing adds to a container's score
    methods: tuple[Method, ...] = Field(min_length=1)
    indicator: str  # the docs/principles.md / issue indicator it implements
    shadow: bool = False

    def explain(self, lang: str, detail: str | None, strength: float) -> str:
        from traza.detect.explain import explain

        params = {k: p.default for k, p in self.params.items()}
        text = self.explanation.es if lang == "es" else self.explanation.en
        return explain(text, lang, {"detail": detail, "strength": strength}, params)


def load_port_rules(directory: Path | None = None) -> tuple[PortRule, ...]:
    return load_yaml_rules(directory or RULES_DIR, PortRule)


@cache
def default_port_rules() -> tuple[PortRule, ...]:
    return load_port_rules()
