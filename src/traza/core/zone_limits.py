"""Monthly limits per buyer on deliveries into the special-regime zones (data/zone_limits.yaml)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from traza.core.catalogue import default_catalogue
from traza.core.errors import CatalogueError
from traza.core.paths import data_dir


class ZoneLimits(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    review_fraction: float = Field(default=0.8, gt=0, le=1)
    default_kg: float | None = Field(default=None, ge=0)
    limits: dict[str, float] = {}

    def limit_kg(self, chemical: str) -> float | None:
        return self.limits.get(chemical, self.default_kg)


def load_zone_limits(path: Path | None = None) -> ZoneLimits:
    file = path or data_dir() / "zone_limits.yaml"
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
        limits = ZoneLimits.model_validate(raw)
    except (OSError, yaml.YAMLError) as exc:
        raise CatalogueError(file.name, "-", "-", str(exc)) from exc
    except ValidationError as exc:
        err = exc.errors()[0]
        raise CatalogueError(file.name, "-", ".".join(str(p) for p in err["loc"]), err["msg"]) from exc
    cat = default_catalogue()
    for code, kg in limits.limits.items():
        if cat.chemical(code) is None or cat.chemical(code).code != code:  # type: ignore[union-attr]
            raise CatalogueError(file.name, code, "limits", f"{code!r} is not a catalogue chemical code")
        if kg < 0:
            raise CatalogueError(file.name, code, "limits", "a limit cannot be negative")
    return limits


@cache
def default_zone_limits() -> ZoneLimits:
    return load_zone_limits()
