"""A site's own policy in config/rules.toml, applied by the worker to stored comments."""

from __future__ import annotations

from sqlalchemy import update

from moderation.domain.moderate import moderate_batch
from moderation.store.models import Comment
from tests.helpers import auth, comment_json, make_site


def _decide(client, services, key, external_id, body, **extra):
    posted = client.post(
        "/v1/comments", json=comment_json(external_id, body, **extra), headers=auth(key)
    ).get_json()
    moderate_batch(services, [posted["id"]], decided_by="test-worker")
    return client.get(f"/v1/comments/{posted['id']}", headers=auth(key)).get_json()


def test_a_site_gets_the_censored_copy_its_policy_asks_for(client, services):
    key = make_site(services, "example-gazette")  # censor = true, strong profanity rejected

    read = _decide(client, services, key, "c1", "What a shit take on the budget.")

    assert read["status"] == "rejected"
    assert read["decision"]["censored"] == "What a **** take on the budget."


def test_new_authors_are_held_for_their_first_comments_then_trusted(client, services):
    key = make_site(services, "example-gazette")  # new_author_hold = 3

    statuses = [
        _decide(client, services, key, f"c{n}", f"Thoughtful point number {n}.")["status"]
        for n in range(4)
    ]

    assert statuses == ["held", "held", "held", "approved"]


def test_a_pre_moderated_section_holds_everything(client, services):
    key = make_site(services, "example-gazette")
    for n in range(3):  # past the new-author hold
        _decide(client, services, key, f"warm-{n}", f"Earlier remark {n}.")

    opinion = _decide(
        client,
        services,
        key,
        "op",
        "A calm remark.",
        story={"id": "s9", "section": "opinion"},
    )
    news = _decide(
        client,
        services,
        key,
        "nw",
        "Another calm remark.",
        story={"id": "s9", "section": "news"},
    )

    assert (opinion["status"], news["status"]) == ("held", "approved")
    assert news["decision"]["censored"] == "Another calm remark."


def test_other_sites_keep_the_default_policy(client, services):
    key = make_site(services, "daily-planet")

    read = _decide(client, services, key, "c1", "What a shit take on the budget.")

    assert read["status"] == "held"
    assert read["decision"]["censored"] is None


def test_the_same_text_posted_again_and_again_is_held_as_spam(client, services):
    key = make_site(services, "daily-planet")

    reads = [
        _decide(client, services, key, f"c{n}", "Visit my page for the real story!")
        for n in range(3)
    ]

    assert [r["status"] for r in reads] == ["approved", "approved", "held"]
    assert "duplicate" in {reason["code"] for reason in reads[2]["decision"]["reasons"]}


def test_comments_stored_before_duplicate_keys_still_count_as_copies(client, services):
    key = make_site(services, "daily-planet")
    for n in range(2):
        _decide(client, services, key, f"old{n}", "Visit my PAGE for the real   story!")
    with services.db.session() as session:  # as comments stored before migration 0007 are
        session.execute(
            update(Comment)
            .where(Comment.external_id.in_(["old0", "old1"]))
            .values(duplicate_key=None)
        )

    read = _decide(client, services, key, "new", "Visit my page for the real story!")

    assert read["status"] == "held"
    assert "duplicate" in {reason["code"] for reason in read["decision"]["reasons"]}
