"""The webhook RQ queue: delivery jobs by id, on a queue of their own so moderation never waits."""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from redis import Redis
from redis.exceptions import RedisError
from rq import Queue
from rq.job import JobStatus
from rq.serializers import JSONSerializer

from moderation import logs
from moderation.settings import Settings

log = logging.getLogger(__name__)

#: Dotted path of the job function; nothing imports `workers`, RQ resolves it in the worker.
DELIVER_JOB = "workers.webhooks.deliver"

#: Job states in which a delivery's job will still run by itself, so the sweep leaves it be.
#: Not "started": the sweep only looks at deliveries whose claim lease (longer than the job
#: timeout) ran out, so a job still marked started there belongs to a worker that died.
_WAITING = {JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED}


def job_id_for(delivery_id: str, attempt: int) -> str:
    """A deterministic job id per delivery and attempt: a retry never overwrites a running job."""
    return f"webhook-{delivery_id}-{attempt}"


class WebhookQueue:
    """Enqueues delivery ids for the webhook worker, now or after a backoff delay."""

    def __init__(self, *, connection: Redis, settings: Settings) -> None:
        self.connection = connection
        self.settings = settings
        self.queue = Queue(
            settings.webhook_queue_name, connection=connection, serializer=JSONSerializer
        )

    def _options(self, delivery_id: str, attempt: int) -> dict[str, Any]:
        # The request id of what made the event travels with its job, for the worker's line.
        request_id = logs.request_id()
        return {
            "meta": {"request_id": request_id} if request_id else {},
            "job_id": job_id_for(delivery_id, attempt),
            "ttl": self.settings.job_ttl,
            "result_ttl": self.settings.result_ttl,
            "failure_ttl": self.settings.failure_ttl,
            "description": f"deliver webhook {delivery_id} (attempt {attempt + 1})",
        }

    def enqueue(self, delivery_ids: Sequence[str]) -> None:
        """Enqueue new deliveries, after the caller's commit.

        Fails open: a Redis error is logged and swallowed, since the delivery rows are already
        committed as due and the sweep enqueues them once Redis is back.
        """
        self.enqueue_due([(delivery_id, 0) for delivery_id in delivery_ids])

    def enqueue_due(self, due: Sequence[tuple[str, int]]) -> int:
        """Enqueue (delivery id, attempts so far) pairs now; returns how many were enqueued."""
        done = 0
        try:
            for delivery_id, attempt in due:
                self.queue.enqueue_call(
                    DELIVER_JOB,
                    args=(delivery_id,),
                    timeout=self.settings.job_timeout,
                    **self._options(delivery_id, attempt),
                )
                done += 1
        except RedisError:
            log.warning(
                "enqueue of %d webhook delivery(ies) failed; the sweep will retry", len(due)
            )
        return done

    def schedule(self, delivery_id: str, *, attempt: int, at: datetime) -> bool:
        """Enqueue the next attempt at `at` (the worker's scheduler releases it then)."""
        # RQ keeps scheduled times in whole seconds, rounding down; rounding up here means the
        # job never runs before the delivery is due, which its claim would refuse.
        release = datetime.fromtimestamp(math.ceil(at.timestamp()), tz=UTC)
        try:
            self.queue.enqueue_at(
                release,
                DELIVER_JOB,
                delivery_id,
                job_timeout=self.settings.job_timeout,
                **self._options(delivery_id, attempt),
            )
        except RedisError:
            log.warning("scheduling delivery %s failed; the sweep will retry", delivery_id)
            return False
        return True

    def is_waiting(self, delivery_id: str, attempt: int) -> bool:
        """Whether a job for this attempt waits to run (queued, scheduled or deferred)."""
        job = self.queue.fetch_job(job_id_for(delivery_id, attempt))
        return job is not None and job.get_status(refresh=False) in _WAITING
