"""The whole path on real Redis, RQ and databases: HTTP intake → worker → recorded decision."""

from __future__ import annotations

import os
import signal
import sys
import time
from dataclasses import replace

import pytest
from sqlalchemy import func, select, text

from moderation import queue as queue_module
from moderation.app import create_app
from moderation.domain.moderate import moderate_batch
from moderation.domain.sweeper import sweep
from moderation.local.localredis import free_port
from moderation.services import build_services
from moderation.store.models import Decision
from tests.conftest import make_settings
from tests.helpers import (
    auth,
    comment_json,
    descendants,
    request_json,
    start_web,
    start_worker,
    still_running,
)
from workers.main import run as run_worker


def _decision_count(services) -> int:
    with services.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(Decision)))


def _wait_decided(client, key, location, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = client.get(location, headers=auth(key)).get_json()
        if body["status"] != "queued":
            return body
        time.sleep(0.05)
    pytest.fail(f"{location} still queued after {timeout} s")


def test_http_to_worker_process_to_decision(client, site_key, settings):
    worker = start_worker(settings)
    try:
        clean = client.post(
            "/v1/comments",
            json=comment_json("ok", "A fair point about the budget."),
            headers=auth(site_key),
        )
        rude = client.post(
            "/v1/comments",
            json=comment_json("rude", "You are a fucking idiot."),
            headers=auth(site_key),
        )
        started = time.monotonic()
        approved = _wait_decided(client, site_key, clean.headers["Location"])
        refused = _wait_decided(client, site_key, rude.headers["Location"])
        elapsed = time.monotonic() - started
        with open(f"/proc/{worker.pid}/maps", encoding="utf-8") as fh:
            mapped = fh.read()
    finally:
        worker.terminate()
        worker.wait(timeout=20)

    # PostgreSQL's client library is 9 MiB of a worker's memory: only its own store loads it.
    assert ("libpq" in mapped) == settings.database_url.startswith("postgresql")

    assert approved["status"] == "approved"
    assert approved["decision"]["action"] == "approve"
    assert refused["status"] in {"held", "rejected"}
    reasons = refused["decision"]["reasons"]
    assert reasons
    assert reasons[0]["category"] in {"profanity", "slur"}
    assert refused["decision"]["ruleset_version"]
    assert elapsed < 10


def test_batch_is_decided_in_one_job(client, site_key, services, settings):
    items = [comment_json(f"b-{n}", f"Comment number {n} on the story.") for n in range(60)]
    client.post("/v1/comments/batch", json={"comments": items}, headers=auth(site_key))
    assert services.queue.queue.count == 1

    run_worker(settings, burst=True)

    assert _decision_count(services) == 60


def test_a_burst_of_comments_is_handed_to_redis_together(site_key, settings):
    services = build_services(replace(settings, enqueue_window=1.0))
    client = create_app(services=services).test_client()
    try:
        for n in range(10):
            posted = client.post(
                "/v1/comments", json=comment_json(f"burst-{n}"), headers=auth(site_key)
            )
            assert posted.status_code == 202
        # The first went to an idle queue, so the second went at once too; it found a job
        # waiting, so the other eight wait for the window.
        at_once = services.queue.queue.count
        deadline = time.monotonic() + 5
        while services.queue.queue.count < 3 and time.monotonic() < deadline:
            time.sleep(0.05)

        assert at_once == 2
        assert services.queue.queue.count == 3  # one job each for two, one for the eight
        run_worker(settings, burst=True)
        assert _decision_count(services) == 10
    finally:
        services.close()


def test_a_job_run_twice_records_one_decision(client, site_key, services):
    posted = client.post("/v1/comments", json=comment_json(), headers=auth(site_key)).get_json()

    first = moderate_batch(services, [posted["id"]], decided_by="test-a")
    second = moderate_batch(services, [posted["id"]], decided_by="test-b")

    assert (first, second) == (1, 0)
    assert _decision_count(services) == 1


@pytest.fixture
def coalescing(services, settings):
    """Services that coalesce once two jobs wait, each comment handed to Redis as it comes."""
    built = build_services(replace(settings, coalesce_after=2, job_batch_size=5, enqueue_window=0))
    yield built
    built.close()


def _job_functions(services) -> list[str]:
    return [job.func_name for job in services.queue.queue.jobs]


def test_under_load_intake_coalesces_ids_behind_one_drain_job(site_key, coalescing):
    services = coalescing
    client = create_app(services=services).test_client()
    for n in range(20):
        client.post("/v1/comments", json=comment_json(f"c-{n}"), headers=auth(site_key))

    # Two comments got jobs of their own; the other 18 wait for one drain job, put in front.
    assert (
        _job_functions(services)
        == ["workers.jobs.drain_pending"] + ["workers.jobs.moderate_comments"] * 2
    )
    assert services.queue.pending_count() == 18
    run_worker(services.settings, burst=True)  # the drain job's full batches bring helpers
    assert _decision_count(services) == 20
    assert services.queue.pending_count() == 0
    assert not services.redis.exists(services.queue.drain_key)


def test_ids_coalesced_after_a_drain_bring_a_new_drain_job(site_key, coalescing):
    services = coalescing
    client = create_app(services=services).test_client()
    for n in range(4):
        client.post("/v1/comments", json=comment_json(f"first-{n}"), headers=auth(site_key))
    run_worker(services.settings, burst=True)
    services.queue.enqueue_job(["not-a-comment-a"])  # two jobs waiting: the intake coalesces
    services.queue.enqueue_job(["not-a-comment-b"])

    client.post("/v1/comments", json=comment_json("later"), headers=auth(site_key))

    assert _job_functions(services)[0] == "workers.jobs.drain_pending"
    run_worker(services.settings, burst=True)
    assert _decision_count(services) == 5


def test_a_hand_over_tells_how_many_jobs_waited_ahead_of_it(coalescing):
    services = coalescing

    assert services.queue.enqueue(["01a"]) == 0  # idle: the web hands the next id at once
    assert services.queue.enqueue(["01b"]) == 1
    assert services.queue.enqueue(["01c"]) == 2  # coalesced onto the pending list
    assert services.queue.enqueue([f"01d{n}" for n in range(7)]) == 3  # a backlog, two jobs


def test_a_lost_drain_job_holds_up_coalesced_ids_only_for_a_while(
    site_key, coalescing, monkeypatch
):
    monkeypatch.setattr(queue_module, "DRAIN_DUE_SECONDS", 1)
    services = coalescing
    client = create_app(services=services).test_client()
    for n in range(3):
        client.post("/v1/comments", json=comment_json(f"c-{n}"), headers=auth(site_key))
    lost = services.queue.queue.jobs[0]
    assert lost.func_name == "workers.jobs.drain_pending"
    lost.delete()  # as if its worker were killed before it ran

    time.sleep(1.2)
    client.post("/v1/comments", json=comment_json("c-3"), headers=auth(site_key))

    assert _job_functions(services)[0] == "workers.jobs.drain_pending"
    run_worker(services.settings, burst=True)
    assert _decision_count(services) == 4


def test_a_graceful_web_stop_hands_over_the_ids_it_gathered(site_key, services, settings):
    """SIGTERM to `moderation serve` (a deploy): gathered ids reach Redis before the exit."""
    port = free_port()
    gathering = replace(settings, enqueue_window=1.0, bind=f"127.0.0.1:{port}")
    web = start_web(gathering)
    try:
        url = f"http://127.0.0.1:{port}/v1/comments"
        ids = [
            request_json("POST", url, site_key, comment_json(f"d-{n}"))[1]["id"] for n in range(3)
        ]
        waiting = [job.args[0] for job in services.queue.queue.jobs]
    finally:
        web.terminate()
        web.wait(timeout=30)

    handed_over = [id_ for job in services.queue.queue.jobs for id_ in job.args[0]]
    # The first two went at once (the first found the queue idle); the third, after a
    # hand-over that found a job waiting, waited for the window.
    assert waiting == [ids[:1], ids[1:2]]
    assert sorted(handed_over) == sorted(ids)


def test_sweeper_enqueues_what_redis_missed(site_key, services, settings):
    broken = build_services(replace(settings, redis_url="redis://127.0.0.1:1/0"))
    posted = (
        create_app(services=broken)
        .test_client()
        .post("/v1/comments", json=comment_json(), headers=auth(site_key))
    )
    broken.close()
    assert posted.status_code == 202
    assert sweep(services) == 0  # too young to sweep

    fast = replace(services, settings=replace(settings, sweep_after=1))
    time.sleep(1.1)
    assert sweep(fast) == 1
    assert sweep(fast) == 0  # just re-enqueued: not again until it is stale once more
    run_worker(settings, burst=True)
    assert _decision_count(services) == 1


# Where the first worker is stopped: reading its batch (an exclusive lock on a table the read
# joins), or writing the decision (the comment's row lock). A worker killed while reading
# leaves the comment to another; one killed while its write waits may still see that single
# statement commit once the lock goes, so there only "exactly once" holds.
_BLOCKERS = {
    "reading": ("LOCK TABLE authors IN ACCESS EXCLUSIVE MODE", "SELECT comments.id%", True),
    "writing": ("SELECT id FROM comments WHERE id = :id FOR UPDATE", "%UPDATE comments%", False),
}


@pytest.mark.parametrize("stage", list(_BLOCKERS))
def test_worker_killed_mid_job_leaves_the_comment_decided_once(postgres_url, redis_url, stage):
    """SIGKILL a worker mid-job; the comment is decided once, by another worker if need be."""
    settings = make_settings(postgres_url, redis_url, sweep_after=1, sweep_interval=1)
    services = build_services(settings)
    services.db.upgrade()
    from moderation.store.sites import create_site

    with services.db.session() as session:
        key = create_site(session, "daily-planet").api_key
    client = create_app(services=services).test_client()
    posted = client.post("/v1/comments", json=comment_json(), headers=auth(key)).get_json()

    block, blocked_query, other_decides = _BLOCKERS[stage]
    locker = services.db.engine.connect()
    transaction = locker.begin()
    locker.execute(text(block), {"id": posted["id"]})
    first = start_worker(settings)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with services.db.engine.connect() as probe:
                waiting = probe.scalar(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                        "AND ltrim(query) LIKE :query"
                    ),
                    {"query": blocked_query},
                )
            if waiting:
                break
            time.sleep(0.05)
        else:
            pytest.fail(f"the first worker never blocked while {stage}")
        # SIGKILL, as the OOM killer or a lost host would: the worker gets no chance to clean
        # up (its scheduler process goes with it, as it would with the container).
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        transaction.rollback()
        locker.close()

    second = start_worker(settings)
    try:
        body = _wait_decided(client, key, f"/v1/comments/{posted['id']}", timeout=30)
    finally:
        second.terminate()
        second.wait(timeout=20)
    assert body["status"] == "approved"
    with services.db.session() as session:
        rows = session.scalars(select(Decision)).all()
    assert len(rows) == 1
    if other_decides:
        assert rows[0].decided_by.endswith(f":{second.pid}")
    services.close()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the kernel's parent-death signal")
