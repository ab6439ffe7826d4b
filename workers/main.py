"""Run a moderation worker: load the engine, sweep in the background, work the queue."""

from __future__ import annotations

import logging

from moderation.domain.sweeper import sweep_if_due
from moderation.settings import Settings
from workers import boot, periodic

log = logging.getLogger(__name__)


def run(settings: Settings | None = None, *, burst: bool = False) -> None:
    """Work the moderation queue until stopped (or, in burst mode, until it is empty)."""
    # Decisions are recomputed when lost: a comment whose decision a database crash dropped is
    # still queued on record, so the sweeper has it decided again.
    services = boot.start(settings, redone_if_lost=True)
    services.rules.install_sighup()
    engine = services.rules.engine()  # load now, at start, not on the first job
    log.info("engine loaded, ruleset %s", engine.version)
    stop = None
    if not burst:
        stop = periodic.start(
            lambda: sweep_if_due(services), interval=services.settings.sweep_interval, name="sweep"
        )
    # The scheduler (one per queue across workers, in its own process) puts failed jobs back
    # after their retry backoff; without it a retry would wait for the sweeper.
    boot.work(services, services.queue.queue, burst=burst, with_scheduler=True, stop=stop)
