"""Webhook secrets sealed at rest: never stored in clear, still signing, keys rotated by CLI."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select
from standardwebhooks import Webhook

from moderation.secretbox import SecretKeyError, box
from moderation.store.webhooks import WebhookEndpoint
from tests.conftest import make_settings, settings_env
from tests.integration.test_webhooks import _serve, emit, register, site_id_of
from workers.webhook_main import run as run_webhook_worker

MODERATION = str(Path(sys.executable).parent / "moderation")
OLD_KEY, NEW_KEY = Fernet.generate_key().decode(), Fernet.generate_key().decode()


@pytest.fixture
def receiver():
    yield from _serve()


@pytest.fixture
def settings(database_url, redis_url):
    """Secrets sealed with OLD_KEY; loopback allowed for the receiver."""
    return make_settings(
        database_url,
        redis_url,
        secret_key=OLD_KEY,
        webhook_allow_hosts="127.0.0.1",
        webhook_queue_name="webhooks-test",
    )


def stored(services) -> list[tuple[str, str | None]]:
    with services.db.session() as session:
        return list(
            session.execute(select(WebhookEndpoint.secret, WebhookEndpoint.previous_secret))
        )


def test_a_secret_is_stored_sealed_and_signs_deliveries(
    client, site_key, services, settings, receiver
):
    endpoint = register(client, site_key, receiver.url)

    [(secret, _)] = stored(services)
    assert endpoint["secret"] not in secret
    assert secret.startswith("fernet:")
    emit(services, site_id_of(services, endpoint))
    run_webhook_worker(settings, burst=True)
    got = receiver.requests[0]
    assert Webhook(endpoint["secret"]).verify(got.body, got.headers)["type"] == "comment.decided"


def rotate_keys(env) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [MODERATION, "secrets", "rotate"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_cli_reseals_every_secret_with_the_new_key(client, site_key, services, settings):
    first = register(client, site_key, "http://127.0.0.1:9/hooks")
    path = f"{first['links']['self']}/rotate-secret"
    second = client.post(path, headers={"Authorization": f"Bearer {site_key}"}).get_json()

    result = rotate_keys(settings_env(replace(settings, secret_key=f"{NEW_KEY},{OLD_KEY}")))

    assert result.returncode == 0, result.stderr
    [(secret, previous)] = stored(services)
    assert box(NEW_KEY).open(secret) == second["secret"]
    assert box(NEW_KEY).open(previous or "") == first["secret"]
    with pytest.raises(SecretKeyError):
        box(OLD_KEY).open(secret)


def test_a_secret_kept_in_clear_still_signs_and_is_sealed_by_the_cli(
    client, site_key, services, settings, receiver
):
    endpoint = register(client, site_key, receiver.url)
    with services.db.session() as session:  # as stored before a key was set
        session.get_one(WebhookEndpoint, endpoint["id"]).secret = endpoint["secret"]
    emit(services, site_id_of(services, endpoint))
    run_webhook_worker(settings, burst=True)
    got = receiver.requests[0]
    assert Webhook(endpoint["secret"]).verify(got.body, got.headers)

    assert rotate_keys(settings_env(settings)).returncode == 0
    [(secret, _)] = stored(services)
    assert secret.startswith("fernet:")
    assert box(OLD_KEY).open(secret) == endpoint["secret"]
    refused = rotate_keys(settings_env(replace(settings, secret_key="")))
    assert refused.returncode != 0
    assert "not set" in refused.stderr
