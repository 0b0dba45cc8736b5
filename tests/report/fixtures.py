"""Small generated field datasets for the report tests.

``april_2005`` rebuilds the source report's eradication figures (NAS Lima, April 2005,
para. 11): 214 ha and 2,754 m2 of seedbeds eradicated in April up to the 28th; 1,305 ha and
18,015 m2 for the year (over 1,200 ha if planted at 15 m2 per ha). The plots and seedbeds are
spread over the months and days so that only the right date filters give those sums."""

from __future__ import annotations

from datetime import date, datetime

from traza.store.db import Database

POLVORA, UCHIZA, SANTA_LUCIA = "221003", "221005", "221006"  # Tocache, San Martin (Alto Huallaga)
_NOW = datetime(2005, 5, 2, 12, 0)


def _meta(prefix: str, i: int) -> tuple[str, int, str, str, datetime]:
    return (f"{prefix}-{i}", 1, "fixture.csv", f"line {i + 2}", _NOW)


def add_operation(db: Database, op_id: str, day: date, axis: str, ubigeo: str) -> None:
    db.execute("INSERT INTO field_operations (operation_id, date, axis, ubigeo, modality, row_hash, submission_id, "
               "source_file, source_ref, recorded_at) VALUES (?, ?, ?, ?, 'forced', ?, ?, ?, ?, ?)",
               (op_id, day, axis, ubigeo, *_meta("op", hash(op_id) % 10_000)))


def add_plot(db: Database, plot_id: str, day: date, ubigeo: str, ha: float, op_id: str | None,
             lon: float = -76.35, lat: float = -8.2) -> None:
    db.execute("INSERT INTO field_plots (plot_id, operation_id, date, ubigeo, latitude, longitude, area_ha, area_method, "
               "reported_ha, replanted, row_hash, submission_id, source_file, source_ref, recorded_at) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, 'reported', ?, FALSE, ?, ?, ?, ?, ?)",
               (plot_id, op_id, day, ubigeo, lat, lon, ha, ha, *_meta("plot", len(plot_id))))


