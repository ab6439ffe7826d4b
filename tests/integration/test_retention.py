"""Retention: rejected bodies, finished deliveries and report texts pruned past a site's days."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from moderation.domain.moderate import moderate_batch
from moderation.domain.retention import prune, prune_if_due
from moderation.store.models import AuditEntry, Comment, Decision, Report, Site
from moderation.store.webhooks import WebhookAttempt, WebhookDelivery
from tests.conftest import make_settings, settings_env
from tests.helpers import auth, comment_json

MODERATION = str(Path(sys.executable).parent / "moderation")
RUDE = "Plainly rude: you absolute shit."
OLD = datetime.now(UTC) - timedelta(days=60)


@pytest.fixture
def settings(database_url, redis_url):
    """Loopback webhooks allowed (no DNS in tests), so deliveries are recorded."""
    return make_settings(
        database_url, redis_url, webhook_allow_hosts="127.0.0.1", webhook_queue_name="hooks-test"
    )


def post(client, key, external_id, body=RUDE):
    response = client.post("/v1/comments", json=comment_json(external_id, body), headers=auth(key))
    assert response.status_code == 202
    return response.get_json()["id"]


@pytest.fixture
def record(client, site_key, services):
    """Two rejected comments (one long ago), an old approved one, old and new reports and
    deliveries: (old rejected, new rejected, old approved)."""
    hook = {"url": "http://127.0.0.1:9/hooks", "events": ["comment.decided"]}
    client.post("/v1/webhooks", json=hook, headers=auth(site_key))
    ids = [post(client, site_key, f"c-{n}") for n in range(3)]
    moderate_batch(services, ids, decided_by="test")
    for n, comment_id in enumerate(ids[:2]):
        report = {"reporter_id": f"r-{n}", "reason": "offensive", "text": f"Report text {n}."}
        client.post(f"/v1/comments/{comment_id}/reports", json=report, headers=auth(site_key))
    with services.db.session() as session:
        session.execute(update(Comment).where(Comment.id.in_(ids[:2])).values(status="rejected"))
        session.execute(update(Comment).where(Comment.id == ids[2]).values(status="approved"))
        session.execute(
            update(Comment).where(Comment.id.in_([ids[0], ids[2]])).values(decided_at=OLD)
        )
        session.execute(update(Report).where(Report.comment_id == ids[0]).values(created_at=OLD))
        deliveries = session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)).all()
        assert len(deliveries) == 3
        for delivery in deliveries[:2]:
            delivery.state, delivery.finished_at = "delivered", OLD
            session.add(
                WebhookAttempt(
                    delivery_id=delivery.id, attempted_at=OLD, status_code=204, duration_ms=3
                )
            )
        site = session.scalar(select(Site))
        site.keep_rejected_days, site.keep_deliveries_days, site.keep_report_text_days = 30, 7, 10
    return ids


def test_prune_keeps_what_is_within_the_sites_days_and_clears_the_rest(services, record):
    old_rejected, new_rejected, old_approved = record

    counts = prune(services, batch=1)  # one row per transaction: the batches follow each other

    assert counts == {"rejected_bodies": 1, "webhook_deliveries": 2, "report_texts": 1}
    with services.db.session() as session:
        bodies = dict(session.execute(select(Comment.id, Comment.body)).all())
        assert bodies[old_rejected] == "[erased]"
        assert bodies[new_rejected] == RUDE
        assert bodies[old_approved] == RUDE
        decision = session.scalar(select(Decision).where(Decision.comment_id == old_rejected))
        assert decision.reasons
        assert all(r["term"] is None for r in decision.reasons)
        texts = dict(session.execute(select(Report.comment_id, Report.text)).all())
        assert texts == {old_rejected: None, new_rejected: "Report text 1."}
        notes = session.scalars(select(AuditEntry.note).where(AuditEntry.action == "reported"))
        assert sorted(notes, key=str) == [None, "Report text 1."]
        assert session.scalar(select(WebhookDelivery.state)) == "pending"
        assert session.scalars(select(WebhookAttempt)).all() == []
    assert prune(services) == {"rejected_bodies": 0, "webhook_deliveries": 0, "report_texts": 0}


def test_workers_prune_once_per_interval_and_the_cli_sets_days_and_prunes(
    settings, services, record
):
    assert prune_if_due(services) is not None
    assert prune_if_due(services) is None, "another prune within the interval waits"

    env = settings_env(settings)
    configured = subprocess.run(
        [MODERATION, "sites", "configure", "daily-planet", "--keep-rejected", "forever"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert configured.returncode == 0, configured.stderr
    assert "keep rejected forever" in configured.stdout
    pruned = subprocess.run(
        [MODERATION, "prune"], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert pruned.returncode == 0, pruned.stderr
    assert pruned.stdout.startswith("pruned 0 rejected bodies")
