"""Small hand-made field worlds: rows written as the public CSV files and loaded through the
real loader (``traza.field.load``)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

import shapely

from traza.field.geometry import GEOD, square
from traza.field.load import default_context, load_field
from traza.store import Database

TODAY = date(2026, 11, 26)
# Rupa-Rupa (Tingo Maria, Alto Huallaga) and its neighbour Jose Crespo y Castillo (Aucayacu).
RUPA, AUCAYACU = "100601", "100604"
RUPA_LONLAT = (-76.00, -9.30)
AUCAYACU_LONLAT = (-76.11, -8.93)


def plot_wkt(lonlat: tuple[float, float], ha: float, east_m: float = 0.0) -> str:
    """A square plot of ``ha`` hectares, ``east_m`` metres east of ``lonlat``."""
    lon, lat, _ = GEOD.fwd(lonlat[0], lonlat[1], 90, east_m) if east_m else (*lonlat, 0)
    return shapely.to_wkt(square(lon, lat, (ha * 10_000) ** 0.5), rounding_precision=7)


class FieldWorld:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.rows: dict[str, list[dict[str, Any]]] = {}

    def add(self, kind: str, **row: Any) -> None:
        self.rows.setdefault(kind, []).append(row)

    def plot(self, plot_id: str, day: str, ha: float, *, ubigeo: str = RUPA,
             at: tuple[float, float] = RUPA_LONLAT, east_m: float = 0.0, **extra: Any) -> None:
        extra.setdefault("reported_ha", round(ha, 4))
        self.add("plots", plot_id=plot_id, date=day, ubigeo=ubigeo, wkt=plot_wkt(at, ha, east_m), **extra)

    def certificate(self, cid: str, declared_ha: float, ubigeo: str = RUPA, **extra: Any) -> None:
        self.add("certificates", certificate_id=cid, holder_name=f"Titular {cid}", holder_document="12345678",
                 role=extra.pop("role", "registrant"), registration_year=1978, declared_ha=declared_ha,
                 declared_ubigeo=ubigeo, **extra)

    def write(self) -> list[Path]:
        out = []
        for kind, rows in self.rows.items():
            cols: list[str] = []
            for r in rows:
                cols += [c for c in r if c not in cols]
            path = self.folder / f"{kind}.csv"
            with path.open("w", encoding="utf-8", newline="") as fh:
                w = csv.DictWriter(fh, cols)
                w.writeheader()
                w.writerows(rows)
            out.append(path)
        return out

    def load(self, db: Database) -> None:
        report = load_field(db, self.write(), ctx=default_context(TODAY))
        assert report.rows_rejected == 0, [r for r in report.rejections][:3]
