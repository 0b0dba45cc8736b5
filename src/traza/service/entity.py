"""Any RUC seen anywhere in the data, registered or not: where it appears, who sold it what,
where that was delivered, whom it shares an identity with, and the search over registry names
and the RUCs the ledger and the alerts name."""

from __future__ import annotations

import re
from typing import Any

from traza.core.geo import Geography, default_geography
from traza.store.db import Database

# How a party stands: its registry status, or not in the registry at all.
UNREGISTERED = "unregistered"
SEARCH_LIMIT = 50
_LIKE_SPECIALS = re.compile(r"[%_\\]")
# Flows into the subject as its counterparties declared them (a seller's sale names the buyer).
_TO_IT = "('sale', 'transfer_out')"


def appearances(db: Database, ruc: str) -> dict[str, int]:
    """How often the RUC appears: as a declarant, as a declared counterparty, as an alert's
    subject and in sale checks (as seller or buyer). All zero: seen nowhere."""
    row = db.query(
        "SELECT (SELECT count(*) FROM movements WHERE declarant_ruc = ?), "
        "(SELECT count(*) FROM movements WHERE counterparty_ruc = ?), "
        "(SELECT count(*) FROM alerts WHERE ruc = ?), "
        "(SELECT count(*) FROM sale_checks WHERE seller_ruc = ? OR buyer_ruc = ?)", (ruc, ruc, ruc, ruc, ruc))[0]
    return {"declared": int(row[0] or 0), "named": int(row[1] or 0), "alerts": int(row[2] or 0),
            "checks": int(row[3] or 0)}


def standing(record: dict[str, Any] | None) -> str:
    """'active', 'suspended', 'revoked' (the registry's status) or 'unregistered'."""
    return str(record["status"]) if record is not None else UNREGISTERED


def suppliers(db: Database, ruc: str) -> list[dict[str, Any]]:
    """Who sold (or transferred) the subject what, per seller and chemical, as the sellers
    declared it: kilograms, number of movements, first and last date."""
    return db.dicts(
        "SELECT m.declarant_ruc AS seller, max(o.name) AS seller_name, max(o.status) AS seller_status, m.chemical, "
        "sum(m.quantity_kg) AS kg, count(*) AS n, min(m.date) AS first_date, max(m.date) AS last_date "
        f"FROM movements m LEFT JOIN operators o ON o.ruc = m.declarant_ruc WHERE m.counterparty_ruc = ? "
        f"AND m.type IN {_TO_IT} GROUP BY m.declarant_ruc, m.chemical ORDER BY kg DESC, seller, m.chemical", (ruc,))


