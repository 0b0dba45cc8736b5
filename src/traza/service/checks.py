"""The sale check behind ``POST /v1/checks/sale``: facts held in memory, the pure decision
(:mod:`traza.core.salecheck`), and the record of every check.

The registry, the quota used, zone deliveries, open alerts and API keys are read in bulk into
an immutable snapshot, so a check touches no database: that is what lets one worker answer
thousands of checks a second. The snapshot is replaced when the database changed (a cheap
watermark query) — on every request when ``refresh_seconds`` is 0, else by a background
thread at that interval, so facts are at most that old. A check's record is committed before
its answer is sent (:mod:`traza.service.checkrecord`, group commit).

The check itself, for every door (API route, fast path, portal page), is
:func:`traza.service.checkanswer.answer`.
"""

from __future__ import annotations

import hmac
import json
import logging
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from traza.core.catalogue import default_catalogue
from traza.core.geo import default_geography
from traza.core.salecheck import Authorisation, SaleFacts, SaleVerdict, decide, worst_severity
from traza.core.zone_limits import ZoneLimits
from traza.service import accounts
from traza.service.keys import secret_hash, split_api_key
from traza.store import salechecks as repo
from traza.store.db import Database

log = logging.getLogger("traza.api.checks")
_AUTH_KEY = tuple[str, str]


@dataclass(frozen=True)
class Snapshot:
    watermark: tuple[Any, ...]
    loaded_at: datetime
    operators: dict[str, str]
    auths: dict[_AUTH_KEY, tuple[Authorisation, ...]]
    establishments: dict[str, dict[str, str]]
    acquired: dict[_AUTH_KEY, float]
    zone_delivered: dict[_AUTH_KEY, float]
    open_alerts: dict[str, tuple[int, str | None]]
    confirmed: frozenset[str]
    keys: dict[str, tuple[str, str]]  # key_id -> (secret hash, ruc)


def _day(v: Any) -> date:
    return v if isinstance(v, date) and not isinstance(v, datetime) else date.fromisoformat(str(v)[:10])


def load_snapshot(db: Database, mark: tuple[Any, ...], today: date, zones: dict[str, str]) -> Snapshot:
    ops, auth_rows, est_rows = repo.registry(db)
    auths: dict[_AUTH_KEY, list[Authorisation]] = defaultdict(list)
    for ruc, chem, acts, quota, vf, vt in auth_rows:
        auths[(ruc, chem)].append(Authorisation(frozenset(str(acts).split(";")),
                                                None if quota is None else float(quota),
                                                _day(vf), None if vt is None else _day(vt)))
    ests: dict[str, dict[str, str]] = defaultdict(dict)
    for ruc, code, ubigeo in est_rows:
        ests[ruc][code] = ubigeo
    year = date(today.year, 1, 1)
    month = today.replace(day=1)
    next_month = (month + timedelta(days=32)).replace(day=1)
    acquired = {(r, c): float(kg or 0) for r, c, kg in repo.acquired(db, year, date(today.year + 1, 1, 1))}
    zone: dict[_AUTH_KEY, float] = defaultdict(float)
    for buyer, chem, ubigeo, kg in repo.delivered(db, month, next_month):
        if ubigeo in zones:
            zone[(buyer, chem)] += float(kg or 0)
    severities: dict[str, list[str]] = defaultdict(list)
    confirmed: set[str] = set()
    year_ago = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=365)
    for ruc, severity, status, outcome, closed_at in repo.alerts(db):
        if status != "closed":
            severities[ruc].append(severity)
        elif outcome == "confirmed_diversion" and closed_at is not None and closed_at >= year_ago:
            confirmed.add(ruc)
    return Snapshot(
        mark, datetime.now(UTC), dict(ops), {k: tuple(v) for k, v in auths.items()}, dict(ests), acquired,
        dict(zone), {r: (len(s), worst_severity(s)) for r, s in severities.items()}, frozenset(confirmed),
        {k: (h, r) for k, h, r in repo.keys(db)})


