"""Stories: a site opens, pre-moderates or closes comments; changes are audited."""

from __future__ import annotations

from sqlalchemy import select

from moderation.domain.moderate import moderate_batch
from moderation.store.models import AuditEntry
from tests.helpers import auth, comment_json, make_site

STORY = "/v1/stories/story-1"


def test_a_closed_story_refuses_new_comments_with_409_but_replays_old_ones(
    client, site_key, services
):
    before = client.post("/v1/comments", json=comment_json("c-1"), headers=auth(site_key))
    closed = client.put(
        STORY, json={"comments": "closed", "title": "Bypass"}, headers=auth(site_key)
    )
    assert closed.status_code == 200
    assert closed.get_json()["comments"] == "closed"
    assert closed.get_json()["title"] == "Bypass"

    refused = client.post("/v1/comments", json=comment_json("c-2"), headers=auth(site_key))
    replay = client.post("/v1/comments", json=comment_json("c-1"), headers=auth(site_key))
    batch = {
        "comments": [comment_json("c-3"), {**comment_json("c-4"), "story": {"id": "open-story"}}]
    }
    results = client.post("/v1/comments/batch", json=batch, headers=auth(site_key)).get_json()

    assert refused.status_code == 409
    assert refused.mimetype == "application/problem+json"
    assert refused.get_json()["type"].endswith("/story-closed")
    assert client.get("/v1/comments/by-site-id/c-2", headers=auth(site_key)).status_code == 404
    assert replay.status_code == 202
    assert replay.get_json()["id"] == before.get_json()["id"]
    assert [r["status"] for r in results["results"]] == [409, 202]
    assert results["results"][0]["type"].endswith("/story-closed")

    reopened = client.put(STORY, json={"comments": "open"}, headers=auth(site_key))
    assert reopened.get_json()["title"] == "Bypass", "fields left out keep their value"
    again = client.post("/v1/comments", json=comment_json("c-2"), headers=auth(site_key))
    assert again.status_code == 202


def test_a_premoderated_storys_comments_are_held_with_a_reason(client, site_key, services):
    client.put(STORY, json={"comments": "premoderated"}, headers=auth(site_key))
    posted = client.post("/v1/comments", json=comment_json(), headers=auth(site_key)).get_json()
    elsewhere = {**comment_json("c-2"), "story": {"id": "story-2"}}
    other = client.post("/v1/comments", json=elsewhere, headers=auth(site_key)).get_json()

    moderate_batch(services, [posted["id"], other["id"]], decided_by="test")

    held = client.get(f"/v1/comments/{posted['id']}", headers=auth(site_key)).get_json()
    assert held["status"] == "held"
    assert "story_premoderated" in [r["code"] for r in held["decision"]["reasons"]]
    assert (
        client.get(f"/v1/comments/{other['id']}", headers=auth(site_key)).get_json()["status"]
        == "approved"
    )


def test_changes_are_audited_and_stories_are_the_sites_own(client, site_key, services):
    client.put(STORY, json={"comments": "closed"}, headers=auth(site_key))
    client.put(STORY, json={"comments": "closed"}, headers=auth(site_key))  # no change
    client.put(
        STORY, json={"comments": "open", "url": "https://planet.example/1"}, headers=auth(site_key)
    )

    with services.db.session() as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "story_updated").order_by(AuditEntry.id)
        ).all()
        trail = [(e.from_status, e.to_status, sorted(e.data["changes"])) for e in entries]
    assert trail == [(None, "closed", ["comments"]), ("closed", "open", ["comments", "url"])]

    other_key = make_site(services, "gotham-gazette")
    assert client.get(STORY, headers=auth(other_key)).status_code == 404
    assert client.get(STORY, headers=auth(site_key)).get_json()["url"] == "https://planet.example/1"
    post = client.post("/v1/comments", json=comment_json(), headers=auth(other_key))
    assert post.status_code == 202, "another site's story of the same id stays open"


def test_bad_story_requests_are_problems(client, site_key):
    assert client.put(STORY, json={"comments": "ajar"}, headers=auth(site_key)).status_code == 422
    assert client.put(STORY, json={"colour": "red"}, headers=auth(site_key)).status_code == 422
    long_id = "/v1/stories/" + "s" * 201
    assert (
        client.put(long_id, json={"comments": "closed"}, headers=auth(site_key)).status_code == 422
    )
    assert client.put(STORY, json={"comments": "closed"}).status_code == 401
