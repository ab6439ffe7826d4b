"""Webhooks end to end on real Redis, RQ and databases, to a receiver listening on 127.0.0.1."""

from __future__ import annotations

import json
import shutil
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from rq.registry import ScheduledJobRegistry
from sqlalchemy import select, update
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from moderation.domain.moderate import moderate_batch
from moderation.store.webhooks import WebhookDelivery, WebhookEndpoint
from moderation.webhooks.client import post
from moderation.webhooks.guard import Allowlist
from moderation.webhooks.outbox import record_event
from tests.conftest import make_settings, settings_env
from tests.helpers import auth, comment_json, make_moderator
from workers import periodic, runtime
from workers.webhook_main import run as run_webhook_worker
from workers.webhooks import deliver, sweep_deliveries, sweep_deliveries_if_due

Reply = tuple[int, dict[str, str]]


@dataclass
class Received:
    """One request the receiver got."""

    at: float
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """A site's webhook endpoint: records requests, answers with the replies it is given."""

    url: str
    replies: list[Reply] = field(default_factory=list)
    requests: list[Received] = field(default_factory=list)

    def answer(self) -> Reply:
        return self.replies.pop(0) if len(self.replies) > 1 else (self.replies or [(204, {})])[0]


def _serve(tls: ssl.SSLContext | None = None) -> Iterator[Receiver]:
    state: dict[str, Receiver] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length)
            receiver = state["receiver"]
            receiver.requests.append(
                Received(time.monotonic(), self.path, dict(self.headers.items()), body)
            )
            status, headers = receiver.answer()
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    state["receiver"] = Receiver(f"http://127.0.0.1:{server.server_port}/hooks")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state["receiver"]
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    yield from _serve()


@pytest.fixture
def elsewhere() -> Iterator[Receiver]:
    """A second receiver, on another port: another origin a redirect might point to."""
    yield from _serve()


@pytest.fixture
def settings(database_url, redis_url):
    """Loopback allowed for the receiver; fast retries; endpoints disabled after 3 failures."""
    return make_settings(
        database_url,
        redis_url,
        webhook_allow_hosts="127.0.0.1",
        webhook_queue_name="webhooks-test",
        webhook_backoff_base=0.01,
        webhook_backoff_max=5.0,
        webhook_disable_after=3,
        webhook_max_attempts=5,
        webhook_timeout=2.0,
    )


