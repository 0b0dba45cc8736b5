"""Service settings, read from the environment (``TRAZA_`` prefix) by pydantic-settings."""

from __future__ import annotations

from pathlib import Path
from typing import Literal, Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from traza.store.url import DEFAULT_URL

# Good enough on a developer's laptop, refused anywhere else: a known secret lets anyone mint
# staff tokens.
DEV_SECRET = "traza-development-secret-do-not-use-in-production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TRAZA_", extra="ignore")

    env: Literal["development", "production"] = "production"
    # What the service connects as. In PostgreSQL server mode with two roles this is the APP
    # role: it owns nothing and may only SELECT and INSERT the audit log (store/roles.py), so it
    # never migrates; started on an outdated schema it stops and says to run `traza init`.
    database_url: str = DEFAULT_URL
    # Read by `traza init` (not by the service): the OWNER role's URL, which migrates and owns
    # the schema; unset, `traza init` migrates database_url (one role: tests, demo, DuckDB).
    migrate_url: str | None = None
    # Read by `traza init`: the app role it grants the service's privileges to after migrating.
    app_role: str | None = None
    # The audit chain's key (store/chain.py): set, every event is sealed with an HMAC the
    # database does not hold, so a role that may INSERT events cannot forge a well-formed one;
    # `traza audit verify` needs it to check the seals. Read from the environment by every
    # process that appends events (the service, the CLI's loads and detection).
    audit_key: SecretStr | None = None
    secret_key: SecretStr = SecretStr(DEV_SECRET)
    token_minutes: int = Field(default=480, ge=1, le=7 * 24 * 60)
    # Every request body; declaration files are the big ones.
    max_upload_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)
    # Sale checks per operator, all its keys together (token bucket in each worker process).
    check_rate_per_minute: int = Field(default=600, ge=1)
    check_burst: int = Field(default=60, ge=1)
    # How stale the registry, quota and alert facts behind a sale check may be. 0 checks for
    # changes on every request (tests); otherwise a background thread reloads them when the
    # database changed.
    facts_refresh_seconds: float = Field(default=2.0, ge=0)
    # A sale check is answered once its record is committed (group commit: one transaction
    # for every check queued meanwhile); this is an optional pause before each commit to
    # gather larger batches. 0: commit as soon as the previous commit ends.
    check_flush_seconds: float = Field(default=0.0, ge=0, le=0.05)
    # PostgreSQL: whether a check's commit also waits for its log to reach the disk
    # (store.salechecks.prepare_writer says what each choice survives).
    check_wait_for_disk: bool = True
    db_pool_size: int = Field(default=8, ge=1)
    host: str = "127.0.0.1"
    # Addresses of the reverse proxies whose X-Forwarded-For names the client (comma-separated,
    # as uvicorn's --forwarded-allow-ips); empty: no proxy is trusted and the connection's own
    # address is the client's (login throttling counts per client address).
    trusted_proxies: str = ""
    port: int = Field(default=8000, ge=1, le=65535)
    workers: int = Field(default=1, ge=1)
    # argon2id cost of staff passwords (tests lower it).
    argon2_time_cost: int = Field(default=3, ge=1)
    argon2_memory_kib: int = Field(default=65536, ge=8)
    zone_limits_file: Path | None = None

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> Self:
        secret = self.secret_key.get_secret_value()
        if self.env != "development" and (secret == DEV_SECRET or len(secret) < 32):
            raise ValueError(
                "TRAZA_SECRET_KEY must be set to a random value of at least 32 characters outside "
                "development (e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`), "
                "or set TRAZA_ENV=development on a developer's machine"
            )
        return self
