"""A short-lived, per-process cache of site key lookups, to keep the database off the hot path."""

from __future__ import annotations

import time
from collections import OrderedDict
from threading import Lock

from moderation.store.ids import key_digest
from moderation.store.models import Site


class KeyCache:
    """Sites by key digest for `ttl` seconds; a revoked key stops working within that time."""

    def __init__(self, *, ttl: float, size: int = 1024) -> None:
        self.ttl = ttl
        self.size = size
        self._entries: OrderedDict[str, tuple[float, Site]] = OrderedDict()
        self._lock = Lock()

    def get(self, key: str) -> Site | None:
        """The cached site for a key, if fresh."""
        if self.ttl <= 0:
            return None
        digest = key_digest(key)
        with self._lock:
            entry = self._entries.get(digest)
            if entry is None or entry[0] < time.monotonic():
                return None
            return entry[1]

    def put(self, key: str, site: Site) -> None:
        """Remember a key's site; unknown keys are never cached, so a new key works at once."""
        if self.ttl <= 0:
            return
        with self._lock:
            self._entries[key_digest(key)] = (time.monotonic() + self.ttl, site)
            self._entries.move_to_end(key_digest(key))
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
