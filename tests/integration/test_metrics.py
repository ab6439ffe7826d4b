"""/metrics as Prometheus scrapes it: counters move with the work, queue gauges read Redis."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import replace
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from moderation.app import create_app
from moderation.domain.sweeper import sweep
from moderation.local.localredis import free_port
from moderation.services import build_services
from tests.conftest import make_settings, settings_env
from tests.helpers import auth, comment_json, make_site, request_json, wait_http
from workers.main import run as run_worker
from workers.webhook_main import run as run_webhook_worker

MODERATION = str(Path(sys.executable).parent / "moderation")
SITE = "daily-planet"
ACTIONS = ("approve", "hold", "reject")


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of an exposition, by name and labels."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(found: dict, name: str, **labels: str) -> float:  # type: ignore[type-arg]
    """One sample's value; 0 when the series does not exist yet."""
    return found.get((name, frozenset(labels.items())), 0.0)


def scrape(client) -> dict:  # type: ignore[no-untyped-def,type-arg]
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    return samples(response.get_data(as_text=True))


@pytest.fixture
def settings(database_url, redis_url):
    """Ids handed to Redis at once (no gathering window), loopback webhooks allowed."""
    return make_settings(
        database_url,
        redis_url,
        enqueue_window=0,
        webhook_allow_hosts="127.0.0.1",
        webhook_queue_name="webhooks-test",
    )


