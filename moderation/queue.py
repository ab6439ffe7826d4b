"""The only RQ/Redis touchpoint of the web side: enqueue comment ids for the workers."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from typing import Any

from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry
from rq.serializers import JSONSerializer

from moderation.settings import Settings
from moderation.store.ids import new_id

log = logging.getLogger(__name__)

#: Dotted paths of the job functions; nothing imports `workers`, RQ resolves them in the worker.
MODERATE_JOB = "workers.jobs.moderate_comments"
DRAIN_JOB = "workers.jobs.drain_pending"


#: Under load, push ids onto the pending list; each step atomic, so no id is ever left without
#: a drain job behind it. Answers {outcome, jobs waiting}. Outcome 0: too few jobs wait, so the
#: caller enqueues a job for the ids; 1: pushed, a drain job is already due; 2: pushed and the
#: drain flag set, so the caller enqueues the drain job. The flag expires (ARGV[2]) in case that
#: job is lost.
_PUSH = """
local waiting = redis.call('LLEN', KEYS[1])
if waiting < tonumber(ARGV[1]) then
  return {0, waiting}
end
redis.call('RPUSH', KEYS[2], unpack(ARGV, 3))
if redis.call('SET', KEYS[3], '1', 'NX', 'EX', tonumber(ARGV[2])) then
  return {2, waiting}
end
return {1, waiting}
"""

#: How long a drain job is counted on without news of it. A live one renews this with each batch
#: it takes; a lost one (its worker killed) holds up the ids pushed after it no longer than
#: this, and a spare drain job costs nothing: it finds the list empty.
DRAIN_DUE_SECONDS = 30

#: Take up to ARGV[1] pending ids. Finding none clears the drain flag in the same step, so the
#: next id pushed brings a new drain job; taking some keeps the flag alive (ARGV[2] seconds).
_TAKE = """
local ids = redis.call('LPOP', KEYS[1], tonumber(ARGV[1]))
if not ids then
  redis.call('DEL', KEYS[2])
  return {}
end
redis.call('EXPIRE', KEYS[2], tonumber(ARGV[2]))
return ids
"""


def job_id_for(ids: Sequence[str]) -> str:
    """A deterministic job id: the same ids always make the same job."""
    if len(ids) == 1:
        return f"comment-{ids[0]}"
    digest = hashlib.sha256("\n".join(ids).encode()).hexdigest()[:24]
    return f"comments-{digest}"


class CommentQueue:
    """Puts comment ids where workers take them: one job per call, or the pending list under load.

    Under load, one job per comment caps throughput at RQ's per-job cost, so once
    `coalesce_after` jobs already wait, new ids go to a Redis list that drain jobs empty in
    batches. An id on that list always has a drain job behind it, and only drain jobs look at
    the list: a comment's own job costs no Redis call beyond RQ's.
    """

    def __init__(self, *, connection: Redis, settings: Settings) -> None:
        self.connection = connection
        self.settings = settings
        self.queue = Queue(settings.queue_name, connection=connection, serializer=JSONSerializer)
        self.pending_key = f"moderation:pending:{settings.queue_name}"
        self.drain_key = f"moderation:drain-due:{settings.queue_name}"
        self._push = connection.register_script(_PUSH)
        self._take = connection.register_script(_TAKE)

    def _retry(self) -> Retry | None:
        if self.settings.job_retries <= 0:
            return None
        intervals = [5 * 4**n for n in range(self.settings.job_retries)]
        return Retry(max=self.settings.job_retries, interval=intervals)

    def _enqueue(
        self, function: str, args: tuple[Any, ...], job_id: str, what: str, *, first: bool = False
    ) -> None:
        self.queue.enqueue_call(
            function,
            args=args,
            job_id=job_id,
            timeout=self.settings.job_timeout,
            ttl=self.settings.job_ttl,
            result_ttl=self.settings.result_ttl,
            failure_ttl=self.settings.failure_ttl,
            retry=self._retry(),
            description=what,
            at_front=first,
        )

    def enqueue_job(self, ids: Sequence[str]) -> None:
        """Enqueue one job for exactly these ids."""
        self._enqueue(
            MODERATE_JOB, (list(ids),), job_id_for(ids), f"moderate {len(ids)} comment(s)"
        )

    def enqueue_drain(self) -> None:
        """Enqueue, at the front, a job that moderates what waits on the pending list.

        At the front: the ids it takes arrived after the jobs still waiting, but it decides them
        all in batches, and from the back they would wait for every job ahead of it.
        """
        self._enqueue(DRAIN_JOB, (), f"drain-{new_id()}", "moderate pending comments", first=True)

    def enqueue(self, ids: Sequence[str]) -> int | None:
        """Hand ids to the workers; return how many jobs waited ahead of them, None if Redis
        failed (the ids are then enqueued again later).

        This is the one place the intake fails open: the comments are already recorded as
        queued, so a Redis outage delays their decision but loses nothing.
        """
        if not ids:
            return 0
        try:
            if len(ids) <= self.settings.job_batch_size:  # no more than a job holds
                keys = [self.queue.key, self.pending_key, self.drain_key]
                args: list[str | int] = [self.settings.coalesce_after, DRAIN_DUE_SECONDS, *ids]
                pushed, waiting = self._push(keys, args)
                if pushed == 2:
                    self.enqueue_drain()
                if pushed:
                    return int(waiting)
            else:  # a backlog (a sweep, or ids kept through an outage): the queue is busy
                waiting = self.queue.count
            size = self.settings.job_batch_size
            for start in range(0, len(ids), size):
                self.enqueue_job(ids[start : start + size])
        except RedisError:
            log.warning("enqueue failed for %d comment(s); they will be enqueued again", len(ids))
            return None
        return int(waiting)

    def take_pending(self, count: int) -> list[str]:
        """Pop up to `count` ids off the pending list (a drain job); none: no drain is due now."""
        raw = self._take([self.pending_key, self.drain_key], [count, DRAIN_DUE_SECONDS])
        return [item.decode() if isinstance(item, bytes) else str(item) for item in raw]

    def pending_count(self) -> int:
        """How many ids wait on the pending list."""
        count: int = self.connection.llen(self.pending_key)  # type: ignore[assignment]  # sync client
        return count

    def ping(self) -> bool:
        """Whether Redis answers."""
        try:
            return bool(self.connection.ping())
        except RedisError:
            return False
