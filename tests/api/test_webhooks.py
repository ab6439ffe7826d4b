"""Webhook endpoints through the Flask client: register, list, change, rotate, test, delete."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import update

from moderation.store.sites import create_site
from moderation.store.webhooks import WebhookEndpoint
from tests.conftest import make_settings
from tests.helpers import auth

HOOK = "http://127.0.0.1:9/hooks"


@pytest.fixture
def settings(database_url, redis_url):
    """Loopback allowed, as a site's intranet would be; nothing else private."""
    return make_settings(
        database_url,
        redis_url,
        webhook_allow_hosts="127.0.0.1",
        webhook_queue_name="webhooks-test",
    )


def register(client, key, url=HOOK, events=("comment.decided",), **extra):
    body = {"url": url, "events": list(events), **extra}
    return client.post("/v1/webhooks", json=body, headers=auth(key))


@pytest.fixture
def endpoint(client, site_key):
    response = register(client, site_key, description="CMS")
    assert response.status_code == 201
    return response.get_json()


@pytest.fixture
def other_key(services):
    with services.db.session() as session:
        return create_site(session, "the-sentinel").api_key


def test_registering_returns_the_secret_once(client, site_key, endpoint):
    assert endpoint["secret"].startswith("whsec_")
    assert endpoint["url"] == HOOK
    assert endpoint["events"] == ["comment.decided"]
    assert endpoint["description"] == "CMS"
    assert endpoint["enabled"] is True
    assert endpoint["consecutive_failures"] == 0

    read = client.get(endpoint["links"]["self"], headers=auth(site_key))
    listed = client.get("/v1/webhooks", headers=auth(site_key)).get_json()["webhooks"]

    assert read.status_code == 200
    assert "secret" not in read.get_json()
    assert [e["id"] for e in listed] == [endpoint["id"]]
    assert "secret" not in listed[0]


def test_registering_answers_201_with_a_location(client, site_key):
    response = register(client, site_key, events=["comment.reported", "comment.status_changed"])

    assert response.status_code == 201
    assert response.headers["Location"] == f"/v1/webhooks/{response.get_json()['id']}"
    assert response.get_json()["events"] == ["comment.reported", "comment.status_changed"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "ftp://127.0.0.1/x", "events": ["comment.decided"]}, "url"),
        ({"url": "not a url", "events": ["comment.decided"]}, "url"),
        ({"url": HOOK, "events": ["comment.deleted"]}, "events"),
        ({"url": HOOK, "events": []}, "events"),
        ({"url": HOOK}, "events"),
        ({"url": HOOK, "events": ["comment.decided"], "secret": "mine"}, "secret"),
    ],
)
def test_invalid_registrations_are_422_naming_the_field(client, site_key, body, field):
    response = client.post("/v1/webhooks", json=body, headers=auth(site_key))

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert field in response.get_json()["errors"]


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.5/hooks",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]:8080/",
        "http://127.0.0.2/",
        "http://0.0.0.0/",
        "http://[2002:7f00:1::]/",  # 6to4 for 127.0.0.1
        "http://[64:ff9b::a9fe:a9fe]/",  # NAT64 for the metadata service
        "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",  # Teredo
        "http://[::ffff:7f00:2]/",  # IPv4-mapped 127.0.0.2
        "http://[::7f00:1]/",  # IPv4-compatible 127.0.0.1
    ],
)
def test_private_targets_outside_the_allowlist_are_refused(client, site_key, url):
    response = register(client, site_key, url=url)

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert "not a public address" in response.get_json()["errors"]["url"][0]


def test_a_public_target_on_a_well_known_port_but_80_and_443_is_refused(client, site_key):
    response = register(client, site_key, url="http://93.184.215.14:22/hooks")

    assert response.status_code == 422
    assert response.get_json()["errors"] == {
        "url": ["port 22 is refused: use 80, 443 or a port from 1024 up"]
    }
    assert register(client, site_key, url="http://93.184.215.14:8080/hooks").status_code == 201


def test_keys_are_required(client):
    assert client.get("/v1/webhooks").status_code == 401
    assert client.post("/v1/webhooks", json={}).status_code == 401


