"""The only reader of the environment: a frozen Settings built by Settings.from_env()."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

from moderation.local.address import published as local_redis
from moderation.logs import FORMATS
from moderation.ratelimit import Rate
from moderation.secretbox import SecretKeyError, box

#: Prefix of every setting of ours; DATABASE_URL and REDIS_URL keep their conventional names.
PREFIX = "MODERATION_"

#: The repository's config/ folder, used when MODERATION_CONFIG_DIR is not set.
DEFAULT_CONFIG_DIR = Path(__file__).resolve().parent.parent / "config"


class SettingsError(ValueError):
    """An environment variable holds a value the service cannot use."""


def _int(name: str, raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}") from None


def _float(name: str, raw: str) -> float:
    try:
        return float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, not {raw!r}") from None


def _bool(name: str, raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise SettingsError(f"{name} must be true or false, not {raw!r}")


@dataclass(frozen=True)
class Settings:
    """Every tunable of the service, with its default; see the README's configuration table."""

    #: SQLAlchemy URL of the durable record; SQLite file by default (embedded, no server).
    database_url: str = "sqlite:///var/moderation.sqlite3"
    #: Redis holding the RQ queues; `moderation up` starts a private one when this is unset, and
    #: other commands run in its folder use that one (var/redis.json).
    redis_url: str = "redis://127.0.0.1:6379/0"
    #: Folder with rules.toml and the lexicon tiers.
    config_dir: Path = field(default=DEFAULT_CONFIG_DIR)
    #: Name of the RQ queue comments are moderated from.
    queue_name: str = "moderation"
    #: Largest request body accepted, in bytes (larger: 413).
    max_body_bytes: int = 64 * 1024
    #: Largest batch request body accepted, in bytes (larger: 413).
    max_batch_bytes: int = 2 * 1024 * 1024
    #: Longest comment text accepted, in characters (longer: 422).
    max_text_chars: int = 10_000
    #: Most comments accepted in one POST /v1/comments/batch.
    batch_max: int = 100
    #: Most comment ids a worker takes into one transaction.
    job_batch_size: int = 200
    #: When this many jobs already wait in the queue, new ids join the pending list they drain.
    coalesce_after: int = 8
    #: Seconds a web process gathers new comment ids after handing some to Redis (0: never).
    enqueue_window: float = 0.05
    #: Seconds a job may run before RQ stops it.
    job_timeout: int = 120
    #: Seconds a job may wait in the queue before RQ drops it (the sweeper then re-enqueues).
    job_ttl: int = 3600
    #: Seconds RQ keeps a finished job's result.
    result_ttl: int = 300
    #: Seconds RQ keeps a failed job for inspection.
    failure_ttl: int = 7 * 24 * 3600
    #: How many times RQ retries a failed job, and after how many seconds each time.
    job_retries: int = 3
    #: Comments still queued this many seconds after they were last enqueued are re-enqueued.
    sweep_after: int = 60
    #: Seconds between two sweeps run by the workers' maintenance.
    sweep_interval: int = 30
    #: Seconds a web process trusts its cached lookup of a site key (revocation delay).
    key_cache_seconds: float = 5.0
    #: Seconds between two checks of config/ for rule changes in a worker.
    rules_check_interval: float = 1.0
    #: Log level of web and worker processes.
    log_level: str = "INFO"
    #: Log lines as readable `text` (a terminal) or `json` lines (a log collector).
    log_format: str = "text"
    #: Address `moderation serve` binds gunicorn to.
    bind: str = "127.0.0.1:8000"
    #: Number of gunicorn worker processes for `moderation serve`.
    web_workers: int = 2
    #: Answer with detailed SQL in logs (debugging only).
    sql_echo: bool = False
    #: Distinct reporters (weighted) that move an approved comment to the reported queue.
    report_threshold: int = 3
    #: Most reports one reporter may file on a site per hour.
    reports_per_hour: int = 30
    #: Fernet keys sealing webhook secrets at rest, comma-separated, the first one sealing
    #: (add a new key first, then `moderation secrets rotate`); empty: stored in clear.
    secret_key: str = ""
    #: Seconds between two prunes of what sites keep for a limited time (by the workers).
    prune_interval: int = 3600
    #: Each site's request budget, N/s, N/m or N/h, unless the site has its own (sites configure).
    rate_limit: str = "1000/s"
    #: Name of the RQ queue webhook deliveries are sent from.
    webhook_queue_name: str = "webhooks"
    #: Seconds an outbound webhook request may take.
    webhook_timeout: float = 5.0
    #: Attempts per delivery before it is given up.
    webhook_max_attempts: int = 8
    #: Seconds before the first retry; doubles each attempt, with jitter.
    webhook_backoff_base: float = 5.0
    #: Longest wait between two attempts, in seconds (Retry-After included).
    webhook_backoff_max: float = 3600.0
    #: Consecutive failures after which an endpoint is disabled.
    webhook_disable_after: int = 10
    #: Seconds an old secret keeps signing alongside the new one after rotation.
    webhook_secret_grace: int = 86400
    #: Hosts, IPs or CIDRs webhooks may reach although private or loopback (comma-separated).
    webhook_allow_hosts: str = ""
    #: Port on which each worker serves its own /metrics (0: none; the web's /metrics suffices
    #: when workers share its PROMETHEUS_MULTIPROC_DIR).
    metrics_port: int = 0
    #: The service's address as moderators' browsers reach it, for console sign-in links.
    public_url: str = "http://127.0.0.1:8000"
    #: Hours a console sign-in lasts before the moderator signs in again.
    console_session_hours: float = 12.0
    #: Console sign-in attempts allowed per name, and per address, in 15 minutes.
    console_login_attempts: int = 10

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from environment variables, coercing and checking each one."""
        env = os.environ if environ is None else environ
        names = cls.env_names()
        values: dict[str, object] = {}
        for f in fields(cls):
            name = names[f.name]
            if name not in env:
                continue
            raw = env[name]
            default = getattr(cls, f.name, None)
            if f.name == "config_dir":
                values[f.name] = Path(raw)
            elif isinstance(default, bool):
                values[f.name] = _bool(name, raw)
            elif isinstance(default, int):
                values[f.name] = _int(name, raw)
            elif isinstance(default, float):
                values[f.name] = _float(name, raw)
            else:
                values[f.name] = raw
        if "redis_url" not in values and (beside := local_redis()) is not None:
            # A `moderation up` in this folder runs a private Redis: commands run beside it
            # (status, jobs, sweep ...) reach the service it runs, not an empty default.
            values["redis_url"] = beside
        settings = cls(**values)  # type: ignore[arg-type]
        settings.check()
        return settings

    def check(self) -> None:
        """Refuse settings that would make the service misbehave rather than fail."""
        try:
            box(self.secret_key)
        except SecretKeyError as error:
            raise SettingsError(f"{PREFIX}SECRET_KEY: {error}") from None
        try:
            Rate.parse(self.rate_limit)
        except ValueError as error:
            raise SettingsError(f"{PREFIX}RATE_LIMIT: {error}") from None
        for name in (
            "max_body_bytes",
            "max_batch_bytes",
            "max_text_chars",
            "batch_max",
            "job_batch_size",
            "job_timeout",
        ):
            if getattr(self, name) <= 0:
                raise SettingsError(f"{PREFIX}{name.upper()} must be positive")
        if not 0 <= self.enqueue_window <= 1:
            raise SettingsError(f"{PREFIX}ENQUEUE_WINDOW must be between 0 and 1 second")
        if self.log_format not in FORMATS:
            raise SettingsError(f"{PREFIX}LOG_FORMAT must be text or json, not {self.log_format!r}")
        if self.sweep_after < 1:
            raise SettingsError(f"{PREFIX}SWEEP_AFTER must be at least 1 second")
        for name in (
            "webhook_timeout",
            "webhook_max_attempts",
            "webhook_disable_after",
            "webhook_backoff_base",
            "report_threshold",
            "reports_per_hour",
            "console_session_hours",
            "console_login_attempts",
        ):
            if getattr(self, name) <= 0:
                raise SettingsError(f"{PREFIX}{name.upper()} must be positive")
        if not self.public_url.startswith(("http://", "https://")):
            raise SettingsError(f"{PREFIX}PUBLIC_URL must start with http:// or https://")
        if self.webhook_backoff_max < self.webhook_backoff_base:
            raise SettingsError(
                f"{PREFIX}WEBHOOK_BACKOFF_MAX must be at least {PREFIX}WEBHOOK_BACKOFF_BASE"
            )

    @staticmethod
    def env_names() -> dict[str, str]:
        """Map each field to the environment variable that sets it."""
        conventional = {"database_url", "redis_url"}
        return {
            f.name: f.name.upper() if f.name in conventional else PREFIX + f.name.upper()
            for f in fields(Settings)
        }
