"""A worker rides out Redis outages of any length: Redis killed under it, again and again."""

from __future__ import annotations

import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue
from rq.serializers import JSONSerializer

from moderation.app import create_app
from moderation.services import build_services
from tests.conftest import make_settings
from tests.helpers import auth, comment_json, descendants, make_site, start_worker


class PrivateRedis:
    """A redis-server of this test's own on a free loopback port, killed and started at will."""

    def __init__(self, folder: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.folder = folder
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        client = Redis.from_url(self.url)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except RedisError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        client.close()

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    if server.process is not None and server.process.poll() is None:
        server.kill()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_worker_rides_out_redis_outages_and_decides_afterwards(database_url, private_redis):
    settings = make_settings(
        database_url, private_redis.url, sweep_interval=1, sweep_after=1, batch_max=300
    )
    services, key, client, worker = _start(settings)
    posted = []
    try:
        before = client.post("/v1/comments", json=comment_json("c-0", "Fine."), headers=auth(key))
        _wait_decided(client, key, before.headers["Location"], 30)
        # Redis killed while the worker decides a batch (its heartbeat and the job's result
        # meet the outage), and while it waits for work, for short and long outages.
        for n, outage in enumerate((0.5, 3.0, 8.0)):
            items = [comment_json(f"b{n}-{i}", f"Comment {i} on the story.") for i in range(300)]
            answer = client.post("/v1/comments/batch", json={"comments": items}, headers=auth(key))
            posted += [r["comment"]["links"]["self"] for r in answer.get_json()["results"]]
            # A job still running when Redis goes: RQ's heartbeat after it fails.
            jobs = Queue(settings.queue_name, connection=services.redis, serializer=JSONSerializer)
            jobs.enqueue("time.sleep", 1.5)
            time.sleep(0.7)
            private_redis.kill()
            time.sleep(outage)
            assert worker.poll() is None, "the worker quit during an outage"
            private_redis.start()
            time.sleep(1.0)
        assert worker.poll() is None, "the worker quit after an outage"
        # One scheduler child at most: none is left behind by an outage.
        assert len(descendants(worker.pid)) <= 1
        after = client.post(
            "/v1/comments", json=comment_json("c-1", "A fair point."), headers=auth(key)
        )
        decided = _wait_decided(client, key, after.headers["Location"], 40)
        # Comments whose job Redis lost are enqueued again by the sweeper, and decided.
        for location in posted:
            _wait_decided(client, key, location, 60)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        services.close()
    assert decided["status"] == "approved"


def _start(settings):  # type: ignore[no-untyped-def]
    """Services on a migrated database, a site's key, a client, and a worker process."""
    services = build_services(settings)
    services.db.upgrade()
    key = make_site(services, "outage")
    client = create_app(services=services).test_client()
    return services, key, client, start_worker(settings)


def _wait_decided(client, key: str, location: str, timeout: float) -> dict:  # type: ignore[no-untyped-def,type-arg]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = client.get(location, headers=auth(key)).get_json()
        if body.get("status") not in (None, "queued"):
            return body  # type: ignore[no-any-return]
        time.sleep(0.2)
    pytest.fail(f"{location} not decided in {timeout} s")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_comments_accepted_during_an_outage_are_decided_soon_after_it(database_url, private_redis):
    # The sweeper would take a minute: the web's own retry must not wait for it.
    settings = make_settings(database_url, private_redis.url, sweep_after=60, sweep_interval=60)
    services, key, client, worker = _start(settings)
    try:
        private_redis.kill()
        during = [
            client.post(
                "/v1/comments", json=comment_json(f"d-{n}", "Fine."), headers=auth(key)
            ).headers["Location"]
            for n in range(20)
        ]
        private_redis.start()
        back = time.monotonic()
        for location in during:
            _wait_decided(client, key, location, 30)
        took = time.monotonic() - back
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        services.close()
    assert took < 5, f"decided {took:.1f} s after Redis came back"