def test_a_comment_moves_the_counters_from_intake_to_decision(client, site_key, settings):
    before = scrape(client)
    for external_id, body in (("ok", "A fair point about the budget."), ("rude", "You shit.")):
        response = client.post(
            "/v1/comments", json=comment_json(external_id, body), headers=auth(site_key)
        )
        assert response.status_code == 202
    replay = client.post(
        "/v1/comments",
        json=comment_json("ok", "A fair point about the budget."),
        headers=auth(site_key),
    )
    assert replay.get_json()["replayed"]
    run_worker(settings, burst=True)
    after = scrape(client)

    def moved(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert moved("moderation_comments_received_total", site=SITE) == 2  # not the replay
    assert moved("moderation_decisions_total", site=SITE, action="approve") == 1
    refused = sum(
        moved("moderation_decisions_total", site=SITE, action=a) for a in ("hold", "reject")
    )
    assert refused == 1
    assert moved("moderation_reasons_total", category="profanity") >= 1
    assert moved("moderation_decision_latency_seconds_count") == 2
    assert moved("moderation_http_requests_total", route="/v1/comments", status="202") == 3
    assert value(after, "moderation_queue_depth", queue=settings.queue_name) == 0


def test_queue_gauges_count_waiting_jobs_and_pending_ids(client, site_key, services):
    for n in range(3):
        client.post("/v1/comments", json=comment_json(f"c-{n}"), headers=auth(site_key))
    time.sleep(1.1)
    found = scrape(client)
    queue = services.settings.queue_name
    assert value(found, "moderation_queue_depth", queue=queue) == 3
    assert value(found, "moderation_queue_depth", queue="webhooks-test") == 0
    assert value(found, "moderation_pending_comments", queue=queue) == 0
    assert 1 <= value(found, "moderation_queue_oldest_age_seconds", queue=queue) < 30


def test_under_load_the_pending_list_is_counted_and_aged(database_url, redis_url):
    # Past `coalesce_after` waiting jobs, ids join the pending list behind one drain job.
    settings = make_settings(database_url, redis_url, enqueue_window=0, coalesce_after=2)
    services = build_services(settings)
    services.db.upgrade()
    site_key = make_site(services, SITE)
    client = create_app(services=services).test_client()
    for n in range(5):
        client.post("/v1/comments", json=comment_json(f"c-{n}"), headers=auth(site_key))
    time.sleep(1.1)
    found = scrape(client)
    assert value(found, "moderation_queue_depth", queue=settings.queue_name) == 3  # 2 + drain
    assert value(found, "moderation_pending_comments", queue=settings.queue_name) == 3
    assert value(found, "moderation_queue_oldest_age_seconds", queue=settings.queue_name) >= 1
    services.close()


def test_routes_are_labelled_by_rule_never_by_path(client, site_key):
    for path in ("/v1/comments/one", "/v1/comments/two", "/no/such/page"):
        client.get(path, headers=auth(site_key))
    found = scrape(client)
    routes = {dict(labels).get("route") for name, labels in found if "http_requests" in name}
    assert "/v1/comments/<comment_id:comment_id>" in routes
    assert "unmatched" in routes
    assert not any(route and ("one" in route or "/no/" in route) for route in routes)
    assert value(found, "moderation_http_requests_total", route="unmatched", status="404") >= 1


def test_failed_jobs_and_sweeps_are_counted(client, site_key, services, settings):
    before = scrape(client)
    # A job that raises: RQ records it as failed, and so does the counter.
    services.queue.queue.enqueue_call("builtins.int", args=("not a number",), job_id="bad-job")
    run_worker(settings, burst=True)
    response = client.post("/v1/comments", json=comment_json("late"), headers=auth(site_key))
    assert response.status_code == 202
    services.redis.delete(services.queue.queue.key)  # its job lost, as in a Redis outage
    time.sleep(1.1)
    assert sweep(replace(services, settings=replace(settings, sweep_after=1))) == 1
    after = scrape(client)
    queue = settings.queue_name
    assert (
        value(after, "moderation_jobs_failed_total", queue=queue)
        - value(before, "moderation_jobs_failed_total", queue=queue)
        == 1
    )
    assert (
        value(after, "moderation_sweeper_requeued_total")
        - value(before, "moderation_sweeper_requeued_total")
        == 1
    )


def test_reports_and_webhook_attempts_are_counted(client, site_key, settings):
    hook = {"url": "http://127.0.0.1:9/hooks", "events": ["comment.decided"]}  # nobody listens
    assert client.post("/v1/webhooks", json=hook, headers=auth(site_key)).status_code == 201
    posted = client.post("/v1/comments", json=comment_json("c-1"), headers=auth(site_key))
    comment_id = posted.get_json()["id"]
    before = scrape(client)
    report = {"reporter_id": "r-1", "reason": "spam"}
    response = client.post(
        f"/v1/comments/{comment_id}/reports", json=report, headers=auth(site_key)
    )
    assert response.status_code == 201
    run_worker(settings, burst=True)  # decides, and so queues a comment.decided delivery
    run_webhook_worker(settings, burst=True)
    after = scrape(client)
    assert (
        value(after, "moderation_reports_total", reason="spam")
        - value(before, "moderation_reports_total", reason="spam")
        == 1
    )
    # Refused connection: the attempt failed and the delivery waits for its retry.
    assert (
        value(after, "moderation_webhook_deliveries_total", outcome="retrying")
        - value(before, "moderation_webhook_deliveries_total", outcome="retrying")
        == 1
    )


def test_gunicorn_workers_and_a_worker_add_up_in_one_scrape(tmp_path, redis_url):
    """Multiprocess mode: two gunicorn workers and a worker process write one folder."""
    settings = make_settings(f"sqlite:///{tmp_path / 'db.sqlite3'}", redis_url)
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    (metrics_dir / "counter_999999.db").write_bytes(b"left by an earlier run")
    port = free_port()
    env = {
        **settings_env(settings),
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        "MODERATION_BIND": f"127.0.0.1:{port}",
        "MODERATION_WEB_WORKERS": "2",
    }
    subprocess.run([MODERATION, "db", "upgrade"], env=env, check=True, capture_output=True)
    web = subprocess.Popen(
        [MODERATION, "serve", "--no-control-socket"], env=env, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    worker = None
    try:
        wait_http(base + "/healthz", 30)
        # After `serve` has emptied the folder, as `moderation up` starts its worker.
        worker = subprocess.Popen(
            [sys.executable, "-m", "workers"], env=env, start_new_session=True
        )
        built = build_services(settings)
        key = make_site(built, SITE)
        built.close()
        for n in range(12):
            status, _ = request_json("POST", base + "/v1/comments", key, comment_json(f"c-{n}"))
            assert status == 202
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with urllib.request.urlopen(base + "/metrics", timeout=5) as response:  # noqa: S310
                found = samples(response.read().decode())
            if value(found, "moderation_decision_latency_seconds_count") == 12:
                break
            time.sleep(0.2)
    finally:
        web.terminate()
        web.wait(timeout=30)
        if worker is not None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=30)
    assert value(found, "moderation_comments_received_total", site=SITE) == 12
    decided = (value(found, "moderation_decisions_total", site=SITE, action=a) for a in ACTIONS)
    assert sum(decided) == 12
    written = {path.name.split("_")[-1] for path in metrics_dir.glob("*.db")}
    assert len(written) >= 3, written  # the web's two processes and the worker's
    assert not (metrics_dir / "counter_999999.db").exists()  # `serve` emptied the folder


def test_a_worker_of_its_own_serves_its_counters_on_the_metrics_port(client, site_key, settings):
    """A worker in a pod of its own shares no folder with the web: it answers scrapes itself."""
    port = free_port()
    env = {**settings_env(settings), "MODERATION_METRICS_PORT": str(port)}
    worker = subprocess.Popen([sys.executable, "-m", "workers"], env=env, start_new_session=True)
    try:
        wait_http(f"http://127.0.0.1:{port}/metrics", 30)
        client.post("/v1/comments", json=comment_json("c-1"), headers=auth(site_key))
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as answer:
                found = samples(answer.read().decode())
            if value(found, "moderation_decisions_total", site=SITE, action="approve"):
                break
            time.sleep(0.1)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
    assert value(found, "moderation_decisions_total", site=SITE, action="approve") == 1
    assert value(found, "moderation_decision_latency_seconds_count") == 1
