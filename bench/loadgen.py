"""HTTP load for the bench, sent from child processes so the generator is not one GIL."""

from __future__ import annotations

import http.client
import itertools
import json
import multiprocessing
import threading
import time
from dataclasses import dataclass, field
from typing import Any

BODIES = (
    "What a thoughtful article, thank you for the careful reporting.",
    "I disagree with the council here: the budget figures simply do not add up.",
    "This is shit journalism and you know it.",
    "Great piece! Cheap pills at http://pills.example, click now!!!",
    "My grandmother lived on that street for forty years; it was never this bad.",
    "You are an idiot if you believe a word of this.",
)


def comment_json(external_id: str, i: int) -> dict[str, Any]:
    """A valid comment; authors spread so intakes rarely contend on one author row."""
    return {
        "id": external_id,
        "story": {"id": f"story-{i % 50}", "url": "https://planet.example/n/1", "section": "news"},
        "author": {"id": f"reader-{i % 997}", "name": "Reader"},
        "body": f"{BODIES[i % len(BODIES)]} ({i})",
    }


@dataclass(frozen=True)
class Load:
    """What one load-generator process sends; see _drive."""

    port: int
    key: str
    kind: str  # "get": GET /healthz; "single": POST /v1/comments; "batch": POST .../batch
    prefix: str  # external ids are prefix-n, unique per process
    threads: int
    start_at: float  # wall clock; every process starts together
    count: int = 0  # closed loop: this many requests...
    stop_at: float = 0.0  # ...or until this wall time
    rate: float = 0.0  # open loop: this process's requests per second
    batch: int = 100


@dataclass
class Sent:
    """What one load-generator process did."""

    ok: int = 0
    errors: int = 0
    first: float = 0.0
    last: float = 0.0
    schedule: dict[str, float] = field(default_factory=dict)  # open loop: id -> planned send


def _request(load: Load, n: int) -> tuple[str, str, str | None, list[str]]:
    if load.kind == "get":
        return "GET", "/healthz", None, []
    if load.kind == "single":
        ext = f"{load.prefix}-{n}"
        return "POST", "/v1/comments", json.dumps(comment_json(ext, n)), [ext]
    exts = [f"{load.prefix}-{n}-{j}" for j in range(load.batch)]
    body = {"comments": [comment_json(e, n * load.batch + j) for j, e in enumerate(exts)]}
    return "POST", "/v1/comments/batch", json.dumps(body), exts


def _drive(load: Load) -> Sent:
    """Send a process's share of the load from `threads` threads, closed or open loop."""
    sent, lock, counter = Sent(), threading.Lock(), itertools.count()
    headers = {"Authorization": f"Bearer {load.key}", "Content-Type": "application/json"}

    def one(n: int, planned: float | None) -> None:
        method, path, body, exts = _request(load, n)
        conn = http.client.HTTPConnection("127.0.0.1", load.port, timeout=30)
        try:  # gunicorn's sync workers close after each response: one connection per request
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            good = response.status in (200, 202)
        except OSError:
            good = False
        finally:
            conn.close()
        with lock:
            sent.ok += good
            sent.errors += not good
            sent.last = time.time()
            if planned is not None:
                sent.schedule.update(dict.fromkeys(exts, planned))

    def loop() -> None:
        while True:
            n = next(counter)
            if load.rate:  # open loop: send at the planned time even if earlier ones lag
                planned = load.start_at + n / load.rate
                if planned >= load.stop_at:
                    return
                time.sleep(max(0.0, planned - time.time()))
                one(n, planned)
            elif (load.count and n >= load.count) or (load.stop_at and time.time() > load.stop_at):
                return
            else:
                one(n, None)

    time.sleep(max(0.0, load.start_at - time.time()))
    sent.first = time.time()
    threads = [threading.Thread(target=loop) for _ in range(load.threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sent


def _ready(_: int) -> None:
    """Force the imports in a fresh pool process before anything is timed."""


class LoadGen:
    """A pool of load-generator processes; they share the machine's cores with the server."""

    def __init__(self, processes: int) -> None:
        self.processes = processes
        self.pool = multiprocessing.get_context("spawn").Pool(processes)
        self.pool.map(_ready, range(processes))
        self.rounds = 0

    def run(self, kind: str, *, port: int, key: str, threads: int, **how: float) -> list[Sent]:
        """Split one load over the processes; count/rate are totals, times are relative."""
        self.rounds += 1
        start_at = time.time() + 0.3
        loads = [
            Load(
                port=port,
                key=key,
                kind=kind,
                prefix=f"{kind}{self.rounds}p{p}",
                threads=threads,
                start_at=start_at,
                count=int(how.get("count", 0)) // self.processes,
                stop_at=start_at + how["seconds"] if "seconds" in how else 0.0,
                rate=how.get("rate", 0.0) / self.processes,
            )
            for p in range(self.processes)
        ]
        return self.pool.map(_drive, loads)

    def close(self) -> None:
        self.pool.close()
        self.pool.join()


def rate_of(results: list[Sent]) -> tuple[float, int, int]:
    """Successful requests per second over the whole window, successes, errors."""
    ok, errors = sum(r.ok for r in results), sum(r.errors for r in results)
    window = max(r.last for r in results) - min(r.first for r in results)
    return ok / window if window > 0 else 0.0, ok, errors
