"""`moderation export decisions`: a site's moderators' verdicts as JSON lines, on both databases."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from moderation.domain.moderate import moderate_batch
from tests.conftest import settings_env
from tests.helpers import auth, comment_json, make_moderator, make_site

MODERATION = str(Path(sys.executable).parent / "moderation")


def _export(settings, site):  # type: ignore[no-untyped-def]
    return subprocess.run(
        [MODERATION, "export", "decisions", "--site", site],
        env=settings_env(settings),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _decided(client, services, key, external_id, body):  # type: ignore[no-untyped-def]
    response = client.post("/v1/comments", json=comment_json(external_id, body), headers=auth(key))
    assert response.status_code == 202, response.get_json()
    comment_id = response.get_json()["id"]
    moderate_batch(services, [comment_id], decided_by="test-worker")
    return comment_id


def _review(client, token, comment_id, action, reason=None):  # type: ignore[no-untyped-def]
    body = {"reason": reason, "note": "Please keep it civil."} if reason else None
    response = client.post(
        f"/v1/review/comments/{comment_id}/{action}", json=body, headers=auth(token)
    )
    assert response.status_code == 200, response.get_json()


def test_export_writes_one_line_per_moderator_verdict(client, services, settings):
    planet = make_site(services, "planet")
    gazette = make_site(services, "gazette")
    lois = make_moderator(services, "lois", "planet", "gazette")
    approved = _decided(client, services, planet, "c-1", "A fair point, well made.")
    rejected = _decided(client, services, planet, "c-2", "You are a worthless idiot.")
    spam = _decided(client, services, planet, "c-3", "Cheap pills at pills.example")
    _decided(client, services, planet, "c-4", "The engine alone decided this one.")
    theirs = _decided(client, services, gazette, "c-1", "Another site's comment.")
    _review(client, lois, approved, "approve")
    _review(client, lois, rejected, "reject", "harassment")
    _review(client, lois, spam, "reject", "spam")
    _review(client, lois, theirs, "reject", "other")

    result = _export(settings, "planet")

    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(lines, key=lambda row: row["body"]) == [
        {"id": approved, "body": "A fair point, well made.", "status": "approved", "reason": None},
        {
            "id": spam,
            "body": "Cheap pills at pills.example",
            "status": "rejected",
            "reason": "spam",
        },
        {
            "id": rejected,
            "body": "You are a worthless idiot.",
            "status": "rejected",
            "reason": "harassment",
        },
    ]


def test_export_of_an_unknown_site_is_a_one_line_error(services, settings):
    result = _export(settings, "nowhere")
    assert result.returncode != 0
    assert result.stdout == ""
    assert result.stderr.strip() == "Error: no site named 'nowhere'"
