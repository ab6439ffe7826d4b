"""The sweeper: re-enqueue comments that stayed queued too long, so nothing accepted is lost."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from moderation.services import Services
from moderation.store import comments as store

log = logging.getLogger(__name__)

#: Redis key that lets only one worker sweep at a time.
LOCK_KEY = "moderation:sweep-lock"


def sweep(services: Services, *, limit: int = 5000) -> int:
    """Re-enqueue up to `limit` comments queued longer than the configured age; returns how many.

    A comment can stay queued because Redis was down at intake, its job expired or failed, or
    the worker running it died. Jobs are idempotent, so re-enqueueing one that is merely slow
    costs a little work and no wrong decision.
    """
    now = datetime.now(UTC)
    with services.db.session() as session:
        ids = store.due_for_sweep(
            session, now=now, older_than=services.settings.sweep_after, limit=limit
        )
    if not ids:
        return 0
    if services.queue.enqueue(ids) is None:
        return 0
    with services.db.session() as session:
        store.mark_enqueued(session, ids, now=now)
    log.info("sweeper re-enqueued %d comment(s)", len(ids))
    return len(ids)


def sweep_if_due(services: Services) -> int:
    """Sweep unless another process swept within the sweep interval."""
    interval = max(1, services.settings.sweep_interval)
    if not services.redis.set(
        LOCK_KEY + ":" + services.settings.queue_name, "1", nx=True, ex=interval
    ):
        return 0
    return sweep(services)