def latest_deliveries(db: Database, ruc: str, geo: Geography | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """The latest sales and transfers to the subject, one row each, with the district named."""
    rows = db.dicts(
        "SELECT m.movement_id, m.date, m.type, m.declarant_ruc AS seller, o.name AS seller_name, m.chemical, "
        "m.quantity_kg AS kg, m.destination_ubigeo, m.document_ref FROM movements m "
        f"LEFT JOIN operators o ON o.ruc = m.declarant_ruc WHERE m.counterparty_ruc = ? AND m.type IN {_TO_IT} "
        "ORDER BY m.date DESC, m.movement_id DESC LIMIT ?", (ruc, limit))
    for r in rows:
        r["district"] = district_name(r["destination_ubigeo"], geo)
    return rows


def destinations(db: Database, ruc: str, geo: Geography | None = None) -> list[dict[str, Any]]:
    """Where what was sold to the subject was delivered: per district (named, with its
    special-regime zone if any), kilograms, movements, first and last date."""
    rows = db.dicts(
        "SELECT destination_ubigeo AS ubigeo, sum(quantity_kg) AS kg, count(*) AS n, min(date) AS first_date, "
        f"max(date) AS last_date FROM movements WHERE counterparty_ruc = ? AND type IN {_TO_IT} "
        "GROUP BY destination_ubigeo ORDER BY kg DESC", (ruc,))
    g = geo or default_geography()
    for r in rows:
        r["district"] = district_name(r["ubigeo"], g)
        zone = g.zone_of(r["ubigeo"]) if r["ubigeo"] else None
        r["zone"] = zone.replace("_", " ") if zone else None
    return rows


def district_name(ubigeo: str | None, geo: Geography | None = None) -> str | None:
    """'District (Province, Department)' for a ubigeo; the code itself when the geography does
    not know it; None when there is none."""
    if not ubigeo:
        return None
    d = (geo or default_geography()).district(ubigeo)
    return f"{place(d.name)} ({place(d.province)}, {place(d.department)})" if d is not None else ubigeo


_SMALL = frozenset({"de", "del", "la", "las", "los", "el", "y"})


def place(name: str) -> str:
    """A place name as the geography writes it (upper case) in the case people read:
    'SAN JUAN DE LURIGANCHO' is 'San Juan de Lurigancho'."""
    words = name.lower().split()
    return " ".join(w if i and w in _SMALL else w[:1].upper() + w[1:] for i, w in enumerate(words))


def shared_identities(db: Database, record: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Other registered operators with the same legal representative, phone (digits only) or
    e-mail (case aside) as the subject's registry record: what the shared-identity rule
    compares. None registered: nothing to compare."""
    if record is None:
        return []
    rep = (record.get("representative_id") or "").strip()
    phone = re.sub(r"[^0-9]", "", record.get("phone") or "")
    email = (record.get("email") or "").strip().lower()
    if not (rep or len(phone) >= 6 or email):
        return []
    rows = db.dicts(
        "SELECT ruc, name, status, registered_on, representative_id, phone, email FROM operators "
        "WHERE ruc <> ? AND (representative_id = ? OR lower(email) = ? OR "
        "regexp_replace(coalesce(phone, ''), '[^0-9]', '', 'g') = ?) ORDER BY ruc LIMIT 100",
        (record["ruc"], rep or None, email or None, phone if len(phone) >= 6 else None))
    for r in rows:
        r["shared"] = [kind for kind, same in (
            ("representative", bool(rep) and (r["representative_id"] or "").strip() == rep),
            ("phone", len(phone) >= 6 and re.sub(r"[^0-9]", "", r["phone"] or "") == phone),
            ("email", bool(email) and (r["email"] or "").strip().lower() == email)) if same]
    return rows


def _like(text: str) -> str:
    return _LIKE_SPECIALS.sub("", text)


def search(db: Database, q: str, limit: int = SEARCH_LIMIT) -> list[dict[str, Any]]:
    """Entities matching a search, registered ones first: ASCII digits are the start of a RUC
    (from the registry, the ledger's declarants and counterparties, and the alerts); anything
    else is part of a registered name (case aside). ``q`` is already clean (core/text.py)."""
    text = q.strip()
    compact = re.sub(r"[\s.-]", "", text)
    if compact.isascii() and compact.isdigit():
        if len(compact) < 2:
            return []
        prefix = compact + "%"
        registered = db.dicts("SELECT ruc, name, status, sector FROM operators WHERE ruc LIKE ? ORDER BY ruc LIMIT ?",
                              (prefix, limit))
        seen = db.query(
            "SELECT ruc FROM (SELECT counterparty_ruc AS ruc FROM movements WHERE counterparty_ruc LIKE ? "
            "UNION SELECT declarant_ruc FROM movements WHERE declarant_ruc LIKE ? "
            "UNION SELECT ruc FROM alerts WHERE ruc LIKE ?) x ORDER BY ruc LIMIT ?",
            (prefix, prefix, prefix, limit + len(registered)))
        known = {r["ruc"] for r in registered}
        others = [{"ruc": str(r[0]), "name": None, "status": UNREGISTERED, "sector": None}
                  for r in seen if r[0] is not None and str(r[0]) not in known]
        return (registered + others)[:limit]
    words = _like(text.lower())
    if len(words.strip()) < 2:
        return []
    return db.dicts("SELECT ruc, name, status, sector FROM operators WHERE lower(name) LIKE ? ORDER BY name, ruc "
                    "LIMIT ?", ("%" + words + "%", limit))
