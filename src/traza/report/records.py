"""The record lists behind the monthly report's figures (issue 10: every figure links to "the
filtered records behind it in the web UI"). Each list is defined once, here: the report's
sections compute a figure as an aggregate over a list's FROM and WHERE (:meth:`RecordList.figure`)
and :mod:`traza.web.routes.records` shows the list's rows, so the page's count (or total) is the
figure. The filters are the report's link parameters (``from``/``to`` on the list's day, then
filters such as ``port``).

Pure: the SQL and what the page shows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, get_args

from traza.core.salecheck import Decision
from traza.ports.feedback import RESULTS

# The day a vessel call counts on: its arrival, else its departure, else the day it was recorded.
CALL_DAY = "coalesce(c.arrival, c.departure, CAST(c.recorded_at AS DATE))"
# A field seizure's seller: the one named on it, else the seller of the declared sale its lot
# points to; a precursor seizure is traced when it has one (traza.report.sections.traced).
SELLER = ("coalesce(s.seller_ruc, (SELECT min(m.declarant_ruc) FROM movements m WHERE s.lot_ref IS NOT NULL "
          "AND m.document_ref = s.lot_ref AND m.type IN ('sale', 'transfer_out')))")
TRACED = f"{SELLER} IS NOT NULL"


@dataclass(frozen=True)
class Filter:
    sql: str  # a condition with one placeholder, or none when ``fixed``
    choices: tuple[str, ...] = ()  # allowed values (empty: any)
    fixed: bool = False  # a switch: the condition applies when the value is 'true'


@dataclass(frozen=True)
class RecordList:
    path: str
    title: tuple[str, str]  # (Spanish, English)
    columns: tuple[tuple[str, str], ...]  # (select expression AS name, column heading key)
    source: str  # FROM ... [WHERE fixed conditions]
    day: str  # the date the period filters on
    order: str
    filters: Mapping[str, Filter] = field(default_factory=dict)
    links: Mapping[str, str] = field(default_factory=dict)  # column -> URL template ({column} filled in)
    total: str | None = None  # a column summed below the list (the figure is a sum)
    distinct: str | None = None  # the key the rows are distinct on (cases found through their log)

    def column(self, name: str) -> str:
        """The expression behind a column (``kg`` -> ``s.quantity_kg``)."""
        return next(c.rsplit(" AS ", 1)[0] for c, _ in self.columns if c.rsplit(" AS ", 1)[1] == name)

    @property
    def count(self) -> str:
        """The aggregate that counts the list's rows, as the page counts them."""
        return f"count(DISTINCT {self.distinct})" if self.distinct else "count(*)"

    @property
    def summed(self) -> str:
        """The aggregate of the total the page shows below the list."""
        if self.total is None:
            raise ValueError(f"{self.path} shows no total")
        return f"coalesce(sum({self.column(self.total)}), 0)"

    def select(self, what: str, params: Mapping[str, str]) -> tuple[str, list[Any]]:
        """``SELECT what`` over the rows the page's parameters ask for: ``from``/``to``
        (inclusive days) on the list's day, then its filters. Unknown parameters are ignored
        (``lang``, ``page``)."""
        conds: list[str] = []
        values: list[Any] = []
        if params.get("from"):
            conds.append(f"{self.day} >= ?")
            values.append(_day(params["from"], "from"))
        if params.get("to"):
            conds.append(f"{self.day} < ?")
            values.append(_day(params["to"], "to") + dt.timedelta(days=1))
        more, bound = _filters(self, params)
        return self._sql(what, [*conds, *more]), [*values, *bound]

    def figure(self, what: str, **filters: str) -> tuple[str, list[Any]]:
        """A report figure over the list's rows: ``what`` from the day ``?`` to before the day
        ``?`` (the report binds each period, :meth:`traza.report.context.Context.measure`),
        then the filters' values: the rows the page shows for the same period and filters."""
        more, bound = _filters(self, filters)
        return self._sql(what, [f"{self.day} >= ?", f"{self.day} < ?", *more]), bound

    def _sql(self, what: str, conds: list[str]) -> str:
        joiner = " AND " if " WHERE " in self.source else " WHERE "
        # Every piece of SQL text is one of this module's constants; the values are bound.
        return f"SELECT {what} {self.source}" + (joiner + " AND ".join(conds) if conds else "")


