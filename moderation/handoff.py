"""The web's hand-off of new comment ids to the queue: at once while workers keep up, gathered
for a moment while jobs wait."""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time
from collections.abc import Sequence

from moderation.queue import CommentQueue

log = logging.getLogger(__name__)

_KEPT = 100_000  # ids of failed hand-overs a process keeps for the next one
_RETRY = 1.0  # seconds between tries to hand them over while Redis is down


class HandOff:
    """Hands comment ids to the queue: at once while it is idle, gathered into one call under load.

    Each hand-over learns how many jobs were waiting in the queue. While none were (the workers
    keep up), every id goes at once, so a comment waits for nothing but its worker. Once jobs
    wait, a comment would wait for them anyway: ids arriving within `window` seconds of the
    last hand-over then wait for the next one, made when the window ends by this process's
    hand-off thread, or by a request arriving after it, so a busy web process makes one Redis
    call per window instead of one per comment (as a TCP stack corks under load). Waiting ids
    are safe: each is already a queued row, and one lost with its process is re-enqueued by the
    sweeper, as after a failed enqueue.
    """

    def __init__(self, queue: CommentQueue, *, window: float) -> None:
        self.queue = queue
        self.window = window
        self._ids: list[str] = []
        self._lock = threading.Lock()  # guards _ids and _last
        self._sending = threading.Lock()  # one hand-over at a time, in order
        self._waiting = threading.Event()  # ids wait that no request has handed over yet
        self._last = float("-inf")
        self._gather = False  # the last hand-over found jobs waiting: ids gather for the window
        self._failed: list[str] = []  # ids whose hand-over failed (guarded by _sending)
        self._pid: int | None = None
        self._closed = False

    def add(self, ids: Sequence[str]) -> None:
        """Hand these ids over now, or with the next hand-over if one was made just now."""
        if not ids:
            return
        with self._lock:
            self._ids.extend(ids)
            due = not self._gather or time.monotonic() - self._last >= self.window
        if due:
            self.flush()
            return
        self._start()
        self._waiting.set()

    def flush(self) -> None:
        """Hand over every id added so far, returning once the queue has them (or Redis failed).

        Ids a failed hand-over kept go first: the first hand-over after an outage enqueues the
        comments accepted during it, instead of leaving them to the sweeper's next pass.
        """
        with self._sending:
            with self._lock:
                ids, self._ids = self._ids, []
                if ids:
                    self._last = time.monotonic()
            ids, self._failed = self._failed + ids, []
            if not ids:
                return
            waiting = self.queue.enqueue(ids)  # logs a failure
            if waiting is None:
                # Kept up to a bound: the sweeper enqueues whatever a long outage left beyond it.
                self._failed = ids[-_KEPT:]
                self._start()  # the thread tries again, every _RETRY seconds
            else:
                self._gather = waiting > 0

    def close(self) -> None:
        """Hand over what waits and stop the thread (at shutdown)."""
        self._closed = True
        self._waiting.set()
        self.flush()
        atexit.unregister(self.flush)

    def _start(self) -> None:
        # Per process: a thread does not survive a fork, and the web forks its workers.
        if self._pid == os.getpid():
            return
        self._pid = os.getpid()
        threading.Thread(target=self._run, name="moderation-handoff", daemon=True).start()
        atexit.register(self.flush)  # a web worker's graceful exit hands over what waits

    def _run(self) -> None:
        while not self._closed:
            # Woken by ids that wait, or each _RETRY seconds for ids a failed hand-over kept.
            if self._waiting.wait(timeout=_RETRY):
                self._waiting.clear()
            # Until the window since the last hand-over ends; one made meanwhile restarts it.
            while (left := self._last + self.window - time.monotonic()) > 0:
                time.sleep(left)
            try:
                self.flush()
            except Exception:  # keep handing over; the ids are queued rows the sweeper finds
                log.exception("hand-off of comment ids failed")
