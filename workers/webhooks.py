"""Webhook jobs: deliver one delivery by id, and sweep deliveries whose job went missing."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from moderation.services import Services
from moderation.store.webhooks import due_deliveries
from moderation.webhooks.dispatch import attempt
from workers import runtime

log = logging.getLogger(__name__)

#: Redis key that lets only one webhook worker sweep at a time.
SWEEP_LOCK_KEY = "moderation:webhook-sweep-lock"


def deliver(delivery_id: str) -> dict[str, object]:
    """Attempt a due delivery once; on failure schedule the next attempt with backoff.

    Idempotent: a job for a delivery that is not due (already delivered, given up, or taken
    by another job) does nothing.
    """
    services = runtime.services()
    done = attempt(services.db, services.settings, delivery_id)
    if done is None:
        return {"delivery": delivery_id, "skipped": True}
    if done.retry_at is not None:
        # If scheduling fails the row still says when it is due, and the sweep catches up.
        services.webhooks.schedule(delivery_id, attempt=done.attempts, at=done.retry_at)
    status = done.outcome.status if done.outcome else None
    return {"delivery": delivery_id, "state": done.state, "status": status}


def sweep_deliveries(services: Services, *, limit: int = 1000) -> int:
    """Enqueue due pending deliveries that have no waiting job; returns how many.

    The database is the truth: a delivery whose enqueue failed after its commit, whose
    scheduled job Redis lost, or whose worker died mid-request is picked up here.
    """
    queue = services.webhooks
    with services.db.session() as session:
        found = due_deliveries(session, now=datetime.now(UTC), limit=limit)
    missing = [(d, n) for d, n in found if not queue.is_waiting(d, n)]
    enqueued = queue.enqueue_due(missing)
    if enqueued:
        log.info("webhook sweep enqueued %d delivery(ies)", enqueued)
    return enqueued


def sweep_deliveries_if_due(services: Services) -> int:
    """Sweep unless another webhook worker swept within the sweep interval."""
    interval = max(1, services.settings.sweep_interval)
    key = f"{SWEEP_LOCK_KEY}:{services.settings.webhook_queue_name}"
    if not services.redis.set(key, "1", nx=True, ex=interval):
        return 0
    return sweep_deliveries(services)