def _insp_filters() -> dict[str, Filter]:
    return {"port": Filter("c.port = ?"), "result": Filter("i.result = ?", RESULTS),
            "selected_by": Filter("i.selected_by = ?", ("targeted", "random", "other"))}


CALLS = RecordList("/ports/calls", ("Escalas de naves", "Vessel calls"),
                   (("c.call_id AS call_id", "call"), ("c.port AS port", "port"), ("c.direction AS direction", "direction"),
                    ("c.vessel_name AS vessel", "vessel"), ("c.voyage AS voyage", "voyage"),
                    ("c.arrival AS arrival", "arrival"), ("c.departure AS departure", "departure")),
                   "FROM port_vessel_calls c", CALL_DAY, f"{CALL_DAY}, c.call_id", {"port": Filter("c.port = ?")},
                   {"call_id": "/ports/calls/{call_id}"})
MANIFESTS = RecordList("/ports/manifests", ("Manifiestos revisados", "Manifests reviewed"),
                       (("m.manifest_number AS manifest", "manifest"), ("m.version AS version", "version"),
                        ("m.source_format AS format", "format"), ("c.call_id AS call_id", "call"), ("c.port AS port", "port"),
                        (f"{CALL_DAY} AS day", "date")),
                       "FROM port_manifests_current m JOIN port_vessel_calls c ON c.call_id = m.call_id", CALL_DAY,
                       f"{CALL_DAY}, c.call_id, m.manifest_number", {"port": Filter("c.port = ?")},
                       {"call_id": "/ports/calls/{call_id}"})
INSPECTIONS = RecordList("/ports/inspections", ("Inspecciones de contenedores", "Container inspections"),
                         (("i.inspection_id AS inspection", "number"), ("i.inspected_at AS inspected_at", "date"),
                          ("c.port AS port", "port"), ("i.call_id AS call_id", "call"), ("i.container_no AS container", "container"),
                          ("i.selected_by AS selected_by", "selected_by"), ("i.methods AS methods", "methods"),
                          ("i.result AS result", "result")),
                         "FROM port_inspections i LEFT JOIN port_vessel_calls c ON c.call_id = i.call_id", "i.inspected_at",
                         "i.inspected_at, i.inspection_id", _insp_filters(),
                         {"container": "/ports/calls/{call_id}/containers/{container}", "call_id": "/ports/calls/{call_id}"})
PORT_SEIZURES = RecordList("/ports/seizures", ("Decomisos en puerto", "Port seizures"),
                           (("s.seizure_id AS seizure", "number"), ("i.inspected_at AS inspected_at", "date"),
                            ("c.port AS port", "port"), ("i.call_id AS call_id", "call"), ("i.container_no AS container", "container"),
                            ("s.substance AS substance", "substance"), ("s.packages AS packages", "packages"),
                            ("s.net_kg AS net_kg", "kg")),
                           "FROM port_seizures s JOIN port_inspections i ON i.inspection_id = s.inspection_id "
                           "LEFT JOIN port_vessel_calls c ON c.call_id = i.call_id", "i.inspected_at",
                           "i.inspected_at, s.seizure_id", _insp_filters(),
                           {"container": "/ports/calls/{call_id}/containers/{container}"}, total="net_kg")
