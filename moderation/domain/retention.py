"""Retention: what a site keeps for a limited time is pruned, batch by batch, when it is due."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from moderation.services import Services
from moderation.store import retention as store

log = logging.getLogger(__name__)

#: Redis key that lets only one worker prune at a time.
LOCK_KEY = "moderation:prune-lock"
#: Rows per transaction: each batch commits on its own, so no table is locked for long.
BATCH = 500

_Step = Callable[..., int]
#: Each kind of data, the site's setting that bounds it, and the step that prunes a batch.
KINDS: tuple[tuple[str, str, _Step], ...] = (
    ("rejected_bodies", "keep_rejected_days", store.redact_rejected),
    ("webhook_deliveries", "keep_deliveries_days", store.delete_deliveries),
    ("report_texts", "keep_report_text_days", store.clear_report_texts),
)


def prune(services: Services, *, now: datetime | None = None, batch: int = BATCH) -> dict[str, int]:
    """Prune every site past its retention; returns how many rows of each kind."""
    now = now or datetime.now(UTC)
    with services.db.session() as session:
        sites = [
            (site.id, {attr: getattr(site, attr) for _, attr, _ in KINDS})
            for site in store.sites_with_retention(session)
        ]
    counts = {kind: 0 for kind, _, _ in KINDS}
    for site_id, days in sites:
        for kind, attr, step in KINDS:
            if days[attr] is None:
                continue
            before = now - timedelta(days=days[attr])
            while True:
                with services.db.session() as batch_session:
                    done = step(batch_session, site_id, before=before, limit=batch)
                counts[kind] += done
                if done < batch:
                    break
    if any(counts.values()):
        log.info("pruned %s", ", ".join(f"{n} {kind}" for kind, n in counts.items()))
    return counts


def prune_if_due(services: Services) -> dict[str, int] | None:
    """Prune unless another process did within the prune interval."""
    interval = max(1, services.settings.prune_interval)
    if not services.redis.set(
        LOCK_KEY + ":" + services.settings.queue_name, "1", nx=True, ex=interval
    ):
        return None
    return prune(services)