@dataclass(frozen=True)
class Principal:
    ruc: str
    key_id: str


class Facts:
    """The current snapshot, kept fresh; and API key verification against it."""

    def __init__(self, take: Any, give: Any, refresh_seconds: float) -> None:
        self._take, self._give = take, give
        self.refresh_seconds = refresh_seconds
        self.zones = {z.ubigeo: z.zone for z in default_geography().zones}
        self._lock = threading.Lock()
        self._snap: Snapshot | None = None
        self._late_keys: dict[str, tuple[str, str]] = {}  # issued since the snapshot
        self._revoked: set[str] = set()  # revoked in this process since the snapshot
        self._status: dict[str, str | None] = {}  # operators' status changed or read since the snapshot
        # When this worker noted a suspension or a revocation (monotonic seconds): a refresh
        # that began reading before then keeps it, for its snapshot may predate the change.
        self._noted: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self.refresh()
        if self.refresh_seconds > 0:
            self._thread = threading.Thread(target=self._loop, name="traza-facts", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)

    def _loop(self) -> None:
        while not self._stop.wait(self.refresh_seconds):
            try:
                self.refresh()
            except Exception:  # keep serving the last good facts; the next round retries
                log.exception("refreshing sale-check facts failed")

    def refresh(self, force: bool = False) -> Snapshot:
        db: Database = self._take()
        try:
            today = date.today()
            mark = (*repo.watermark(db), today)
            snap = self._snap
            if snap is None or force or snap.watermark != mark:
                began = time.monotonic()
                snap = load_snapshot(db, mark, today, self.zones)
                with self._lock:
                    keep = {k: t for k, t in self._noted.items() if t >= began}
                    self._snap, self._late_keys, self._noted = snap, {}, keep
                    self._revoked = {k for k in self._revoked if f"key:{k}" in keep}
                    self._status = {r: v for r, v in self._status.items() if f"ruc:{r}" in keep}
            return snap
        finally:
            self._give(db)

    def current(self) -> Snapshot:
        snap = self._snap
        if snap is None or self.refresh_seconds == 0:
            return self.refresh()
        return snap

    def status(self, ruc: str) -> str | None:
        """The operator's registry status as this worker knows it (None: not registered)."""
        snap = self.current()
        if ruc in self._status:
            return self._status[ruc]
        return snap.operators.get(ruc)

    def note_status(self, ruc: str, status: str | None) -> None:
        """A status change made in this worker counts at once; other workers see it at their
        next refresh (``refresh_seconds``)."""
        with self._lock:
            self._status[ruc] = status
            self._noted[f"ruc:{ruc}"] = time.monotonic()

    def verify_key(self, token: str) -> Principal | None:
        """The operator behind a key; None for a key that is malformed, unknown, revoked or
        wrong. A valid key of an operator that is not active raises :class:`InactiveOperator`:
        only active operators may use the API (issue 16, finding 5)."""
        parts = split_api_key(token)
        if parts is None:
            return None
        key_id, secret = parts
        if key_id in self._revoked:
            return None
        known = self.current().keys.get(key_id) or self._late_keys.get(key_id)
        if known is None:
            # Issued after the snapshot (perhaps by another worker): ask the database once,
            # and for the operator's status too (it may have registered since the snapshot).
            db: Database = self._take()
            try:
                rec = accounts.find_key(db, key_id)
                status = repo.operator_status(db, rec.ruc) if rec is not None else None
            finally:
                self._give(db)
            if rec is None or rec.revoked:
                return None
            known = (rec.secret_hash, rec.ruc)
            with self._lock:
                self._late_keys[key_id] = known
                self._status.setdefault(rec.ruc, status)
        if not hmac.compare_digest(known[0], secret_hash(secret)):
            return None
        status = self.status(known[1])
        if status != "active":
            raise InactiveOperator(known[1], status)
        return Principal(known[1], key_id)

    def forget_key(self, key_id: str) -> None:
        with self._lock:
            self._revoked.add(key_id)
            self._late_keys.pop(key_id, None)
            self._noted[f"key:{key_id}"] = time.monotonic()