OPERATORS = RecordList("/records/operators", ("Operadores inscritos", "Registered operators"),
                       (("o.ruc AS ruc", "ruc"), ("o.name AS name", "name"), ("o.sector AS sector", "sector"),
                        ("o.registered_on AS registered_on", "date"), ("o.status AS status", "status")),
                       "FROM operators o", "o.registered_on", "o.registered_on, o.ruc", {"status": Filter("o.status = ?")},
                       {"ruc": "/operators/{ruc}"})
OPERATOR_CHANGES = RecordList("/records/operator-changes", ("Cambios en el registro de operadores", "Changes to operators' records"),
                              (("v.version_id AS version", "number"), ("v.ruc AS ruc", "ruc"), ("v.name AS name", "name"),
                               ("v.status AS status", "status"), ("v.recorded_at AS recorded_at", "date"),
                               ("v.recorded_by AS recorded_by", "actor")),
                              "FROM operator_versions v WHERE v.version_id > "
                              "(SELECT min(f.version_id) FROM operator_versions f WHERE f.ruc = v.ruc)", "v.recorded_at",
                              "v.recorded_at, v.version_id", links={"ruc": "/operators/{ruc}"})
SUBMISSIONS = RecordList("/records/submissions", ("Declaraciones recibidas", "Declarations received"),
                         (("s.submission_id AS submission", "number"), ("s.received_at AS received_at", "date"),
                          ("s.kind AS kind", "kind"), ("s.file_name AS file_name", "file"), ("s.submitted_by AS submitted_by", "actor"),
                          ("s.rows_total AS rows_total", "rows"), ("s.rows_rejected AS rows_rejected", "rejected"),
                          ("s.status AS status", "status")),
                         "FROM submissions s", "s.received_at", "s.received_at, s.submission_id",
                         {"refused": Filter("s.rows_rejected > 0", fixed=True)}, total="rows_rejected")
MOVEMENTS = RecordList("/records/movements", ("Movimientos declarados", "Declared movements"),
                       (("m.movement_id AS movement", "number"), ("m.date AS day", "date"), ("m.declarant_ruc AS ruc", "ruc"),
                        ("m.type AS type", "type"), ("m.chemical AS chemical", "chemical"), ("m.quantity_kg AS kg", "kg"),
                        ("m.counterparty_ruc AS counterparty", "counterparty"), ("m.document_ref AS document", "document")),
                       "FROM movements m", "m.date", "m.date, m.movement_id",
                       {"ruc": Filter("m.declarant_ruc = ?"), "type": Filter("m.type = ?"), "chemical": Filter("m.chemical = ?")},
                       {"ruc": "/operators/{ruc}"})
SALE_CHECKS = RecordList("/records/sale-checks", ("Verificaciones de venta", "Sale checks"),
                         (("k.check_id AS check_id", "number"), ("k.checked_at AS checked_at", "date"),
                          ("k.seller_ruc AS seller", "seller"), ("k.buyer_ruc AS buyer", "buyer"),
                          ("k.chemical AS chemical", "chemical"), ("k.quantity_kg AS kg", "kg"), ("k.decision AS decision", "decision")),
                         "FROM sale_checks k", "k.checked_at", "k.checked_at, k.check_id",
                         {"decision": Filter("k.decision = ?", get_args(Decision))},
                         {"seller": "/operators/{seller}", "buyer": "/operators/{buyer}"})
ALERTS = RecordList("/records/alerts", ("Alertas generadas", "Alerts raised"),
                    (("a.alert_id AS alert_id", "number"), ("a.rule AS rule", "rule"), ("a.severity AS severity", "severity"),
                     ("a.ruc AS ruc", "ruc"), ("a.chemical AS chemical", "chemical"), ("a.period_end AS period_end", "date"),
                     ("s.status AS status", "status"), ("s.outcome AS outcome", "outcome")),
                    "FROM alerts a LEFT JOIN alert_state s ON s.alert_id = a.alert_id "
                    "WHERE NOT a.shadow AND a.retired_at IS NULL", "a.period_end", "a.period_end, a.alert_id",
                    {"rule": Filter("a.rule = ?")}, {"alert_id": "/alerts/{alert_id}", "ruc": "/operators/{ruc}"})