def register(client, key, url, events=("comment.decided",)) -> dict:
    response = client.post(
        "/v1/webhooks", json={"url": url, "events": list(events)}, headers=auth(key)
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def site_id_of(services, endpoint) -> str:
    with services.db.session() as session:
        return session.get_one(WebhookEndpoint, endpoint["id"]).site_id


def emit(services, site_id, event_type="comment.decided", data=None) -> list[str]:
    """What the moderation worker does: record the event, commit, then enqueue."""
    with services.db.session() as session:
        ids = record_event(
            session,
            site_id=site_id,
            event_type=event_type,
            data=data or {"comment_id": "c-1", "action": "approve"},
            now=datetime.now(UTC),
        )
    services.webhooks.enqueue(ids)
    return ids


def delivery_log(client, key, endpoint) -> list[dict]:
    response = client.get(endpoint["links"]["deliveries"], headers=auth(key))
    assert response.status_code == 200
    return response.get_json()["deliveries"]


def work_until(settings, done: Callable[[], bool], timeout: float = 20.0) -> None:
    """Run the webhook worker in burst mode until `done()` holds (retries need several bursts)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run_webhook_worker(settings, burst=True)
        if done():
            return
        time.sleep(0.05)
    pytest.fail(f"not done after {timeout} s")


def test_site_receives_a_delivery_the_standard_verifier_accepts(
    client, site_key, services, settings, receiver
):
    endpoint = register(client, site_key, receiver.url)
    register(client, site_key, receiver.url + "/reports", events=["comment.reported"])
    ids = emit(services, site_id_of(services, endpoint), data={"comment_id": "c-9"})

    run_webhook_worker(settings, burst=True)

    assert len(ids) == 1  # only the endpoint subscribed to comment.decided
    assert len(receiver.requests) == 1
    got = receiver.requests[0]
    payload = Webhook(endpoint["secret"]).verify(got.body, got.headers)
    assert payload["type"] == "comment.decided"
    assert payload["data"] == {"comment_id": "c-9"}
    assert got.path == "/hooks"
    assert got.headers["Content-Type"] == "application/json"
    assert got.headers["webhook-id"].startswith("msg_")
    [logged] = delivery_log(client, site_key, endpoint)
    assert logged["state"] == "delivered"
    assert logged["message_id"] == got.headers["webhook-id"]
    assert [a["status_code"] for a in logged["attempts"]] == [204]
    assert logged["attempts"][0]["error"] is None


def test_during_rotation_both_secrets_verify_until_the_old_one_expires(
    client, site_key, services, settings, receiver
):
    endpoint = register(client, site_key, receiver.url)
    rotated = client.post(
        f"{endpoint['links']['self']}/rotate-secret", headers=auth(site_key)
    ).get_json()
    site_id = site_id_of(services, endpoint)

    emit(services, site_id)
    run_webhook_worker(settings, burst=True)
    during = receiver.requests[-1]

    assert len(during.headers["webhook-signature"].split(" ")) == 2
    for secret in (endpoint["secret"], rotated["secret"]):
        Webhook(secret).verify(during.body, during.headers)

    with services.db.session() as session:
        session.execute(
            update(WebhookEndpoint)
            .where(WebhookEndpoint.id == endpoint["id"])
            .values(previous_secret_expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    emit(services, site_id)
    run_webhook_worker(settings, burst=True)
    after = receiver.requests[-1]

    Webhook(rotated["secret"]).verify(after.body, after.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(endpoint["secret"]).verify(after.body, after.headers)


def test_a_failing_endpoint_is_retried_then_disabled(
    client, site_key, services, settings, receiver
):
    receiver.replies = [(500, {})]
    endpoint = register(client, site_key, receiver.url)
    site_id = site_id_of(services, endpoint)
    [first] = emit(services, site_id, data={"comment_id": "c-1"})

    def disabled() -> bool:
        return not client.get(endpoint["links"]["self"], headers=auth(site_key)).get_json()[
            "enabled"
        ]

    work_until(settings, disabled)

    # disable_after=3 consecutive failures, although max_attempts=5 would allow more.
    assert len(receiver.requests) == 3
    assert len({r.headers["webhook-id"] for r in receiver.requests}) == 1  # one message, resent
    state = client.get(endpoint["links"]["self"], headers=auth(site_key)).get_json()
    assert state["disabled_reason"] == "3 consecutive failed deliveries"
    assert state["consecutive_failures"] == 3
    [logged] = delivery_log(client, site_key, endpoint)
    assert logged["id"] == first
    assert logged["state"] == "failed"
    assert [(a["status_code"], a["error"]) for a in logged["attempts"]] == [(500, "HTTP 500")] * 3
    # A disabled endpoint receives nothing more, even once a worker runs again.
    assert emit(services, site_id) == []
    run_webhook_worker(settings, burst=True)
    assert len(receiver.requests) == 3


def test_a_delivery_gives_up_after_the_maximum_attempts(
    client, site_key, services, settings, receiver
):
    receiver.replies = [(503, {})]
    settings = replace(settings, webhook_max_attempts=2)
    endpoint = register(client, site_key, receiver.url)
    emit(services, site_id_of(services, endpoint))

    work_until(settings, lambda: delivery_log(client, site_key, endpoint)[0]["state"] != "pending")

    [logged] = delivery_log(client, site_key, endpoint)
    assert logged["state"] == "failed"
    assert len(logged["attempts"]) == 2
    assert client.get(endpoint["links"]["self"], headers=auth(site_key)).get_json()["enabled"]


def test_retry_after_is_honoured(client, site_key, services, settings, receiver):
    receiver.replies = [(429, {"Retry-After": "3"}), (200, {})]
    endpoint = register(client, site_key, receiver.url)
    [delivery_id] = emit(services, site_id_of(services, endpoint))

    run_webhook_worker(settings, burst=True)
    [waiting] = delivery_log(client, site_key, endpoint)
    due = datetime.fromisoformat(waiting["next_attempt_at"])
    registry = ScheduledJobRegistry(queue=services.webhooks.queue)

    assert waiting["state"] == "pending"
    assert [a["status_code"] for a in waiting["attempts"]] == [429]
    asked = due - datetime.fromisoformat(waiting["attempts"][0]["attempted_at"])
    assert asked == timedelta(seconds=3)
    assert registry.get_job_ids() == [f"webhook-{delivery_id}-1"]
    run_webhook_worker(settings, burst=True)  # not due yet: nothing is sent
    assert len(receiver.requests) == 1

    work_until(settings, lambda: len(receiver.requests) == 2, timeout=10)

    assert receiver.requests[1].at - receiver.requests[0].at >= 2.9
    [logged] = delivery_log(client, site_key, endpoint)
    assert logged["state"] == "delivered"
    assert [a["status_code"] for a in logged["attempts"]] == [429, 200]


def test_a_redirect_is_not_followed(client, site_key, services, settings, receiver, elsewhere):
    receiver.replies = [(307, {"Location": elsewhere.url})]
    endpoint = register(client, site_key, receiver.url)
    emit(services, site_id_of(services, endpoint))

    run_webhook_worker(settings, burst=True)

    assert len(receiver.requests) == 1
    assert elsewhere.requests == []
    [logged] = delivery_log(client, site_key, endpoint)
    assert logged["state"] == "pending"  # a redirect is a failure, retried like any other
    assert logged["attempts"][0]["status_code"] == 307
    assert "not followed" in logged["attempts"][0]["error"]


def test_a_loopback_target_is_refused_without_the_allowlist(
    client, site_key, services, settings, receiver
):
    endpoint = register(client, site_key, receiver.url)
    emit(services, site_id_of(services, endpoint))

    run_webhook_worker(replace(settings, webhook_allow_hosts=""), burst=True)

    assert receiver.requests == []
    [logged] = delivery_log(client, site_key, endpoint)
    [attempt] = logged["attempts"]
    assert attempt["status_code"] is None
    assert "not a public address" in attempt["error"]


def test_the_test_endpoint_sends_a_signed_test_delivery(
    client, site_key, services, settings, receiver
):
    endpoint = register(client, site_key, receiver.url, events=["comment.reported"])

    queued = client.post(f"{endpoint['links']['self']}/test", headers=auth(site_key))
    run_webhook_worker(settings, burst=True)

    assert queued.status_code == 202
    [got] = receiver.requests
    payload = Webhook(endpoint["secret"]).verify(got.body, got.headers)
    assert payload["type"] == "webhook.test"
    assert got.headers["webhook-id"] == queued.get_json()["message_id"]
    [logged] = delivery_log(client, site_key, endpoint)
    assert (logged["state"], logged["attempts"][0]["status_code"]) == ("delivered", 204)


def test_the_sweep_delivers_what_redis_never_got(client, site_key, services, settings, receiver):
    endpoint = register(client, site_key, receiver.url)
    with services.db.session() as session:
        record_event(
            session,
            site_id=site_id_of(services, endpoint),
            event_type="comment.decided",
            data={},
            now=datetime.now(UTC),
        )
    assert services.webhooks.queue.count == 0  # as if Redis failed after the commit

    assert sweep_deliveries(services) == 1
    assert sweep_deliveries(services) == 0  # its job waits: no second one
    run_webhook_worker(settings, burst=True)

    assert len(receiver.requests) == 1


def test_a_background_sweep_runs_once_per_interval_across_workers(
    client, site_key, services, receiver
):
    endpoint = register(client, site_key, receiver.url)
    with services.db.session() as session:
        record_event(
            session,
            site_id=site_id_of(services, endpoint),
            event_type="comment.decided",
            data={},
            now=datetime.now(UTC),
        )
    stop = periodic.start(lambda: sweep_deliveries_if_due(services), interval=0.05, name="t")
    try:
        deadline = time.monotonic() + 5
        while services.webhooks.queue.count == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        stop.set()

    assert services.webhooks.queue.count == 1
    # Another worker sweeping within the interval finds the lock taken.
    services.webhooks.queue.empty()
    assert sweep_deliveries_if_due(services) == 0


def test_a_delivery_job_run_twice_sends_once(client, site_key, services, receiver):
    endpoint = register(client, site_key, receiver.url)
    [delivery_id] = emit(services, site_id_of(services, endpoint))
    runtime.bind(services)

    first, second = deliver(delivery_id), deliver(delivery_id)

    assert first["state"] == "delivered"
    assert second["skipped"] is True
    assert len(receiver.requests) == 1
    with services.db.session() as session:
        row = session.scalars(select(WebhookDelivery)).one()
    assert row.attempts == 1


def test_a_running_worker_process_retries_on_schedule(
    client, site_key, services, settings, receiver
):
    """The deployed shape: a long-running worker with RQ's scheduler releasing the retry."""
    receiver.replies = [(500, {}), (200, {})]
    endpoint = register(client, site_key, receiver.url)
    worker = subprocess.Popen(
        [sys.executable, "-c", "from workers.webhook_main import run; run()"],
        env=settings_env(settings),
    )
    try:
        emit(services, site_id_of(services, endpoint))
        deadline = time.monotonic() + 20
        while len(receiver.requests) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        worker.terminate()
        worker.wait(timeout=20)

    [logged] = delivery_log(client, site_key, endpoint)
    assert [a["status_code"] for a in logged["attempts"]] == [500, 200]
    assert logged["state"] == "delivered"


@pytest.fixture
def tls_files(tmp_path) -> tuple[str, str]:
    """A self-signed certificate for `localhost` and its key."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return str(cert), str(key)


def test_https_connects_to_the_checked_address_with_the_urls_name(tls_files):
    cert, key = tls_files
    names: list[str | None] = []
    server_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_tls.load_cert_chain(cert, key)
    server_tls.sni_callback = lambda _sock, name, _ctx: names.append(name)
    serving = _serve(server_tls)
    receiver = next(serving)
    port = receiver.url.rsplit(":", 1)[1].split("/")[0]
    try:
        outcome = post(
            f"https://localhost:{port}/hooks",
            b"{}",
            {"webhook-id": "msg_tls"},
            timeout=2,
            allow=Allowlist.parse("localhost"),
            tls=ssl.create_default_context(cafile=cert),
        )
        untrusted = post(
            f"https://localhost:{port}/hooks",
            b"{}",
            {},
            timeout=2,
            allow=Allowlist.parse("localhost"),
        )
    finally:
        serving.close()

    assert outcome.status == 204, outcome.error
    assert names[0] == "localhost"  # SNI carries the name, though we connected to an address
    assert receiver.requests[0].headers["Host"] == f"localhost:{port}"
    assert untrusted.status is None
    assert "CERTIFICATE_VERIFY_FAILED" in (untrusted.error or "")


def test_report_threshold_then_moderator_reject_reach_the_site_signed(
    client, site_key, services, receiver
):
    """The whole story as a site lives it: decided, reported three times, rejected by a human."""
    events = ["comment.decided", "comment.reported", "comment.status_changed"]
    endpoint = register(client, site_key, receiver.url, events)
    moderator = make_moderator(services, "lois", "daily-planet")
    posted = client.post("/v1/comments", json=comment_json(), headers=auth(site_key)).get_json()
    moderate_batch(services, [posted["id"]], decided_by="test-worker")
    for reporter in ("r1", "r2", "r3"):
        client.post(
            f"/v1/comments/{posted['id']}/reports",
            json={"reporter_id": reporter, "reason": "harassment"},
            headers=auth(site_key),
        )
    queue = client.get("/v1/review/queues/reported", headers=auth(moderator)).get_json()
    assert [item["id"] for item in queue["items"]] == [posted["id"]]
    client.post(
        f"/v1/review/comments/{posted['id']}/reject",
        json={"reason": "harassment", "public_note": "Removed for harassment."},
        headers=auth(moderator),
    )

    run_webhook_worker(services.settings, burst=True)

    verifier = Webhook(endpoint["secret"])
    received = [verifier.verify(r.body, r.headers) for r in receiver.requests]
    assert [event["type"] for event in received] == [
        "comment.decided",
        "comment.reported",
        "comment.reported",
        "comment.reported",
        "comment.status_changed",
    ]
    changed = received[-1]["data"]
    assert changed["comment"]["id"] == posted["id"]
    assert (changed["from_status"], changed["to_status"]) == ("approved", "rejected")
    assert changed["actor"] == {"type": "moderator", "id": "lois"}
    decided = json.loads(receiver.requests[0].body)["data"]["decision"]
    assert decided["action"] == "approve"
    assert "scores" in decided  # null when the site's rules do not run the model
