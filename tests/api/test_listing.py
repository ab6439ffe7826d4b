"""Listing a site's comments: filters, cursor paging, order, threads, other sites unseen."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from moderation.domain.review import review_comments
from moderation.store.models import Comment, Moderator
from tests.helpers import auth, comment_json, make_site


def post(
    client, key, external_id, body="A fair point.", *, story="story-1", author="u-1", parent=None
):
    payload = comment_json(external_id, body, parent_id=parent)
    payload["story"] = {"id": story}
    payload["author"] = {"id": author, "name": f"Name of {author}"}
    response = client.post("/v1/comments", json=payload, headers=auth(key))
    assert response.status_code == 202, response.get_json()
    return response.get_json()["id"]


def set_status(services, ids, status):
    """Stand in for the worker and moderators: the listing reads whatever status is stored."""
    with services.db.session() as session:
        for comment in session.query(Comment).filter(Comment.id.in_(ids)):
            comment.status = status


def listing(client, key, query=""):
    response = client.get(f"/v1/comments?{query}", headers=auth(key))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_a_story_page_shows_approved_comments_oldest_first_a_page_at_a_time(
    client, site_key, services
):
    ids = [post(client, site_key, f"c-{n}") for n in range(5)]
    held = post(client, site_key, "c-held")
    elsewhere = post(client, site_key, "c-other", story="story-2")
    set_status(services, [*ids, elsewhere], "approved")
    set_status(services, [held], "held")

    first = listing(client, site_key, "story_id=story-1&status=approved&limit=2")
    second = listing(
        client, site_key, f"story_id=story-1&status=approved&limit=2&cursor={first['next_cursor']}"
    )
    third = listing(
        client, site_key, f"story_id=story-1&status=approved&limit=2&cursor={second['next_cursor']}"
    )

    seen = [item["id"] for page in (first, second, third) for item in page["items"]]
    assert seen == ids
    assert third["next_cursor"] is None
    item = first["items"][0]
    assert item["body"] == "A fair point."
    assert item["author"] == {"id": "u-1", "name": "Name of u-1"}
    assert item["site_comment_id"] == "c-0"
    newest = listing(client, site_key, "story_id=story-1&status=approved&order=newest&limit=5")
    assert [i["id"] for i in newest["items"]] == ids[::-1]


def test_filters_by_status_author_time_and_text(client, site_key, services):
    mine = post(client, site_key, "a", "The BYPASS plan is 50% done", author="u-7")
    theirs = post(client, site_key, "b", "Nothing about roads", author="u-8")
    set_status(services, [theirs], "held")

    assert [i["id"] for i in listing(client, site_key, "author_id=u-7")["items"]] == [mine]
    assert [i["id"] for i in listing(client, site_key, "status=held")["items"]] == [theirs]
    assert [i["id"] for i in listing(client, site_key, "q=bypass")["items"]] == [mine]
    assert [i["id"] for i in listing(client, site_key, "q=50%25")["items"]] == [mine]
    # % and _ are the text, not wildcards.
    assert listing(client, site_key, "q=5_%25")["items"] == []
    later = quote((datetime.now(UTC) + timedelta(minutes=1)).isoformat())
    assert listing(client, site_key, f"since={later}")["items"] == []
    assert len(listing(client, site_key, f"until={later}")["items"]) == 2


def test_a_thread_holds_approved_top_level_comments_with_their_approved_replies(
    client, site_key, services
):
    top = post(client, site_key, "t1")
    reply = post(client, site_key, "r1", parent="t1")
    nested = post(client, site_key, "r2", parent="r1")
    hidden = post(client, site_key, "r3", parent="t1")
    other = post(client, site_key, "t2")
    set_status(services, [top, reply, nested, other], "approved")
    set_status(services, [hidden], "rejected")

    page = listing(client, site_key, "story_id=story-1&thread=true")

    assert [i["id"] for i in page["items"]] == [top, other]
    replies = page["items"][0]["replies"]
    assert [(r["id"], r["parent_id"]) for r in replies] == [(reply, "t1"), (nested, "r1")]
    assert page["items"][1]["replies"] == []
    held = client.get("/v1/comments?thread=true&status=held", headers=auth(site_key))
    assert held.status_code == 200
    assert held.get_json() == {"items": [], "next_cursor": None}  # threads hold approved only


def test_another_sites_comments_are_not_listed_and_bad_queries_are_422(client, site_key, services):
    other_key = make_site(services, "gotham-gazette")
    post(client, other_key, "g-1")

    assert listing(client, site_key)["items"] == []
    assert client.get("/v1/comments").status_code == 401
    for bad in ("limit=0", "order=sideways", "status=lost", "colour=red", "since=yesterday"):
        response = client.get(f"/v1/comments?{bad}", headers=auth(site_key))
        assert response.status_code == 422, bad
        assert response.mimetype == "application/problem+json"


def test_a_moderators_verdict_shows_on_the_story_page(client, site_key, services):
    comment = post(client, site_key, "c-1")
    assert listing(client, site_key, "status=approved")["items"] == []
    with services.db.session() as session:
        moderator = Moderator(
            id="m", name="lois", is_admin=True, token_digest="d", created_at=datetime.now(UTC)
        )
        session.add(moderator)
    review_comments(
        services, moderator, None, [comment], approve=True, reason=None, note=None, public_note=None
    )

    assert [i["id"] for i in listing(client, site_key, "status=approved")["items"]] == [comment]