ALERTS_CLOSED = RecordList("/records/alerts-closed", ("Alertas cerradas", "Alerts closed"),
                           (("s.alert_id AS alert_id", "number"), ("a.rule AS rule", "rule"), ("a.ruc AS ruc", "ruc"),
                            ("s.outcome AS outcome", "outcome"), ("s.closed_at AS closed_at", "date")),
                           "FROM alert_state s LEFT JOIN alerts a ON a.alert_id = s.alert_id", "s.closed_at",
                           "s.closed_at, s.alert_id", {"outcome": Filter("s.outcome = ?")}, {"alert_id": "/alerts/{alert_id}"})
CASES = RecordList("/records/cases", ("Casos abiertos", "Cases opened"),
                   (("c.case_id AS case_id", "number"), ("c.title AS title", "title"), ("c.status AS status", "status"),
                    ("c.opened_at AS opened_at", "date"), ("c.opened_by AS opened_by", "actor")),
                   "FROM case_state c", "c.opened_at", "c.opened_at, c.case_id", links={"case_id": "/cases/{case_id}"})
CASES_REFERRED = RecordList("/records/cases-referred", ("Casos derivados", "Cases referred"),
                            (("c.case_id AS case_id", "number"), ("c.title AS title", "title"), ("c.status AS status", "status"),
                             ("c.referral AS referral", "referral")),
                            "FROM case_log l JOIN case_state c ON c.case_id = l.case_id WHERE l.action = 'refer'", "l.recorded_at",
                            "c.case_id", links={"case_id": "/cases/{case_id}"}, distinct="c.case_id")
PLOTS = RecordList("/records/field-plots", ("Parcelas de coca erradicadas", "Coca plots eradicated"),
                   (("p.plot_id AS plot", "number"), ("p.date AS day", "date"), ("p.ubigeo AS ubigeo", "district"),
                    ("o.axis AS axis", "axis"), ("p.area_ha AS ha", "ha"), ("p.replanted AS replanted", "replanted"),
                    ("p.operation_id AS operation", "operation")),
                   "FROM field_plots p LEFT JOIN field_operations o ON o.operation_id = p.operation_id", "p.date",
                   "p.date, p.plot_id", {"axis": Filter("o.axis = ?"), "department": Filter("substr(p.ubigeo, 1, 2) = ?"),
                                         "replanted": Filter("p.replanted", fixed=True)}, total="ha")
SEEDBEDS = RecordList("/records/field-seedbeds", ("Almácigos erradicados", "Seedbeds eradicated"),
                      (("s.seedbed_id AS seedbed", "number"), ("s.date AS day", "date"), ("s.ubigeo AS ubigeo", "district"),
                       ("s.area_m2 AS m2", "m2"), ("s.operation_id AS operation", "operation")),
                      "FROM field_seedbeds s", "s.date", "s.date, s.seedbed_id", total="m2")
OPERATIONS = RecordList("/records/field-operations", ("Operaciones de erradicación", "Eradication operations"),
                        (("o.operation_id AS operation", "number"), ("o.date AS day", "date"), ("o.axis AS axis", "axis"),
                         ("o.ubigeo AS ubigeo", "district"), ("o.modality AS modality", "modality")),
                        "FROM field_operations o", "o.date", "o.date, o.operation_id", {"axis": Filter("o.axis = ?")})
INCIDENTS = RecordList("/records/field-incidents", ("Incidentes contra la erradicación", "Incidents against eradication"),
                       (("i.incident_id AS incident", "number"), ("i.date AS day", "date"), ("i.ubigeo AS ubigeo", "district"),
                        ("i.type AS type", "type"), ("i.aircraft_damaged AS aircraft", "aircraft"),
                        ("i.eradication_halted AS halted", "halted")),
                       "FROM field_incidents i", "i.date", "i.date, i.incident_id", {"type": Filter("i.type = ?")})
