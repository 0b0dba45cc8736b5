"""Targeting rules: one YAML file per rule in ``ports/rules`` (SQL in DuckDB's dialect over the
base tables of ``ports.base``), validated at load like the detection catalogue and rendered
the same way (``{param}`` filled with validated numbers).

Each rule returns one row per container it flags: ``call_id, container_no, strength, detail``.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Literal, Self

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from traza.core.errors import CatalogueError
from traza.detect.catalogue import Param, Text

RULES_DIR = Path(__file__).resolve().parent / "rules"
OUTPUT = ("call_id", "container_no", "strength", "detail")
Method = Literal["k9", "scanner", "physical", "diver"]
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


class PortRule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    version: int = Field(ge=1)
    direction: Literal["import", "export", "any"]
    weight: float = Field(gt=0, le=1)  # what one firing adds to a container's score
    methods: tuple[Method, ...] = Field(min_length=1)
    title: Text
    rationale: Text
    explanation: Text  # template over {detail}, {strength} and {p_<param>}
    indicator: str  # the DOMAIN.md / issue indicator it implements
    params: dict[str, Param] = {}
    sql: str = Field(min_length=20)
    shadow: bool = False

    @field_validator("sql")
    @classmethod
    def _select_only(cls, v: str) -> str:
        if v.lstrip().split(None, 1)[0].upper() not in ("SELECT", "WITH"):
            raise ValueError("a rule's SQL must be a SELECT (or WITH ... SELECT)")
        return v

    @model_validator(mode="after")
    def _placeholders_known(self) -> Self:
        unknown = set(_PLACEHOLDER.findall(self.sql)) - set(self.params)
        if unknown:
            raise ValueError(f"the SQL uses undeclared parameters {sorted(unknown)}")
        return self

    def render(self, overrides: dict[str, float] | None = None) -> str:
        values = {k: p.default for k, p in self.params.items()} | (overrides or {})

        def literal(name: str) -> str:
            value = float(values[name])
            return str(int(value)) if value.is_integer() else repr(value)

        return _PLACEHOLDER.sub(lambda m: literal(m.group(1)), self.sql)

    def explain(self, lang: str, detail: str | None, strength: float) -> str:
        from traza.detect.explain import explain

        params = {k: p.default for k, p in self.params.items()}
        text = self.explanation.es if lang == "es" else self.explanation.en
        return explain(text, lang, {"detail": detail, "strength": strength}, params)


def load_port_rules(directory: Path | None = None) -> tuple[PortRule, ...]:
    rules: list[PortRule] = []
    for path in sorted((directory or RULES_DIR).glob("*.yaml")):
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise CatalogueError(path.name, "-", "-", f"not valid YAML: {exc}") from exc
        try:
            rule = PortRule.model_validate(raw)
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(p) for p in err["loc"]) or "-"
            raise CatalogueError(path.name, str((raw or {}).get("id", "-")), field, err["msg"]) from exc
        if path.stem != rule.id:
            raise CatalogueError(path.name, rule.id, "id", f"the file must be named {rule.id}.yaml")
        rules.append(rule)
    return tuple(rules)


@cache
def default_port_rules() -> tuple[PortRule, ...]:
    return load_port_rules()
