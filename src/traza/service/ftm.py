"""FollowTheMoney (FtM) entities of the registry and the ledger, for investigators who take a
case further in Aleph: operators as companies, establishments as addresses, representatives as
people with their directorships, chemical transfers between parties as links, alerts and case
notes as notes. Built with the followthemoney library itself (an optional dependency:
``pip install 'traza[ftm]'``), so every entity is one its model accepts.

Shared identities need no entity of their own: two companies with the same representative are
both directed by one Person (its id comes from the identity document), and a shared phone or
e-mail is the same property value on both, which Aleph cross-references.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from traza.core.jurisdiction import jurisdiction
from traza.service.entity import district_name
from traza.store.db import Database

PREFIX = "traza"  # every id is make_id(PREFIX, kind, key...): stable across exports


class FtmUnavailable(Exception):
    """followthemoney is not installed."""


@dataclass(frozen=True)
class Scope:
    """What to export: one case (its alerts' operators), one RUC, or everything (all None)."""

    case_id: int | None = None
    ruc: str | None = None


def _model() -> Any:
    try:
        from followthemoney import model
    except ImportError as exc:  # pragma: no cover - the CLI says how to install it
        raise FtmUnavailable("the FollowTheMoney export needs the followthemoney library: "
                             "pip install 'traza[ftm]' (it builds PyICU: apt install libicu-dev pkg-config g++)") from exc
    return model


def _rucs(db: Database, scope: Scope) -> list[str] | None:
    """The parties at the centre of the export (None: all of them)."""
    if scope.case_id is not None:
        rows = db.query("SELECT DISTINCT a.ruc FROM case_alerts ca JOIN alerts a ON a.alert_id = ca.alert_id "
                        "WHERE ca.case_id = ? ORDER BY 1", (scope.case_id,))
        if not rows and not db.query("SELECT 1 FROM case_state WHERE case_id = ?", (scope.case_id,)):
            raise KeyError(f"no case {scope.case_id}")
        return [str(r[0]) for r in rows]
    if scope.ruc is None:
        return None
    if not db.query("SELECT 1 FROM operators WHERE ruc = ? UNION ALL SELECT 1 FROM movements "
                    "WHERE counterparty_ruc = ? LIMIT 1", (scope.ruc, scope.ruc)):
        raise KeyError(f"no party with RUC {scope.ruc}: neither registered nor named by a declaration")
    return [scope.ruc]


def _in(column: str, rucs: list[str] | None) -> tuple[str, list[Any]]:
    if rucs is None:
        return "TRUE", []
    return f"{column} IN ({', '.join('?' for _ in rucs)})", list(rucs)


class _Builder:
    def __init__(self, db: Database) -> None:
        self.db, self.model = db, _model()
        self.country = jurisdiction().code.lower()

    def make(self, schema: str, *key: str) -> Any:
        e = self.model.make_entity(schema)
        e.make_id(PREFIX, schema.lower(), *key)
        return e

    def party(self, ruc: str, row: dict[str, Any] | None) -> Any:
        e = self.make("Company" if row else "LegalEntity", ruc)
        e.add("name", row["name"] if row else f"RUC {ruc}")
        e.add("taxNumber", ruc)
        e.add("jurisdiction", self.country)
        e.add("country", self.country)
        if row:
            e.add("sector", row["sector"])
            e.add("status", row["status"])
            e.add("incorporationDate", str(row["registered_on"]))
            e.add("phone", row["phone"])
            e.add("email", row["email"])
        else:
            e.add("description", "named in declarations, not in the registry")
        return e


def entities(db: Database, scope: Scope = Scope()) -> Iterator[Any]:
    """The FtM entity proxies of ``scope``, parties first, then what links them."""
    b = _Builder(db)
    centre = _rucs(db, scope)
    where, params = _in("o.ruc", centre)
    operators = {r["ruc"]: r for r in db.dicts(
        f"SELECT ruc, name, sector, registered_on, status, representative_id, phone, email FROM operators o WHERE {where}",  # noqa: S608 - marks only
        params)}
    # Transfers between two parties (a sale declared by the seller), by chemical and month.
    w_seller, p_seller = _in("m.declarant_ruc", centre)
    w_buyer, p_buyer = _in("m.counterparty_ruc", centre)
    flows = db.dicts(
        "SELECT m.declarant_ruc AS seller, m.counterparty_ruc AS buyer, m.chemical, date_trunc('month', m.date) AS month, "
        "min(m.date) AS first_day, max(m.date) AS last_day, sum(m.quantity_kg) AS kg, count(*) AS n, "
        "string_agg(DISTINCT m.document_ref, ' ') AS docs FROM movements m "
        f"WHERE m.type = 'sale' AND m.counterparty_ruc IS NOT NULL AND ({w_seller} OR {w_buyer}) "  # noqa: S608 - marks only
        "GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4", [*p_seller, *p_buyer])
    named = sorted({*operators, *(f["seller"] for f in flows), *(f["buyer"] for f in flows)})
    missing = [r for r in named if r not in operators]
    if missing and centre is not None:  # for --all every registered party is read already
        w, p = _in("ruc", missing)
        operators.update({r["ruc"]: r for r in db.dicts(
            f"SELECT ruc, name, sector, registered_on, status, representative_id, phone, email FROM operators WHERE {w}", p)})  # noqa: S608
    parties = {ruc: b.party(ruc, operators.get(ruc)) for ruc in named}
    linked = list(_registry(b, operators, parties))  # adds each party's addresses first
    yield from parties.values()
    yield from linked
    for f in flows:
        link = b.make("UnknownLink", f["seller"], f["buyer"], f["chemical"], str(f["month"])[:7])
        link.add("subject", parties[f["seller"]].id)
        link.add("object", parties[f["buyer"]].id)
        link.add("role", f"sold {f['chemical']}")
        link.add("startDate", str(f["first_day"]))
        link.add("endDate", str(f["last_day"]))
        link.add("summary", f"{float(f['kg']):,.0f} kg of {f['chemical']} in {f['n']} sale(s)")
        if f["docs"]:
            link.add("description", f"documents: {f['docs']}")
        yield link
    yield from _notes(b, db, centre, parties, scope)


def _registry(b: _Builder, operators: dict[str, dict[str, Any]], parties: dict[str, Any]) -> Iterator[Any]:
    if not operators:
        return
    w, p = _in("ruc", sorted(operators))
    for est in b.db.dicts(f"SELECT ruc, establishment_code, ubigeo, address FROM establishments WHERE {w} "  # noqa: S608
                          "ORDER BY ruc, establishment_code", p):
        place = b.make("Address", est["ruc"], est["establishment_code"])
        place.add("full", ", ".join(x for x in (est["address"], district_name(est["ubigeo"])) if x))
        place.add("country", b.country)
        place.add("remarks", f"establishment {est['establishment_code']} of RUC {est['ruc']}")
        yield place
        parties[est["ruc"]].add("addressEntity", place.id)
    people: dict[str, Any] = {}
    for ruc, row in sorted(operators.items()):
        rep = row.get("representative_id")
        if not rep:
            continue
        if rep not in people:  # one person for every company it represents
            person = people[rep] = b.make("Person", rep)
            person.add("name", f"{jurisdiction().person_id.name} {rep}")
            person.add("idNumber", rep)
            yield person
        person = people[rep]
        role = b.make("Directorship", rep, ruc)
        role.add("director", person.id)
        role.add("organization", parties[ruc].id)
        role.add("role", "legal representative")
        yield role


def _notes(b: _Builder, db: Database, centre: list[str] | None, parties: dict[str, Any], scope: Scope) -> Iterator[Any]:
    w, p = _in("a.ruc", centre)
    for a in db.dicts(f"SELECT a.alert_id, a.ruc, a.rule, a.severity, a.explanation_en, a.period_start, a.period_end "  # noqa: S608
                      f"FROM alerts a WHERE NOT a.shadow AND a.retired_at IS NULL AND {w} ORDER BY a.alert_id", p):
        if a["ruc"] not in parties:
            continue
        note = b.make("Note", "alert", a["alert_id"])
        note.add("entity", parties[a["ruc"]].id)
        note.add("summary", f"traza alert {a['alert_id']}: {a['rule']} ({a['severity']}), "
                            f"{a['period_start']} to {a['period_end']}")
        note.add("description", a["explanation_en"])
        yield note
    if scope.case_id is None:
        return
    for n in db.dicts("SELECT event_id, value, recorded_at, actor FROM case_log WHERE case_id = ? AND action = 'note' "
                      "ORDER BY event_id", (scope.case_id,)):
        note = b.make("Note", "case", str(scope.case_id), str(n["event_id"]))
        for party in (parties[r] for r in (centre or []) if r in parties):
            note.add("entity", party.id)
        note.add("summary", f"note on traza case {scope.case_id} by {n['actor']}, {str(n['recorded_at'])[:16]}")
        note.add("description", n["value"])
        yield note


def write(db: Database, out: IO[str], scope: Scope = Scope()) -> int:
    """Write ``scope`` as FtM JSON lines (``alephclient write-entities`` reads them); return the count."""
    n = 0
    for e in entities(db, scope):
        out.write(json.dumps(e.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
        n += 1
    return n
