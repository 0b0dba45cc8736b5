"""The report's April 2005 (cable 05LIMA2111, paras 3-11) rebuilt as field files: CORAH
eradicated 214 ha and 2,754 m2 of seedbeds from April 7 to 28, for a year total of 1,305 ha
and 18,015 m2 (over 1,200 ha if planted); rock-throwing and an ambush against helicopters, a
raid with nine arrests and seven long guns, four base labs destroyed.

Plot sizes and places are invented (the cable gives only totals); April's plots are polygons
measured geodesically, January-March's are GPS points with the area the brigade reported.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from tests.field.cases import FieldWorld, plot_wkt

SANTA_LUCIA = "100601"   # Rupa-Rupa: the April plots (Polvora-Pizana is further north; invented here)
AUCAYACU = "100604"


def build(folder: Path) -> FieldWorld:
    w = FieldWorld(folder)
    w.add("goals", goal_id="G2005", year=2005, hectares=8000, resolution="RM (invented for the fixture)")
    w.add("goals", goal_id="G2005-04", year=2005, month=4, hectares=700)
    # January-March: 545 plots of 2 ha and one of 1 ha (1,091 ha), 3 seedbeds of 5,087 m2.
    start = date(2005, 1, 10)
    for i in range(546):
        day = start + timedelta(days=i % 80)
        op = f"OP-{day.isoformat()}"
        w.add("plots", plot_id=f"P05-{i:04d}", operation_id=op, date=day.isoformat(), ubigeo=AUCAYACU,
              latitude=-8.93 + (i % 20) * 0.001, longitude=-76.11 + (i // 20) * 0.001,
              reported_ha=1 if i == 545 else 2)
    for day in sorted({start + timedelta(days=i % 80) for i in range(546)}):
        w.add("operations", operation_id=f"OP-{day.isoformat()}", date=day.isoformat(), axis="Aucayacu",
              ubigeo=AUCAYACU, modality="forced", eradicators=200, police=100, goal_id="G2005")
    for i in range(3):
        w.add("seedbeds", seedbed_id=f"S05-{i}", operation_id=f"OP-{start.isoformat()}", date=start.isoformat(),
              ubigeo=AUCAYACU, area_m2=5087)
    # April 7-28: 107 polygon plots of 2 ha (214 ha) and 18 seedbeds of 153 m2 (2,754 m2).
    days = [date(2005, 4, d) for d in range(7, 29) if d != 12]  # the ambush day stopped work
    for d in days:
        w.add("operations", operation_id=f"OP-{d.isoformat()}", date=d.isoformat(), axis="Polvora-Pizana",
              coca_area="Alto Huallaga", ubigeo=SANTA_LUCIA, modality="forced", brigade="CORAH-1",
              eradicators=250, police=80, goal_id="G2005")
    for i in range(107):
        d = days[i % len(days)]
        w.add("plots", plot_id=f"P05-A{i:03d}", operation_id=f"OP-{d.isoformat()}", date=d.isoformat(),
              ubigeo=SANTA_LUCIA, wkt=plot_wkt((-76.0 + (i % 10) * 0.0016, -9.30 + (i // 10) * 0.0016), 2.0),
              reported_ha=2)
    for i in range(18):
        d = days[i % len(days)]
        w.add("seedbeds", seedbed_id=f"S05-A{i:02d}", operation_id=f"OP-{d.isoformat()}", date=d.isoformat(),
              ubigeo=SANTA_LUCIA, area_m2=153, latitude=-9.31, longitude=-76.0)
    # After the cable's cut-off (April 29): must not count "to the 28th".
    w.add("plots", plot_id="P05-LATE", date="2005-04-29", ubigeo=SANTA_LUCIA, latitude=-9.29, longitude=-76.01,
          reported_ha=3)
    # Security (paras 3-8).
    w.add("incidents", incident_id="I-0407", date="2005-04-07", ubigeo=SANTA_LUCIA, type="rock_throwing",
          aircraft="UH-1H", aircraft_damaged=2, police_wounded=2, operation_id="OP-2005-04-07")
    w.add("incidents", incident_id="I-0408", date="2005-04-08", ubigeo=SANTA_LUCIA, type="rock_throwing",
          aircraft="UH-1H", aircraft_damaged=1)
    w.add("incidents", incident_id="I-0412", date="2005-04-12", ubigeo=SANTA_LUCIA, type="ambush",
          aircraft="UH-1H", aircraft_damaged=3, eradication_halted="true",
          description="Three UH-1s hit 52 times on a riverbed; one sling-hauled to Santa Lucia")
    for i in range(4):
        w.add("labs", lab_id=f"L-0424-{i}", date="2005-04-24", ubigeo=SANTA_LUCIA, type="base_paste",
              destroyed="true")
    w.add("seizures", seizure_id="Z-0424", date="2005-04-24", ubigeo=SANTA_LUCIA, substance="other",
          quantity=1, unit="kg", arrests=9, weapons=7)
    return w