def test_worker_killed_outright_takes_its_scheduler_with_it(settings):
    """RQ forks a scheduler from the worker; a SIGKILL of the worker alone must not orphan it."""
    worker = start_worker(settings)
    try:
        deadline = time.monotonic() + 30
        while not (family := descendants(worker.pid)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert family, "the worker started no scheduler"
    finally:
        worker.kill()  # the worker only, not its process group
        worker.wait(timeout=10)
    assert not still_running(family, timeout=15)


def test_jobs_carry_ids_as_json_with_explicit_limits_and_retries(redis_url, tmp_path):
    import json
    import zlib

    from rq.job import Job
    from rq.serializers import JSONSerializer

    settings = make_settings(f"sqlite:///{tmp_path / 'db.sqlite3'}", redis_url, job_retries=3)
    services = build_services(settings)
    services.queue.enqueue(["01abc"])

    job = Job.fetch("comment-01abc", connection=services.redis, serializer=JSONSerializer)
    assert list(job.args) == [["01abc"]]
    assert job.func_name == "workers.jobs.moderate_comments"
    assert (job.timeout, job.ttl, job.result_ttl, job.failure_ttl) == (
        settings.job_timeout,
        settings.job_ttl,
        settings.result_ttl,
        settings.failure_ttl,
    )
    assert (job.retries_left, job.retry_intervals) == (3, [5, 20, 80])
    # Jobs carry ids, as JSON (RQ compresses it), never a pickled payload.
    stored = json.loads(zlib.decompress(services.redis.hget(job.key, "data")))
    assert stored == ["workers.jobs.moderate_comments", None, [["01abc"]], {}]
    services.close()