def add_seedbed(db: Database, sid: str, day: date, ubigeo: str, m2: float, op_id: str | None) -> None:
    db.execute("INSERT INTO field_seedbeds (seedbed_id, operation_id, date, ubigeo, area_m2, row_hash, submission_id, "
               "source_file, source_ref, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               (sid, op_id, day, ubigeo, m2, *_meta("sb", len(sid))))


def april_2005(db: Database) -> None:
    """January to March: 1,091 ha and 15,261 m2; April 1-28: 214 ha and 2,754 m2; plus work in
    May (after the report) and in 2004 that the April report must not count in its year."""
    ops = [("op-jan", date(2005, 1, 18), "Huallaga", UCHIZA), ("op-feb", date(2005, 2, 9), "Huallaga", UCHIZA),
           ("op-mar", date(2005, 3, 22), "Aguaytia", UCHIZA), ("op-apr-07", date(2005, 4, 7), "Huallaga", POLVORA),
           ("op-apr-08", date(2005, 4, 8), "Huallaga", POLVORA), ("op-apr-28", date(2005, 4, 28), "Huallaga", SANTA_LUCIA),
           ("op-may", date(2005, 5, 3), "Huallaga", POLVORA), ("op-2004", date(2004, 4, 15), "Huallaga", UCHIZA)]
    for op in ops:
        add_operation(db, *op)
    plots = [  # (id, day, ubigeo, ha, operation)
        ("p1", date(2005, 1, 18), UCHIZA, 363.0, "op-jan"), ("p2", date(2005, 2, 9), UCHIZA, 364.0, "op-feb"),
        ("p3", date(2005, 3, 22), UCHIZA, 364.0, "op-mar"),
        ("p4", date(2005, 4, 7), POLVORA, 50.0, "op-apr-07"), ("p5", date(2005, 4, 7), POLVORA, 50.0, "op-apr-07"),
        ("p6", date(2005, 4, 8), POLVORA, 50.0, "op-apr-08"), ("p7", date(2005, 4, 28), SANTA_LUCIA, 64.0, "op-apr-28"),
        ("p8", date(2005, 5, 3), POLVORA, 40.0, "op-may"), ("p9", date(2004, 4, 15), UCHIZA, 900.0, "op-2004"),
    ]
    for pid, day, ubigeo, ha, op in plots:
        add_plot(db, pid, day, ubigeo, ha, op, lon=-76.3 + len(pid) * 0.01, lat=-8.1 - ha / 10_000)
    seedbeds = [("s1", date(2005, 1, 18), UCHIZA, 5000.0, "op-jan"), ("s2", date(2005, 2, 9), UCHIZA, 5000.0, "op-feb"),
                ("s3", date(2005, 3, 22), UCHIZA, 5261.0, "op-mar"), ("s4", date(2005, 4, 8), POLVORA, 1000.0, "op-apr-08"),
                ("s5", date(2005, 4, 28), SANTA_LUCIA, 1754.0, "op-apr-28"), ("s6", date(2005, 5, 3), POLVORA, 300.0, "op-may"),
                ("s7", date(2004, 4, 15), UCHIZA, 9000.0, "op-2004")]
    for seedbed in seedbeds:
        add_seedbed(db, *seedbed)


def add_goal(db: Database, goal_id: str, year: int, hectares: float, axis: str | None = None) -> None:
    db.execute("INSERT INTO field_goals (goal_id, year, month, axis, ubigeo, hectares, row_hash, submission_id, "
               "source_file, source_ref, recorded_at) VALUES (?, ?, NULL, ?, NULL, ?, ?, ?, ?, ?, ?)",
               (goal_id, year, axis, hectares, *_meta("goal", len(goal_id))))


def add_incident(db: Database, iid: str, day: date, kind: str, police_wounded: int = 0, aircraft: int = 0,
                 halted: bool = False) -> None:
    db.execute("INSERT INTO field_incidents (incident_id, date, ubigeo, type, aircraft_damaged, police_wounded, "
               "police_killed, eradicators_wounded, eradicators_killed, civilians_wounded, civilians_killed, "
               "attackers_wounded, attackers_killed, eradication_halted, row_hash, submission_id, source_file, "
               "source_ref, recorded_at) VALUES (?, ?, ?, ?, ?, ?, 0, 0, 0, 0, 0, 0, 0, ?, ?, ?, ?, ?, ?)",
               (iid, day, POLVORA, kind, aircraft, police_wounded, halted, *_meta("inc", len(iid))))


def add_lab(db: Database, lab_id: str, day: date, destroyed: bool = True) -> None:
    db.execute("INSERT INTO field_labs (lab_id, date, ubigeo, type, destroyed, row_hash, submission_id, source_file, "
               "source_ref, recorded_at) VALUES (?, ?, ?, 'base_paste', ?, ?, ?, ?, ?, ?)",
               (lab_id, day, POLVORA, destroyed, *_meta("lab", len(lab_id))))


def add_seizure(db: Database, sid: str, day: date, substance: str, kg: float, arrests: int = 0,
                chemical: str | None = None, seller_ruc: str | None = None, lot_ref: str | None = None) -> None:
    db.execute("INSERT INTO field_seizures (seizure_id, date, ubigeo, substance, chemical, quantity, unit, quantity_kg, "
               "lot_ref, seller_ruc, arrests, weapons, row_hash, submission_id, source_file, source_ref, recorded_at) "
               "VALUES (?, ?, ?, ?, ?, ?, 'kg', ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)",
               (sid, day, POLVORA, substance, chemical, kg, kg, lot_ref, seller_ruc, arrests, *_meta("sz", len(sid))))


def add_movement(db: Database, ruc: str, day: date, kind: str, document_ref: str) -> None:
    """One declared movement (the registry side a seized lot can point to)."""
    db.execute("INSERT INTO movements (movement_id, idem_key, declarant_ruc, establishment_code, date, type, chemical, "
               "quantity, unit, quantity_kg, document_ref, submission_id, source_file, declared_at) "
               "VALUES (?, ?, ?, '0000', ?, ?, 'acetone', 100, 'kg', 100, ?, 1, 'm.csv', ?)",
               (abs(hash(document_ref)) % 10**9, f"k-{document_ref}", ruc, day, kind, document_ref, _NOW))


def add_port_call(db: Database, call_id: str, port: str, day: date, manifests: int = 1) -> None:
    db.execute("INSERT INTO port_vessel_calls (call_id, port, direction, vessel_name, voyage, arrival, recorded_at) "
               "VALUES (?, ?, 'export', 'MSC TEST', '001', ?, ?)", (call_id, port, day, _NOW))
    for i in range(manifests):
        db.execute("INSERT INTO port_manifests (manifest_id, call_id, manifest_number, version, message_function, "
                   "source_format, file_name, content_hash, recorded_at) VALUES (?, ?, ?, 1, 'original', 'csv', "
                   "'m.csv', ?, ?)", (abs(hash((call_id, i))) % 10**9, call_id, f"M{i}", f"h{call_id}{i}", _NOW))


def add_inspection(db: Database, iid: int, call_id: str, container: str, selected_by: str, result: str,
                   day: date, seized_kg: float = 0.0) -> None:
    at = datetime(day.year, day.month, day.day, 10, 0)
    db.execute("INSERT INTO port_inspections (inspection_id, call_id, container_no, selected_by, methods, result, "
               "inspected_at, recorded_at) VALUES (?, ?, ?, ?, 'k9', ?, ?, ?)",
               (iid, call_id, container, selected_by, result, at, at))
    if seized_kg:
        db.execute("INSERT INTO port_seizures (seizure_id, inspection_id, substance, net_kg, recorded_at) "
                   "VALUES (?, ?, 'cocaine_hcl', ?, ?)", (iid, iid, seized_kg, at))
