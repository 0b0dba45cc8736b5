"""Every ``TRAZA_`` setting, read from the environment by pydantic-settings: the one reader of
those variables (tests/core/test_settings_documented.py keeps it so; docs/settings.md lists them)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal, Self

from pydantic import Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from traza.core.errors import TrazaError

DEFAULT_URL = "duckdb:///traza.duckdb"
# Good enough on a developer's laptop, refused anywhere else: a known secret lets anyone mint
# staff tokens.
DEV_SECRET = "traza-development-secret-do-not-use-in-production"


class Environment(BaseSettings):
    """The settings without the service's secret check: what the CLI and the library read (at
    call time, through env(), so a changed variable takes effect as it did with os.environ)."""

    model_config = SettingsConfigDict(env_prefix="TRAZA_", extra="ignore")

    env: Literal["development", "production"] = Field(
        default="production", description="development relaxes the secret-key check and the Secure cookie flag.")
    database_url: str = Field(default=DEFAULT_URL, description=(
        "What the service and the CLI connect as (the APP role in PostgreSQL server mode; it never migrates)."))
    migrate_url: str | None = Field(default=None, description=(
        "`traza init` only: the OWNER role's URL, which migrates; unset, database_url is migrated."))
    app_role: str | None = Field(default=None, description="`traza init`: the app role granted the service's privileges.")
    audit_key: SecretStr | None = Field(default=None, description=(
        "Seals every audit event with an HMAC the database does not hold; `traza audit verify` needs it."))
    secret_key: SecretStr = Field(default=SecretStr(DEV_SECRET), description=(
        "Signs staff tokens and sessions; at least 32 random characters outside development."))
    token_minutes: int = Field(default=480, ge=1, le=7 * 24 * 60, description="Lifetime of a staff token.")
    max_upload_bytes: int = Field(default=20 * 1024 * 1024, ge=1024, description="Largest request body (declaration files).")
    check_rate_per_minute: int = Field(default=600, ge=1, description="Sale checks per operator per minute (token bucket).")
    check_burst: int = Field(default=60, ge=1, description="Sale checks an operator may send at once.")
    facts_refresh_seconds: float = Field(default=2.0, ge=0, description=(
        "How stale the facts behind a sale check may be; 0 checks for changes on every request."))
    check_flush_seconds: float = Field(default=0.0, ge=0, le=0.05, description=(
        "Optional pause before each group commit of sale checks, to gather larger batches."))
    check_wait_for_disk: bool = Field(default=True, description=(
        "PostgreSQL: whether a sale check's commit waits for its log to reach the disk."))
    db_pool_size: int = Field(default=8, ge=1, description="Database connections per service worker.")
    host: str = Field(default="127.0.0.1", description="Address `traza serve` listens on.")
    trusted_proxies: str = Field(default="", description=(
        "Comma-separated proxies whose X-Forwarded-For names the client; empty trusts none."))
    port: int = Field(default=8000, ge=1, le=65535, description="Port `traza serve` listens on.")
    workers: int = Field(default=1, ge=1, description="Worker processes of `traza serve` (PostgreSQL only).")
    argon2_time_cost: int = Field(default=3, ge=1, description="argon2id time cost of staff passwords.")
    argon2_memory_kib: int = Field(default=65536, ge=8, description="argon2id memory cost of staff passwords (KiB).")
    zone_limits_file: Path | None = Field(default=None, description="A zone-limits YAML replacing the packaged one.")
    data_dir: str | None = Field(default=None, description="A folder of reference data replacing the packaged files.")
    jurisdiction: str = Field(default="pe", description=(
        "The country: a file jurisdictions/<code>.yaml in the data folder (identifiers, geography, e-documents)."))
    new_password: str | None = Field(default=None, description="`traza staff-add`: the password, else it is asked for.")
    web_url: str = Field(default="http://127.0.0.1:8000", description="Web UI address the report's figures link to.")
    duckdb_memory: str = Field(default="4GB", description="DuckDB memory limit for detection (a size such as 4GB).")
    spark_master: str = Field(default="local[2]", description="Spark master for detection (a cluster URL, or local mode).")
    spark_remote: str | None = Field(default=None, description=(
        "A Spark Connect server for detection (sc://host:15002); set, it replaces spark_master."))
    spark_partitions: str = Field(default="4", description="spark.sql.shuffle.partitions.")
    spark_driver_memory: str = Field(default="4g", description="spark.driver.memory.")
    spark_broadcast: str = Field(default=str(8 * 1024 * 1024), description="spark.sql.autoBroadcastJoinThreshold (bytes).")


class Settings(Environment):
    """The service's settings: refuses to start with a known or short secret outside development."""

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


def env() -> Environment:
    """The environment's settings now (no secret check: the CLI and the library need none).

    Read at each call, so a changed variable takes effect; parsed once per distinct set of
    ``TRAZA_`` values, since building the object costs milliseconds and hot paths (every audit
    event, every catalogue lookup) ask for it."""
    return _parsed(tuple(sorted((k, v) for k, v in os.environ.items() if k.upper().startswith("TRAZA_"))))


class BadSettings(TrazaError):
    """A ``TRAZA_`` variable holds a value its setting does not take (the message names both)."""


def settings_problem(exc: ValidationError) -> BadSettings:
    """pydantic's error as one line per variable: ``TRAZA_ENV='Development': Input should be ...``."""
    return BadSettings("; ".join(
        f"TRAZA_{'_'.join(str(x) for x in e['loc']).upper() or '?'}={e.get('input')!r}: {e['msg']}"
        for e in exc.errors()))


@lru_cache(maxsize=16)
def _parsed(_snapshot: tuple[tuple[str, str], ...]) -> Environment:
    try:
        return Environment()
    except ValidationError as exc:
        raise settings_problem(exc) from None
