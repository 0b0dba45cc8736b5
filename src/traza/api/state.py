"""What one app instance holds: settings, the connection pool, sale-check facts and recorder."""

from __future__ import annotations

from dataclasses import dataclass

from traza.api.limits import RateLimiter
from traza.api.pool import Pool
from traza.api.security import Passwords
from traza.api.settings import Settings
from traza.core.zone_limits import ZoneLimits, default_zone_limits, load_zone_limits
from traza.service.checkanswer import Answer, SaleAsk, answer
from traza.service.checkrecord import Recorder
from traza.service.checks import Facts, Principal


@dataclass
class AppState:
    settings: Settings
    pool: Pool
    facts: Facts
    recorder: Recorder
    limiter: RateLimiter
    passwords: Passwords
    zone_limits: ZoneLimits

    @classmethod
    def build(cls, settings: Settings) -> AppState:
        pool = Pool(settings.database_url, settings.db_pool_size)
        return cls(
            settings, pool,
            Facts(pool.take, pool.give, settings.facts_refresh_seconds),
            Recorder(pool.take, pool.give, settings.check_flush_seconds, settings.check_wait_for_disk),
            RateLimiter(settings.check_rate_per_minute, settings.check_burst),
            Passwords(settings.argon2_time_cost, settings.argon2_memory_kib),
            load_zone_limits(settings.zone_limits_file) if settings.zone_limits_file else default_zone_limits(),
        )

    def sale_check(self, op: Principal, ask: SaleAsk) -> Answer:
        """The sale check with this instance's facts, limiter and zone limits; the caller sends
        the answer once ``deliver(self.recorder, ...)`` recorded it."""
        return answer(self.facts, self.limiter, self.zone_limits, self.settings.check_rate_per_minute, op, ask)

    def start(self) -> None:
        self.facts.start()
        self.recorder.start()

    def stop(self) -> None:
        self.recorder.stop()
        self.facts.stop()
        self.pool.close()
