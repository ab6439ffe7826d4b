"""Job functions; thin: take ids, moderate them; drain the pending list the intake filled."""

from __future__ import annotations

import time

from moderation.domain.moderate import moderate_batch
from workers import runtime


def moderate_comments(ids: list[str]) -> dict[str, int]:
    """Moderate these comments."""
    return {"decided": moderate_batch(runtime.services(), ids, decided_by=runtime.identity())}


def drain_pending() -> dict[str, int]:
    """Moderate the ids waiting on the pending list, batch by batch, within half the timeout."""
    services = runtime.services()
    settings = services.settings
    who = runtime.identity()
    decided, helped = 0, False
    deadline = time.monotonic() + settings.job_timeout / 2
    while time.monotonic() < deadline:
        ids = services.queue.take_pending(settings.job_batch_size)
        if not ids:
            return {"decided": decided}
        if len(ids) == settings.job_batch_size and not helped:
            # A full batch: more may wait, so another worker is asked to join in.
            services.queue.enqueue_drain()
            helped = True
        decided += moderate_batch(services, ids, decided_by=who)
    # Out of time with ids perhaps still waiting: a fresh job carries on (the flag stays set).
    services.queue.enqueue_drain()
    return {"decided": decided}
