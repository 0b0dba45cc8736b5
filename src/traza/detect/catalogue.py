"""The rule catalogue: one YAML file per rule (docs/principles.md, principle 3), validated at load.

A rule is SQL in DuckDB's dialect over the base tables of a detection run (``base.py``)
returning one row per finding with the columns of ``OUTPUT``. Parameters appear in the SQL
as ``{name}`` and are filled with validated numbers; ``{as_of}`` is the run's date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import ClassVar, Self, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from traza.core.errors import CatalogueError
from traza.core.vocab import Severity

RULES_DIR = Path(__file__).resolve().parent / "rules"
# What every rule's SQL returns, one row per finding.
OUTPUT = ("ruc", "chemical", "period_start", "period_end", "observed", "baseline", "strength", "detail", "evidence")
SEVERITIES = {"low": 0.25, "medium": 0.5, "high": 0.75, "critical": 1.0}
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
M = TypeVar("M", bound="SqlRule")


class Text(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    es: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Param(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    default: float
    doc: Text


class SqlRule(BaseModel):
    """What every rule file has, whichever tables it reads (chemical detection here, field
    checks and port targeting in their packages): an id and version, texts in both languages,
    documented parameters and one SELECT in DuckDB's dialect with ``{param}`` placeholders."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    # Placeholders filled by the run rather than by a parameter.
    RUN_VALUES: ClassVar[frozenset[str]] = frozenset({"as_of"})

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    version: int = Field(ge=1)
    title: Text
    rationale: Text
    params: dict[str, Param] = {}
    explanation: Text  # templates over the output columns and the parameters
    sql: str = Field(min_length=20)

    @field_validator("sql")
    @classmethod
    def _select_only(cls, v: str) -> str:
        head = v.lstrip().split(None, 1)[0].upper()
        if head not in ("SELECT", "WITH"):
            raise ValueError("a rule's SQL must be a SELECT (or WITH ... SELECT)")
        return v

    @model_validator(mode="after")
    def _placeholders_known(self) -> Self:
        names = set(_PLACEHOLDER.findall(self.sql)) - self.RUN_VALUES
        unknown = names - set(self.params)
        if unknown:
            raise ValueError(f"the SQL uses undeclared parameters {sorted(unknown)}")
        return self

    def render(self, as_of: str, overrides: dict[str, float] | None = None) -> str:
        values = {k: p.default for k, p in self.params.items()} | (overrides or {})
        def literal(name: str) -> str:
            if name == "as_of":
                return f"DATE '{as_of}'"
            value = float(values[name])
            return str(int(value)) if value.is_integer() else repr(value)

        return _PLACEHOLDER.sub(lambda m: literal(m.group(1)), self.sql)


class Rule(SqlRule):
    severity: Severity
    weight: float = Field(gt=0, le=1)  # how much one alert can add to the operator's risk
    red_flag: str  # the red flag(s) of docs/principles.md it covers
    typologies: tuple[str, ...] = ()  # simulator typologies it is meant to catch
    shadow: bool = False  # a shadow version's alerts are kept and counted, out of the queue

    @property
    def severity_weight(self) -> float:
        return SEVERITIES[self.severity]


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]

    def get(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(f"no rule {rule_id!r}; `traza rules list` shows them")

    @property
    def live(self) -> list[Rule]:
        return [r for r in self.rules if not r.shadow]


def load_yaml_rules(folder: Path, model: type[M]) -> tuple[M, ...]:
    """Every ``*.yaml`` in ``folder`` validated as ``model``; a bad file fails naming the file,
    the rule, the field and what is wrong; a file must be named after its rule's id."""
    rules: list[M] = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise CatalogueError(path.name, "-", "-", f"not valid YAML: {exc}") from exc
        try:
            rule = model.model_validate(raw)
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(p) for p in err["loc"]) or "-"
            raise CatalogueError(path.name, str((raw or {}).get("id", "-")), field, err["msg"]) from exc
        if path.stem != rule.id:
            raise CatalogueError(path.name, rule.id, "id", f"the file must be named {rule.id}.yaml")
        rules.append(rule)
    return tuple(rules)


def load_rules(directory: Path | None = None) -> RuleSet:
    return RuleSet(load_yaml_rules(directory or RULES_DIR, Rule))


@cache
def default_rules() -> RuleSet:
    return load_rules()
