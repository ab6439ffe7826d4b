"""What every worker process does around its queue: configure, bind services, work, clean up."""

from __future__ import annotations

import logging
import threading
import time
from contextlib import suppress

from redis.exceptions import RedisError
from rq import Queue, SimpleWorker
from rq.exceptions import StopRequested
from rq.serializers import JSONSerializer

from moderation.local import orphans
from moderation.services import Services, build_services
from moderation.settings import Settings
from workers import runtime

log = logging.getLogger(__name__)


def start(settings: Settings | None, *, redone_if_lost: bool = False) -> Services:
    """Configure logging and bind this process's services for its jobs."""
    settings = settings or Settings.from_env()
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    services = build_services(settings, worker=True, redone_if_lost=redone_if_lost)
    runtime.bind(services)
    return services


def work(
    services: Services,
    queue: Queue,
    *,
    burst: bool,
    with_scheduler: bool,
    stop: threading.Event | None,
) -> None:
    """Work one queue in this process until stopped, then stop maintenance and close services.

    SimpleWorker runs jobs in this process: no fork per job (about 6x the throughput here), and
    what the process loaded at start is reused by every job. Job timeouts still hold (SIGALRM).

    RQ's work loop quits on a Redis error (a heartbeat that fails, say). This one waits for
    Redis to answer again and works on, however long the outage: a comment taken meanwhile is
    a queued row, re-enqueued by the sweeper if its job was lost.
    """
    if with_scheduler and not burst:
        # RQ forks the scheduler; killed outright, this process would leave it running.
        orphans.forks_die_with_this_process()
    try:
        while True:
            worker = _Worker([queue], connection=services.redis, serializer=JSONSerializer)
            try:
                worker.work(
                    burst=burst,
                    logging_level=services.settings.log_level,
                    with_scheduler=with_scheduler,
                )
            except RedisError:  # RQ's own clean-up met the outage
                log.warning("Redis failed under worker %s", worker.name, exc_info=True)
                _let_go(worker)
            if burst or _stopping(worker) or not _redis_back(services, worker):
                return
    finally:
        if stop is not None:
            stop.set()
        services.close()


class _Worker(SimpleWorker):
    """RQ's SimpleWorker, whose shutdown does not wait for good on a dropped connection."""

    def unsubscribe(self) -> None:
        """Unsubscribe in a thread given a few seconds: after a Redis outage RQ's own join of
        its pubsub thread could hold up the worker's exit indefinitely."""
        done = threading.Thread(target=super().unsubscribe, name="unsubscribe", daemon=True)
        done.start()
        done.join(timeout=5)


def _let_go(worker: SimpleWorker) -> None:
    """Stop what a worker whose clean-up failed left behind: its scheduler and pubsub thread."""
    with suppress(Exception):
        if worker.scheduler is not None:
            worker.stop_scheduler()  # type: ignore[no-untyped-call]
    with suppress(Exception):
        worker.unsubscribe()  # type: ignore[no-untyped-call]


def _stopping(worker: SimpleWorker) -> bool:
    """Was the worker asked to stop (SIGTERM, SIGINT)? Private to RQ, whose major is pinned:
    RQ notes the time of every request, and sets the flag only when one comes mid-job."""
    return worker._shutdown_requested_date is not None or bool(worker._stop_requested)


def _redis_back(services: Services, worker: SimpleWorker) -> bool:
    """Wait until Redis answers (True), trying every second, then up to every 30 s; False if
    the worker is asked to stop meanwhile (RQ's signal handlers stay installed)."""
    delay = 1.0
    with suppress(StopRequested):
        while not _stopping(worker):
            try:
                services.redis.ping()
            except RedisError:
                log.warning("Redis unreachable; the worker tries again in %.0f s", delay)
                time.sleep(delay)
                delay = min(delay * 2, 30.0)
                continue
            log.info("Redis answers again; the worker resumes")
            return True
    return False
