"""The country traza runs for, as data: its identifiers and their validation, its geography's
district code and files, the authority behind its e-documents.

Each jurisdiction is a file ``jurisdictions/<code>.yaml`` in the data folder (Peru, ``pe``, is
the packaged one); ``TRAZA_JURISDICTION`` picks it. Messages that name an identifier, a code or
an authority take the words from here, so another country is another file, not other code.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from stdnum import exceptions as stdnum_errors

from traza.core.errors import CatalogueError, TrazaError
from traza.core.paths import data_dir
from traza.core.settings import env

_ASCII_DIGITS = re.compile(r"[0-9]+")  # \d would take any script's digits
# Names that messages embed, some inside SQL text: words, no quotes or backslashes.
_NAME = r"^[\w][\w .()-]*$"


class UnknownJurisdiction(TrazaError):
    """``TRAZA_JURISDICTION`` names no jurisdiction file."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Words(_Frozen):
    """One description in each language of the interface."""

    es: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def in_(self, lang: Literal["es", "en"]) -> str:
        return self.es if lang == "es" else self.en


@cache
def _stdnum(name: str) -> ModuleType:
    return importlib.import_module(f"stdnum.{name}")


class Identifier(_Frozen):
    """A national identifier (the tax number, the person's document): its name, its length and,
    when python-stdnum knows it, the module that checks its format and check digit."""

    name: str = Field(pattern=_NAME)
    digits: int = Field(ge=1, le=64)
    stdnum: str | None = None  # e.g. "pe.ruc"; None: the length is the whole rule
    check_digit: str = "a valid check digit"
    format: str = ""  # how a well-formed one starts or looks, e.g. "starting with 10 or 20"
    description: Words

    @field_validator("stdnum")
    @classmethod
    def _known_module(cls, v: str | None) -> str | None:
        if v is not None:
            try:
                module = _stdnum(v)
            except ImportError:
                raise ValueError(f"python-stdnum has no module stdnum.{v}") from None
            if not callable(getattr(module, "validate", None)):
                raise ValueError(f"stdnum.{v} has no validate()")
        return v

    @property
    def pattern(self) -> str:
        """The identifier's shape as a regular expression (ASCII digits; the check digit aside)."""
        return f"^[0-9]{{{self.digits}}}$"

    @property
    def short(self) -> str:
        """e.g. "11-digit RUC"."""
        return f"{self.digits}-digit {self.name}"

    def problem(self, value: str) -> str | None:
        """Why ``value`` is not this identifier, or None when it is.

        Only the ASCII digits 0-9 count: python-stdnum maps full-width and other digits to
        ASCII before it validates, so "２００..." passed while the raw string was stored, a
        second operator identical to the eye (issue 16, finding 7)."""
        v = value.strip()
        if not v:
            return f"a {self.name} is required"
        if not _ASCII_DIGITS.fullmatch(v):
            bad = next((c for c in v if not ("0" <= c <= "9")), v[0])
            return f"{self.name} must be {self.digits} ASCII digits 0-9: found {bad!a} at position {v.index(bad) + 1}"
        if self.stdnum is None:
            return None if len(v) == self.digits else f"{self.name} must have {self.digits} digits, got {len(v)}"
        validate: Callable[[str], str] = _stdnum(self.stdnum).validate
        try:
            validate(v)
        except stdnum_errors.InvalidChecksum:
            return f"{self.name} check digit does not match (expected {self.digits} digits with {self.check_digit})"
        except stdnum_errors.InvalidLength:
            return f"{self.name} must have {self.digits} digits, got {len(v)}"
        except stdnum_errors.InvalidFormat:
            return f"{self.name} must be {self.digits} digits {self.format}".rstrip()
        except stdnum_errors.ValidationError as exc:
            return f"not a valid {self.name}: {exc}"
        return None


class GeoCode(_Frozen):
    """The district code (Peru: INEI's 6-digit ubigeo) and the files the geography is read from
    (paths relative to the data folder)."""

    code: str = Field(pattern=_NAME)
    digits: int = Field(ge=1, le=16)
    authority: str = Field(pattern=_NAME)
    example: str = Field(min_length=1)  # a code and its district, e.g. "150101 Lima"
    description: Words
    code_column: str = Field(min_length=1)
    districts: str
    provinces: str
    boundaries: str
    boundary_code: str  # the GeoJSON property holding a district's code
    box: tuple[float, float, float, float]  # min lon, min lat, max lon, max lat, with a margin

    def contains(self, lat: float, lon: float) -> bool:
        """Whether (lat, lon) lies in the country's box."""
        lo_x, lo_y, hi_x, hi_y = self.box
        return lo_x <= lon <= hi_x and lo_y <= lat <= hi_y

    @property
    def pattern(self) -> str:
        """The code's shape as a regular expression (ASCII digits)."""
        return f"^[0-9]{{{self.digits}}}$"

    @property
    def unknown(self) -> str:
        """The refusal of a code that names no district."""
        return (f"unknown {self.code}: expected the {self.digits}-digit {self.authority} code of a district "
                f"(e.g. {self.example})")


class EDocuments(_Frozen):
    authority: str = Field(pattern=_NAME)  # who sets the e-invoicing rules (Peru: SUNAT)
    formats: str = Field(min_length=1)  # the versions read, in words: "UBL 2.0 and 2.1"


class Jurisdiction(_Frozen):
    code: str = Field(pattern=r"^[A-Z]{2}$")  # ISO 3166-1 alpha-2
    name: str = Field(pattern=_NAME)
    tax_id: Identifier
    person_id: Identifier
    geography: GeoCode
    e_documents: EDocuments
    customs_authority: str = Field(min_length=1)


def known_codes(directory: Path | None = None) -> list[str]:
    """The jurisdictions there are files for, e.g. ["pe"]."""
    folder = (directory or data_dir()) / "jurisdictions"
    return sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []


def load_jurisdiction(code: str, directory: Path | None = None) -> Jurisdiction:
    """The jurisdiction ``code`` (a file name without .yaml); a broken file fails naming the
    file and the field, an unknown code naming the setting and the codes there are."""
    base = directory or data_dir()
    key = code.strip().lower()
    known = known_codes(base)
    if key not in known:
        raise UnknownJurisdiction(
            f"TRAZA_JURISDICTION={code!r} is not a known jurisdiction: known are "
            f"{', '.join(known) or '(none)'} (the files in {base / 'jurisdictions'})")
    path = base / "jurisdictions" / f"{key}.yaml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CatalogueError(path.name, "-", "-", f"not valid YAML: {exc}") from None
    try:
        return Jurisdiction.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "-"
        raise CatalogueError(path.name, key, where, err["msg"]) from None


def jurisdiction() -> Jurisdiction:
    """The jurisdiction ``TRAZA_JURISDICTION`` names (default Peru), read once per data folder
    and code. Validation asks for it per value: one reading of the environment, not two."""
    settings = env()
    return _cached(data_dir(settings), settings.jurisdiction)


@cache
def _cached(directory: Path, code: str) -> Jurisdiction:
    return load_jurisdiction(code, directory)
