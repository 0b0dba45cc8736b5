"""The controlled-chemical catalogue and the units, loaded from data files and validated.

The files live in ``traza/data``; another country ships its own files and points
``TRAZA_DATA_DIR`` (or the ``data_dir`` argument) at them. A broken file fails at load with
a message naming the file, the entry and the field.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal, Self, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from stdnum import casrn

from traza.core.errors import CatalogueError
from traza.core.paths import data_dir

_HS = re.compile(r"^\d{4}\.\d{2}$")


class Chemical(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_es: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    cas: str
    hs: tuple[str, ...] = Field(min_length=1)
    state: Literal["liquid", "solid", "gas"]
    density_kg_l: float | None = None
    un_table: Literal["I", "II"] | None = None
    controlled_scope: Literal["national", "special_regime"] = "national"
    single_purchase_threshold_kg: float | None = Field(default=None, gt=0)
    bulk_substitute: bool = False
    # Other names the chemical goes by on commercial documents (trade names, old or regional
    # spellings), used to recognise it in the free-text description of an invoice line.
    synonyms: tuple[str, ...] = ()
    source: str = Field(min_length=1)

    @field_validator("cas")
    @classmethod
    def _cas(cls, v: str) -> str:
        if not casrn.is_valid(v):
            raise ValueError(f"{v!r} is not a valid CAS registry number (check digit)")
        return v

    @field_validator("hs")
    @classmethod
    def _hs(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for h in v:
            if not _HS.match(h):
                raise ValueError(f"{h!r} is not an HS subheading like 2914.11")
        return v

    @field_validator("density_kg_l")
    @classmethod
    def _density(cls, v: float | None) -> float | None:
        if v is not None and not (math.isfinite(v) and 0.1 <= v <= 25):
            raise ValueError(f"{v} is not a plausible density in kg/L (0.1 to 25)")
        return v

    @model_validator(mode="after")
    def _needs_density(self) -> Self:
        if self.state in ("liquid", "gas") and self.density_kg_l is None:
            raise ValueError("density_kg_l is required for liquids and gases")
        return self

    @property
    def convertible_by_volume(self) -> bool:
        return self.density_kg_l is not None


class Unit(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(min_length=1)
    unece: str = Field(pattern=r"^[A-Z0-9]{3}$")
    kind: Literal["mass", "volume"]
    factor: float = Field(gt=0)  # to kg for mass units, to litres for volume units
    aliases: tuple[str, ...] = ()


def _entries(path: Path, key: str) -> list[Any]:
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CatalogueError(path.name, "-", "-", f"not valid YAML: {exc}") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get(key), list):
        raise CatalogueError(path.name, "-", key, f"expected a top-level list named {key!r}")
    return list(doc[key])


M = TypeVar("M", bound=BaseModel)


def _parse(path: Path, key: str, model: type[M]) -> list[M]:
    out: list[M] = []
    for i, raw in enumerate(_entries(path, key), start=1):
        entry = str(raw.get("code", f"#{i}")) if isinstance(raw, dict) else f"#{i}"
        try:
            out.append(model.model_validate(raw))
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(p) for p in err["loc"]) or "-"
            raise CatalogueError(path.name, entry, field, err["msg"]) from exc
    return out


def _unique(path: Path, entries: Iterable[tuple[str, str, str]]) -> None:
    seen: dict[str, str] = {}
    for entry, field, value in entries:
        key = value.lower()
        if key in seen:
            raise CatalogueError(path.name, entry, field, f"{value!r} already used by entry {seen[key]}")
        seen[key] = entry


@dataclass(frozen=True)
class Catalogue:
    chemicals: tuple[Chemical, ...]
    units: tuple[Unit, ...]

    def chemical(self, code_or_cas: str) -> Chemical | None:
        return self._chemical_index().get(code_or_cas.strip().lower())

    def unit(self, code: str) -> Unit | None:
        return self._unit_index().get(code.strip().lower())

    def to_kg(self, quantity: float, unit: str, chemical: str) -> float:
        """Quantity in kilograms; raises ValueError when the unit cannot apply."""
        u, c = self.unit(unit), self.chemical(chemical)
        if u is None:
            raise ValueError(f"unknown unit {unit!r}")
        if c is None:
            raise ValueError(f"unknown chemical {chemical!r}")
        if u.kind == "mass":
            return quantity * u.factor
        if c.density_kg_l is None:
            raise ValueError(f"{c.code} is a {c.state}: declare it by mass, not in {u.code}")
        return quantity * u.factor * c.density_kg_l

    def unit_aliases(self) -> dict[str, Unit]:
        """Every accepted spelling (lower case) mapped to its unit."""
        return dict(self._unit_index())

    def chemical_aliases(self) -> dict[str, Chemical]:
        """Codes and CAS numbers (lower case) mapped to their chemical."""
        return dict(self._chemical_index())

    @cache  # noqa: B019 - the catalogue is immutable and lives as long as the process
    def _chemical_index(self) -> dict[str, Chemical]:
        idx: dict[str, Chemical] = {}
        for c in self.chemicals:
            idx[c.code.lower()] = c
            idx[c.cas.lower()] = c
        return idx

    @cache  # noqa: B019
    def _unit_index(self) -> dict[str, Unit]:
        idx: dict[str, Unit] = {}
        for u in self.units:
            for name in (u.code, u.unece, *u.aliases):
                idx[name.lower()] = u
        return idx


def load_catalogue(directory: Path | None = None) -> Catalogue:
    base = directory or data_dir()
    chem_path, unit_path = base / "chemicals.yaml", base / "units.yaml"
    chemicals = _parse(chem_path, "chemicals", Chemical)
    units = _parse(unit_path, "units", Unit)
    _unique(chem_path, ((c.code, "code", c.code) for c in chemicals))
    _unique(chem_path, ((c.code, "cas", c.cas) for c in chemicals))
    spellings = ((u.code, n) for u in units for n in {s.lower() for s in (u.code, u.unece, *u.aliases)})
    _unique(unit_path, ((code, "aliases", n) for code, n in spellings))
    return Catalogue(tuple(chemicals), tuple(units))


@cache
def default_catalogue() -> Catalogue:
    return load_catalogue()

