"""Request budgets per site: shared through Redis by every web process, told in headers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from moderation.app import create_app
from moderation.services import build_services
from tests.conftest import make_settings, settings_env
from tests.helpers import auth, make_site

MODERATION = str(Path(sys.executable).parent / "moderation")
# A child web process: its own app, services and Redis connections, the same settings.
CHILD = """
import json, sys
from moderation.app import create_app
client = create_app().test_client()
headers = {"Authorization": "Bearer " + sys.argv[1]}
print(json.dumps([client.get("/v1/comments", headers=headers).status_code for _ in range(3)]))
"""


@pytest.fixture
def settings(database_url, redis_url):
    """A default budget small enough to reach: 3 requests a minute."""
    return make_settings(database_url, redis_url, rate_limit="3/m")


def test_a_site_over_its_budget_gets_429_with_retry_after_and_ratelimit_headers(client, site_key):
    answers = [client.get("/v1/comments", headers=auth(site_key)) for _ in range(4)]

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a.headers["RateLimit-Remaining"] for a in answers] == ["2", "1", "0", "0"]
    assert answers[0].headers["RateLimit-Limit"] == "3"
    assert answers[0].headers["RateLimit-Policy"] == "3;w=60"
    refused = answers[3]
    assert refused.mimetype == "application/problem+json"
    assert refused.get_json()["type"].endswith("/rate-limited")
    assert 1 <= int(refused.headers["Retry-After"]) <= 20  # one request's share of a minute
    assert 40 <= int(refused.headers["RateLimit-Reset"]) <= 60


def test_each_site_has_its_own_budget_and_moderators_none(client, site_key, services):
    for _ in range(3):
        client.get("/v1/comments", headers=auth(site_key))
    other = make_site(services, "gotham-gazette")

    assert client.get("/v1/comments", headers=auth(other)).status_code == 200
    assert client.get("/v1/comments", headers=auth(site_key)).status_code == 429


def test_web_processes_share_the_budget_set_by_the_cli(settings, services, client, site_key):
    env = settings_env(settings)
    configured = subprocess.run(
        [MODERATION, "sites", "configure", "daily-planet", "--rate", "5/h"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert configured.returncode == 0, configured.stderr
    assert "rate 5/h" in configured.stdout
    second = build_services(settings)
    try:
        other_app = create_app(services=second).test_client()
        here = [client.get("/v1/comments", headers=auth(site_key)).status_code for _ in range(1)]
        there = [other_app.get("/v1/comments", headers=auth(site_key)).status_code]
    finally:
        second.close()
    child = subprocess.run(
        [sys.executable, "-c", CHILD, site_key],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert child.returncode == 0, child.stderr

    assert here + there + json.loads(child.stdout) == [200, 200, 200, 200, 200]
    last = client.get("/v1/comments", headers=auth(site_key))
    assert last.status_code == 429
    assert last.headers["RateLimit-Policy"] == "5;w=3600"


def test_a_bad_rate_is_refused_by_the_cli(settings, services, site_key):
    refused = subprocess.run(
        [MODERATION, "sites", "configure", "daily-planet", "--rate", "lots"],
        env=settings_env(settings),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert refused.returncode != 0
    assert "N/s, N/m or N/h" in refused.stderr


def test_a_401_names_the_bearer_scheme(client):
    for headers in ({}, auth("msk_unknown")):
        answer = client.get("/v1/comments", headers=headers)
        assert answer.status_code == 401
        assert answer.headers["WWW-Authenticate"].startswith("Bearer")


def test_without_redis_requests_go_on_unlimited(database_url, redis_url):
    settings = make_settings(database_url, "redis://127.0.0.1:1/0", rate_limit="1/h")
    services = build_services(settings)
    services.db.upgrade()
    try:
        key = make_site(services, "daily-planet")
        client = create_app(services=services).test_client()
        answers = [client.get("/v1/comments", headers=auth(key)) for _ in range(3)]
        assert [a.status_code for a in answers] == [200, 200, 200]
        assert "RateLimit-Limit" not in answers[0].headers
    finally:
        services.close()
