"""Posting comments to a running service while faults happen, and what each request got."""

from __future__ import annotations

import http.client
import json
import threading
import time
from dataclasses import dataclass, field

from tests.helpers import comment_json

#: Every this many requests is a batch (of BATCH_SIZE comments) rather than one comment.
BATCH_EVERY = 10
BATCH_SIZE = 5


@dataclass
class Answer:
    """One request's outcome: what came back, when, and the comment ids it accepted."""

    fault: str
    status: int  # 0: no HTTP answer at all
    retry_after: bool
    at: float
    seconds: float
    accepted: list[str] = field(default_factory=list)
    posted: int = 1


class Poster:
    """Threads that post comments at a steady pace until told to stop, as a site's backend would."""

    def __init__(self, host: str, port: int, key: str, *, threads: int, per_second: float) -> None:
        self.host, self.port, self.key = host, port, key
        self.threads, self.pause = threads, threads / per_second
        self.answers: list[Answer] = []
        self._lock = threading.Lock()
        self._count = 0

    def run(self, fault: str, stop: threading.Event) -> None:
        """Post until `stop` is set, every answer labelled with the fault under way."""
        workers = [
            threading.Thread(target=self._loop, args=(fault, stop), daemon=True)
            for _ in range(self.threads)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)

    def _next(self) -> int:
        with self._lock:
            self._count += 1
            return self._count

    def _loop(self, fault: str, stop: threading.Event) -> None:
        while not stop.is_set():
            started = time.monotonic()
            answer = self._post(fault, self._next())
            with self._lock:
                self.answers.append(answer)
            stop.wait(max(0.0, self.pause - (time.monotonic() - started)))

    def _post(self, fault: str, n: int) -> Answer:
        batch = n % BATCH_EVERY == 0
        if batch:
            items = [
                comment_json(f"chaos-{n}-{i}", f"Comment {n}.{i} on the story.")
                for i in range(BATCH_SIZE)
            ]
            path, body = "/v1/comments/batch", {"comments": items}
        else:
            path, body = "/v1/comments", comment_json(f"chaos-{n}", f"Comment {n} on the story.")
        started = time.monotonic()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            connection.request(
                "POST",
                path,
                json.dumps(body),
                {"Authorization": f"Bearer {self.key}", "Content-Type": "application/json"},
            )
            response = connection.getresponse()
            status, payload = response.status, response.read()
            retry_after = response.getheader("Retry-After") is not None
        except OSError:
            status, payload, retry_after = 0, b"", False
        finally:
            connection.close()
        answer = Answer(
            fault, status, retry_after, time.time(), time.monotonic() - started,
            posted=BATCH_SIZE if batch else 1,
        )  # fmt: skip
        if status == 202:
            answer.accepted = [json.loads(payload)["id"]]
        elif status == 200 and batch:
            results = json.loads(payload)["results"]
            answer.accepted = [r["comment"]["id"] for r in results if r["status"] == 202]
        return answer