def test_another_sites_endpoint_is_not_found(client, other_key, endpoint):
    path = endpoint["links"]["self"]
    calls = [
        client.get(path, headers=auth(other_key)),
        client.patch(path, json={"enabled": False}, headers=auth(other_key)),
        client.delete(path, headers=auth(other_key)),
        client.post(f"{path}/rotate-secret", headers=auth(other_key)),
        client.post(f"{path}/test", headers=auth(other_key)),
        client.get(f"{path}/deliveries", headers=auth(other_key)),
    ]

    assert [c.status_code for c in calls] == [404] * len(calls)
    assert client.get("/v1/webhooks", headers=auth(other_key)).get_json() == {"webhooks": []}


def test_patch_changes_url_events_and_description(client, site_key, endpoint):
    response = client.patch(
        endpoint["links"]["self"],
        json={"url": "http://127.0.0.1:8/v2", "events": ["comment.reported"], "description": None},
        headers=auth(site_key),
    )

    assert response.status_code == 200
    body = response.get_json()
    assert (body["url"], body["events"], body["description"]) == (
        "http://127.0.0.1:8/v2",
        ["comment.reported"],
        None,
    )


def test_patch_refuses_a_private_url(client, site_key, endpoint):
    response = client.patch(
        endpoint["links"]["self"], json={"url": "http://192.168.0.1/"}, headers=auth(site_key)
    )

    assert response.status_code == 422
    assert client.get(endpoint["links"]["self"], headers=auth(site_key)).get_json()["url"] == HOOK


def test_disabling_and_reenabling_resets_the_failure_count(client, site_key, services, endpoint):
    path = endpoint["links"]["self"]
    paused = client.patch(path, json={"enabled": False}, headers=auth(site_key)).get_json()
    with services.db.session() as session:
        session.execute(
            update(WebhookEndpoint)
            .where(WebhookEndpoint.id == endpoint["id"])
            .values(consecutive_failures=7)
        )

    resumed = client.patch(path, json={"enabled": True}, headers=auth(site_key)).get_json()

    assert (paused["enabled"], paused["disabled_reason"]) == (False, "disabled by the site")
    assert paused["disabled_at"]
    assert resumed["enabled"] is True
    assert resumed["disabled_at"] is None
    assert resumed["consecutive_failures"] == 0


def test_rotating_issues_a_new_secret_and_keeps_the_old_one_for_the_grace(
    client, site_key, services, endpoint
):
    before = datetime.now(UTC)
    response = client.post(f"{endpoint['links']['self']}/rotate-secret", headers=auth(site_key))

    assert response.status_code == 200
    body = response.get_json()
    assert body["secret"].startswith("whsec_")
    assert body["secret"] != endpoint["secret"]
    expires = datetime.fromisoformat(body["previous_secret_expires_at"])
    grace = services.settings.webhook_secret_grace
    assert 0 <= (expires - before).total_seconds() - grace < 60


def test_test_delivery_is_queued_and_shows_in_the_log(client, site_key, services, endpoint):
    response = client.post(f"{endpoint['links']['self']}/test", headers=auth(site_key))

    assert response.status_code == 202
    delivery = response.get_json()
    assert delivery["event_type"] == "webhook.test"
    assert delivery["state"] == "pending"
    assert delivery["message_id"].startswith("msg_")
    assert delivery["payload"]["data"]["endpoint_id"] == endpoint["id"]
    assert services.webhooks.queue.job_ids == [f"webhook-{delivery['id']}-0"]
    log = client.get(response.headers["Location"], headers=auth(site_key)).get_json()
    assert [d["id"] for d in log["deliveries"]] == [delivery["id"]]
    assert log["deliveries"][0]["attempts"] == []


def test_a_disabled_endpoint_cannot_be_tested(client, site_key, endpoint):
    path = endpoint["links"]["self"]
    client.patch(path, json={"enabled": False}, headers=auth(site_key))

    assert client.post(f"{path}/test", headers=auth(site_key)).status_code == 409


def test_delivery_log_limit_is_validated(client, site_key, endpoint):
    path = f"{endpoint['links']['self']}/deliveries"

    assert client.get(f"{path}?limit=0", headers=auth(site_key)).status_code == 422
    assert client.get(f"{path}?limit=5", headers=auth(site_key)).status_code == 200


def test_delete_removes_the_endpoint_and_its_log(client, site_key, endpoint):
    path = endpoint["links"]["self"]
    client.post(f"{path}/test", headers=auth(site_key))

    assert client.delete(path, headers=auth(site_key)).status_code == 204
    assert client.get(path, headers=auth(site_key)).status_code == 404
    assert client.get("/v1/webhooks", headers=auth(site_key)).get_json() == {"webhooks": []}
