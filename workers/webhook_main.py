"""Run the webhook worker: deliveries from their own queue, with RQ's scheduler and a sweep."""

from __future__ import annotations

import logging

from rq import SimpleWorker
from rq.serializers import JSONSerializer

from moderation.services import build_services
from moderation.settings import Settings
from workers import periodic, runtime
from workers.webhooks import sweep_deliveries, sweep_deliveries_if_due

log = logging.getLogger(__name__)


def run(settings: Settings | None = None, *, burst: bool = False) -> None:
    """Deliver webhooks until stopped (or, in burst mode, until nothing is due)."""
    settings = settings or Settings.from_env()
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    services = build_services(settings, worker=True)
    runtime.bind(services)
    if burst:
        # Burst means "deliver what is due now": that includes what only the database knows.
        sweep_deliveries(services)
        stop = None
    else:
        stop = periodic.start(
            lambda: sweep_deliveries_if_due(services),
            interval=settings.sweep_interval,
            name="webhook-sweep",
        )
    # SimpleWorker: no fork per job; a delivery is one short HTTP request. with_scheduler
    # releases the retries scheduled with enqueue_in when they fall due.
    worker = SimpleWorker(
        [services.webhooks.queue], connection=services.redis, serializer=JSONSerializer
    )
    try:
        worker.work(burst=burst, logging_level=settings.log_level, with_scheduler=True)
    finally:
        if stop is not None:
            stop.set()
        services.close()
