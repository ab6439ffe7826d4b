"""The composition root: builds store, queue and engine for both the web and the workers."""

from __future__ import annotations

from dataclasses import dataclass

from redis import Redis

from moderation.handoff import HandOff
from moderation.queue import CommentQueue
from moderation.ratelimit import RateLimiter
from moderation.ruleset import RulesetWatcher
from moderation.settings import Settings
from moderation.store.db import Database, make_engine
from moderation.webhooks.queue import WebhookQueue


@dataclass(frozen=True)
class Services:
    """Everything a request or a job needs, built once per process."""

    settings: Settings
    db: Database
    redis: Redis
    queue: CommentQueue
    handoff: HandOff
    rules: RulesetWatcher
    webhooks: WebhookQueue
    limiter: RateLimiter

    def close(self) -> None:
        """Hand over waiting comment ids, then release connections (at shutdown, before a fork)."""
        self.handoff.close()
        self.rules.close()
        self.db.dispose()
        self.redis.close()


def connect_redis(url: str, *, socket_timeout: float | None = 10) -> Redis:
    """A Redis client that fails fast when the server is away instead of hanging a request.

    Workers pass socket_timeout=None: RQ blocks on the queue for minutes at a time.
    """
    return Redis.from_url(
        url, socket_connect_timeout=2, socket_timeout=socket_timeout, health_check_interval=30
    )


def build_services(
    settings: Settings, *, worker: bool = False, redone_if_lost: bool = False
) -> Services:
    """Build every service from settings; the only place that wires implementations together.

    redone_if_lost: every write of this process is redone if a database crash loses it (the
    moderation worker), so commits need not wait for the disk. The one durability trade-off,
    made here and nowhere else.
    """
    redis = connect_redis(settings.redis_url, socket_timeout=None if worker else 10)
    engine = make_engine(
        settings.database_url, echo=settings.sql_echo, wait_for_flush=not redone_if_lost
    )
    queue = CommentQueue(connection=redis, settings=settings)
    return Services(
        settings=settings,
        db=Database(engine),
        redis=redis,
        queue=queue,
        handoff=HandOff(queue, window=settings.enqueue_window),
        rules=RulesetWatcher(settings.config_dir, check_interval=settings.rules_check_interval),
        webhooks=WebhookQueue(connection=redis, settings=settings),
        # Under the queue's name, as RQ's keys are: services sharing a Redis stay apart.
        limiter=RateLimiter(connection=redis, prefix=f"{settings.queue_name}:ratelimit:"),
    )
