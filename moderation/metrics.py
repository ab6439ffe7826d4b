"""Prometheus metrics: what web and worker processes count, and what /metrics answers with.

The metrics are module-level, unlike our other services: Prometheus counts per process, and
prometheus_client keys its multiprocess files (PROMETHEUS_MULTIPROC_DIR, which it reads itself
at import) by process, so one set per process is what there is to share. Labels take only
bounded values: site names, actions, categories, route rules, never a raw path or an id.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    start_http_server,
    values,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from redis import Redis
from redis.exceptions import RedisError
from rq.utils import utcparse

from moderation.store.ids import id_time

if TYPE_CHECKING:
    from moderation.engine import Decision

log = logging.getLogger(__name__)


def _ensure_directory() -> None:
    # In multiprocess mode each metric opens its file as it is created, below: a folder that
    # is not there yet would stop the import, so the web or worker would not start.
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if path:
        Path(path).mkdir(parents=True, exist_ok=True)


_ensure_directory()

#: The counters and histograms of this process; /metrics adds the queue gauges read at scrape.
REGISTRY = CollectorRegistry(auto_describe=True)

COMMENTS_RECEIVED = Counter(
    "moderation_comments_received",
    "New comments recorded by the intake (replays are not counted).",
    ["site"],
    registry=REGISTRY,
)
HTTP_REQUESTS = Counter(
    "moderation_http_requests",
    "HTTP answers by Flask route rule and status.",
    ["route", "status"],
    registry=REGISTRY,
)
DECISIONS = Counter(
    "moderation_decisions",
    "Engine decisions recorded.",
    ["site", "action"],
    registry=REGISTRY,
)
REASONS = Counter(
    "moderation_reasons",
    "Reasons of recorded decisions, by category.",
    ["category"],
    registry=REGISTRY,
)
DECISION_LATENCY = Histogram(
    "moderation_decision_latency_seconds",
    "Seconds from a comment's receipt to its recorded decision.",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300),
    registry=REGISTRY,
)
JOBS_FAILED = Counter(
    "moderation_jobs_failed",
    "Job runs that raised or timed out (a retry may still succeed).",
    ["queue"],
    registry=REGISTRY,
)
SWEEPER_REQUEUED = Counter(
    "moderation_sweeper_requeued",
    "Comments the sweeper enqueued again after they stayed queued too long.",
    registry=REGISTRY,
)
WEBHOOK_DELIVERIES = Counter(
    "moderation_webhook_deliveries",
    "Webhook delivery attempts: delivered, retrying (failed, tried again later) or failed.",
    ["outcome"],
    registry=REGISTRY,
)
REPORTS = Counter(
    "moderation_reports",
    "New reader reports, by reason.",
    ["reason"],
    registry=REGISTRY,
)


def count_decisions(recorded: Iterable[tuple[Any, Decision]], *, now: datetime) -> None:
    """Count recorded (pending comment, decision) pairs: action, reasons, time since receipt."""
    for pending, decision in recorded:
        DECISIONS.labels(pending.site, str(decision.action)).inc()
        for reason in decision.reasons:
            REASONS.labels(reason.category).inc()
        received: datetime = pending.received_at
        if received.tzinfo is None:  # SQLite hands back naive UTC
            received = received.replace(tzinfo=UTC)
        DECISION_LATENCY.observe(max(0.0, (now - received).total_seconds()))


def count_failed_job(job: Any, *_exc_info: object) -> bool:
    """An RQ exception handler: count the failure, then let RQ's own handling go on."""
    JOBS_FAILED.labels(job.origin).inc()
    return True


def multiprocess() -> bool:
    """Whether prometheus_client chose multiprocess mode (PROMETHEUS_MULTIPROC_DIR at import)."""
    return values.ValueClass is not values.MutexValue


def reset_directory() -> None:
    """Empty PROMETHEUS_MULTIPROC_DIR before gunicorn starts: a past run's files would count.

    Read from the environment here, outside Settings, because prometheus_client reads the
    same variable itself at import and takes it from nowhere else.
    """
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not path:
        return
    shutil.rmtree(path, ignore_errors=True)
    Path(path).mkdir(parents=True, exist_ok=True)


class QueueCollector(Collector):
    """Queue gauges read from Redis at scrape time, so they are true whoever enqueued.

    Depth counts RQ jobs waiting; under load the comment queue's new ids wait on its pending
    list instead, counted apart (ids, not jobs). The oldest age covers both.
    """

    def __init__(self, redis: Redis, *, comments: str, webhooks: str) -> None:
        self.redis = redis
        self.comments = comments
        self.queues = (comments, webhooks)

    def _oldest_enqueued(self, job_ids: Sequence[bytes]) -> list[float]:
        stamps = self.redis.pipeline(transaction=False)
        for job_id in job_ids:
            stamps.hget(f"rq:job:{job_id.decode()}", "enqueued_at")
        return [utcparse(s.decode()).timestamp() for s in stamps.execute() if s]

    def collect(self) -> Iterator[Metric]:
        """Depth, pending ids and the oldest wait of each queue; nothing when Redis is away."""
        depth = GaugeMetricFamily("moderation_queue_depth", "RQ jobs waiting.", labels=["queue"])
        oldest = GaugeMetricFamily(
            "moderation_queue_oldest_age_seconds",
            "Seconds the oldest waiting job or pending comment id has waited.",
            labels=["queue"],
        )
        pending = GaugeMetricFamily(
            "moderation_pending_comments",
            "Comment ids on the pending list drain jobs empty in batches (under load).",
            labels=["queue"],
        )
        try:
            read = self.redis.pipeline(transaction=False)
            for name in self.queues:
                read.llen(f"rq:queue:{name}")
                # Drain jobs go to the front, so the oldest job is among the first few.
                read.lrange(f"rq:queue:{name}", 0, 9)
            read.llen(f"moderation:pending:{self.comments}")
            read.lindex(f"moderation:pending:{self.comments}", 0)
            *per_queue, pending_count, first_pending = read.execute()
            now = time.time()
            for index, name in enumerate(self.queues):
                count, heads = per_queue[2 * index], per_queue[2 * index + 1]
                depth.add_metric([name], count)
                ages = [now - stamp for stamp in self._oldest_enqueued(heads)]
                if name == self.comments:
                    pending.add_metric([name], pending_count)
                    if first_pending:
                        ages.append(now - id_time(first_pending.decode()))
                oldest.add_metric([name], max([0.0, *ages]))
        except RedisError as error:
            log.warning("metrics: queue gauges unavailable: %s", error)
            return
        yield from (depth, oldest, pending)


class _Own(Collector):
    """This process's own metrics, in single-process mode."""

    def collect(self) -> Iterator[Metric]:
        """Everything in REGISTRY."""
        yield from REGISTRY.collect()


def exposition(redis: Redis, *, comments: str, webhooks: str) -> tuple[bytes, str]:
    """The /metrics body and its content type: every process's counters, then the queues."""
    registry = CollectorRegistry(auto_describe=False)
    if multiprocess():  # every process's files, summed
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry.register(_Own())
    registry.register(QueueCollector(redis, comments=comments, webhooks=webhooks))
    return generate_latest(registry), CONTENT_TYPE_LATEST


def serve_worker_metrics(port: int) -> None:
    """Serve this worker's own metrics on `port` (0: not at all), in a thread, for a worker
    that shares no PROMETHEUS_MULTIPROC_DIR with a web process (a Kubernetes pod of its own)."""
    if port > 0:
        start_http_server(port, registry=REGISTRY)
