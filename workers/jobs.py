"""Job functions; thin: take ids, moderate them, drain the pending list the intake filled."""

from __future__ import annotations

import time

from moderation.moderate import moderate_batch
from workers import runtime


def moderate_comments(ids: list[str]) -> dict[str, int]:
    """Moderate these comments, then ids waiting on the pending list, within half the timeout."""
    services = runtime.services()
    settings = services.settings
    who = runtime.identity()
    decided = moderate_batch(services, ids, decided_by=who)
    deadline = time.monotonic() + settings.job_timeout / 2
    while time.monotonic() < deadline:
        more = services.queue.take_pending(settings.job_batch_size)
        if not more:
            break
        decided += moderate_batch(services, more, decided_by=who)
    else:
        # Out of time with ids still waiting: a fresh job carries on so none waits for a sweep.
        if services.queue.pending_count():
            services.queue.enqueue_job([])
    return {"decided": decided}
