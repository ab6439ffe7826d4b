"""The only RQ/Redis touchpoint of the web side: enqueue comment ids for the workers."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence

from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry
from rq.serializers import JSONSerializer

from moderation.settings import Settings

log = logging.getLogger(__name__)

#: Dotted path of the job function; nothing imports `workers`, RQ resolves it in the worker.
MODERATE_JOB = "workers.jobs.moderate_comments"


#: Push ids onto the pending list only if enough jobs wait to drain it, in one atomic step: a
#: job that started between a separate check and push could otherwise leave an id stranded.
_COALESCE = """
if redis.call('LLEN', KEYS[1]) >= tonumber(ARGV[1]) then
  redis.call('RPUSH', KEYS[2], unpack(ARGV, 2))
  return 1
end
return 0
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
    `coalesce_after` jobs already wait, new ids go to a Redis list that every waiting job drains
    in batches before it ends. An id on that list always has a waiting job behind it.
    """

    def __init__(self, *, connection: Redis, settings: Settings) -> None:
        self.connection = connection
        self.settings = settings
        self.queue = Queue(settings.queue_name, connection=connection, serializer=JSONSerializer)
        self.pending_key = f"moderation:pending:{settings.queue_name}"
        self._coalesce = connection.register_script(_COALESCE)

    def _retry(self) -> Retry | None:
        if self.settings.job_retries <= 0:
            return None
        intervals = [5 * 4**n for n in range(self.settings.job_retries)]
        return Retry(max=self.settings.job_retries, interval=intervals)

    def enqueue_job(self, ids: Sequence[str]) -> None:
        """Enqueue one job for exactly these ids."""
        self.queue.enqueue_call(
            MODERATE_JOB,
            args=(list(ids),),
            job_id=job_id_for(ids),
            timeout=self.settings.job_timeout,
            ttl=self.settings.job_ttl,
            result_ttl=self.settings.result_ttl,
            failure_ttl=self.settings.failure_ttl,
            retry=self._retry(),
            description=f"moderate {len(ids)} comment(s)",
        )

    def enqueue(self, ids: Sequence[str]) -> bool:
        """Hand ids to the workers; False if Redis failed (the sweeper will enqueue them later).

        This is the one place the intake fails open: the comments are already recorded as
        queued, so a Redis outage delays their decision but loses nothing.
        """
        if not ids:
            return True
        try:
            keys = [self.queue.key, self.pending_key]
            if len(ids) == 1 and self._coalesce(keys, [self.settings.coalesce_after, *ids]):
                return True
            size = self.settings.job_batch_size
            for start in range(0, len(ids), size):
                self.enqueue_job(ids[start : start + size])
        except RedisError:
            log.warning("enqueue failed for %d comment(s); the sweeper will retry", len(ids))
            return False
        return True

    def take_pending(self, count: int) -> list[str]:
        """Pop up to `count` ids off the pending list (worker side)."""
        raw = self.connection.lpop(self.pending_key, count)
        if not raw:
            return []
        return [item.decode() if isinstance(item, bytes) else str(item) for item in raw]

    def pending_count(self) -> int:
        """How many ids wait on the pending list."""
        return int(self.connection.llen(self.pending_key))

    def ping(self) -> bool:
        """Whether Redis answers."""
        try:
            return bool(self.connection.ping())
        except RedisError:
            return False