class InactiveOperator(Exception):
    """A valid key whose operator is suspended, revoked or no longer registered."""

    def __init__(self, ruc: str, status: str | None) -> None:
        self.ruc, self.status = ruc, status
        what = f"is {status}" if status else "is not registered"
        super().__init__(f"the operator {ruc} {what}: its API keys work only while its registration is active "
                         "(ask the registry)")


@dataclass(frozen=True)
class SaleRequest:
    seller_ruc: str
    buyer_ruc: str
    chemical: str  # catalogue code
    quantity: float
    unit: str
    quantity_kg: float
    seller_establishment: str | None = None
    buyer_establishment: str | None = None
    destination_ubigeo: str | None = None


@dataclass
class CheckResult:
    check_id: str
    checked_at: datetime
    verdict: SaleVerdict
    destination_ubigeo: str | None
    zone: str | None
    facts_as_of: datetime
    row: tuple[Any, ...] = field(repr=False, default=())


def evaluate(snap: Snapshot, req: SaleRequest, limits: ZoneLimits, zones: dict[str, str],
             key_id: str | None, today: date | None = None) -> CheckResult:
    day = today or date.today()
    chem = default_catalogue().chemical(req.chemical)
    assert chem is not None  # the router resolved it
    buyer_ests = snap.establishments.get(req.buyer_ruc, {})
    est_state: Any = None
    destination = req.destination_ubigeo
    if req.buyer_establishment is not None:
        est_ubigeo = buyer_ests.get(req.buyer_establishment)
        if est_ubigeo is None:
            est_state = "unknown"
        else:
            destination = destination or est_ubigeo
            est_state = "ok" if destination == est_ubigeo else "elsewhere"
    elif destination is not None and req.buyer_ruc in snap.operators:
        est_state = "ok" if destination in buyer_ests.values() else "elsewhere"
    zone = zones.get(destination) if destination else None
    alerts = snap.open_alerts.get(req.buyer_ruc, (0, None))
    facts = SaleFacts(
        chemical=chem.code, quantity_kg=req.quantity_kg, day=day,
        seller_status=snap.operators.get(req.seller_ruc),
        seller_authorisations=snap.auths.get((req.seller_ruc, chem.code), ()),
        buyer_status=snap.operators.get(req.buyer_ruc),
        buyer_authorisations=snap.auths.get((req.buyer_ruc, chem.code), ()),
        quota_used_kg=snap.acquired.get((req.buyer_ruc, chem.code), 0.0),
        zone=zone, controlled_here=chem.controlled_scope == "national" or zone is not None,
        zone_limit_kg=limits.limit_kg(chem.code), zone_review_fraction=limits.review_fraction,
        zone_used_kg=snap.zone_delivered.get((req.buyer_ruc, chem.code), 0.0),
        establishment=est_state, open_alerts=alerts[0], open_alert_severity=alerts[1],
        confirmed_diversion=req.buyer_ruc in snap.confirmed,
        single_purchase_threshold_kg=chem.single_purchase_threshold_kg,
    )
    verdict = decide(facts)
    at = datetime.now(UTC).replace(tzinfo=None)
    check_id = uuid.uuid4().hex
    row = (check_id, at, key_id, req.seller_ruc, req.seller_establishment, req.buyer_ruc, req.buyer_establishment,
           destination, zone, chem.code, req.quantity, req.unit, req.quantity_kg, verdict.decision,
           json.dumps([r.code for r in verdict.reasons]), verdict.quota_remaining_kg)
    return CheckResult(check_id, at, verdict, destination, zone, snap.loaded_at, row)

