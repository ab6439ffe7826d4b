"""Run the webhook worker: deliveries from their own queue, with RQ's scheduler and a sweep."""

from __future__ import annotations

from moderation.settings import Settings
from workers import boot, periodic
from workers.webhooks import sweep_deliveries, sweep_deliveries_if_due


def run(settings: Settings | None = None, *, burst: bool = False) -> None:
    """Deliver webhooks until stopped (or, in burst mode, until nothing is due)."""
    services = boot.start(settings)
    stop = None
    if burst:
        # Burst means "deliver what is due now": that includes what only the database knows.
        sweep_deliveries(services)
    else:
        stop = periodic.start(
            lambda: sweep_deliveries_if_due(services),
            interval=services.settings.sweep_interval,
            name="webhook-sweep",
        )
    # with_scheduler releases the retries scheduled with enqueue_in when they fall due.
    boot.work(services, services.webhooks.queue, burst=burst, with_scheduler=True, stop=stop)


if __name__ == "__main__":  # `python -m workers.webhook_main`, as `moderation up` starts it
    run()