LABS = RecordList("/records/field-labs", ("Laboratorios hallados", "Labs found"),
                  (("l.lab_id AS lab", "number"), ("l.date AS day", "date"), ("l.ubigeo AS ubigeo", "district"),
                   ("l.type AS type", "type"), ("l.destroyed AS destroyed", "destroyed")),
                  "FROM field_labs l", "l.date", "l.date, l.lab_id")
FIELD_SEIZURES = RecordList("/records/field-seizures", ("Decomisos en campo", "Field seizures"),
                            (("s.seizure_id AS seizure", "number"), ("s.date AS day", "date"), ("s.ubigeo AS ubigeo", "district"),
                             ("s.substance AS substance", "substance"), ("s.chemical AS chemical", "chemical"),
                             ("s.quantity_kg AS kg", "kg"), ("s.seller_ruc AS seller", "seller"), ("s.lot_ref AS lot", "document"),
                             ("s.arrests AS arrests", "arrests")),
                            "FROM field_seizures s", "s.date", "s.date, s.seizure_id",
                            {"substance": Filter("s.substance = ?"), "traced": Filter(TRACED, fixed=True)},
                            {"seller": "/operators/{seller}"}, total="kg")
MEASUREMENTS = RecordList("/records/field-measurements", ("Campos de coca medidos", "Coca fields measured"),
                          (("f.measurement_id AS measurement", "number"), ("f.date AS day", "date"),
                           ("f.ubigeo AS ubigeo", "district"), ("f.community AS community", "community"),
                           ("f.measured_ha AS ha", "ha")),
                          "FROM field_measurements f", "f.date", "f.date, f.measurement_id", total="ha")
LISTS: tuple[RecordList, ...] = (
    CALLS, MANIFESTS, INSPECTIONS, PORT_SEIZURES, OPERATORS, OPERATOR_CHANGES, SUBMISSIONS, MOVEMENTS, SALE_CHECKS,
    ALERTS, ALERTS_CLOSED, CASES, CASES_REFERRED, PLOTS, SEEDBEDS, OPERATIONS, INCIDENTS, LABS, FIELD_SEIZURES,
    MEASUREMENTS,
)


class BadFilter(ValueError):
    """A filter value the list cannot honour; the message names the parameter and what it expects."""


def _day(value: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadFilter(f"{name}: expected a date YYYY-MM-DD, got {value!r}") from None


def _filters(spec: RecordList, params: Mapping[str, str]) -> tuple[list[str], list[Any]]:
    conds: list[str] = []
    values: list[Any] = []
    for name, f in spec.filters.items():
        value = params.get(name)
        if not value:
            continue
        if f.fixed:
            if value != "true":
                raise BadFilter(f"{name}: expected 'true', got {value!r}")
            conds.append(f.sql)
            continue
        if f.choices and value not in f.choices:
            raise BadFilter(f"{name}: expected one of {', '.join(f.choices)}, got {value!r}")
        conds.append(f.sql)
        values.append(value)
    return conds, values


def queries(spec: RecordList, params: Mapping[str, str], limit: int, offset: int) -> dict[str, tuple[str, list[Any]]]:
    """The page's three queries: its rows, their count and (for a summed figure) the total."""
    cols = ", ".join(c for c, _ in spec.columns)
    inner, values = spec.select(("DISTINCT " if spec.distinct else "") + cols, params)
    out = {"rows": (f"{inner} ORDER BY {spec.order} LIMIT ? OFFSET ?", [*values, limit, offset]),
           "count": (f"SELECT count(*) FROM ({inner}) q", values)}  # noqa: S608
    if spec.total:
        out["total"] = (f"SELECT coalesce(sum(q.{spec.total}), 0) FROM ({inner}) q", values)  # noqa: S608
    return out
