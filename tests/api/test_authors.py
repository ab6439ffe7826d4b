"""An author's export and erasure: everything of theirs read out, then nothing of it left."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import DatabaseError

import moderation.store.webhooks  # noqa: F401 - registers the webhook tables on the metadata
from moderation.domain.moderate import moderate_batch
from moderation.store.models import AuditEntry, Base
from moderation.store.webhooks import WebhookDelivery
from moderation.webhooks import EVENT_TYPES
from tests.conftest import make_settings
from tests.helpers import auth, comment_json

AUTHOR = "u-erase"
NAME = "Xanthippe Quillfeather"
FIRST = "My zygomorphic first draft."
BODY = "Zebulon quixotically says: you absolute shit."
REPORT = "Vexillological nonsense, please remove."
QUOTE = "They wrote Zebulon quixotically, which is rude."
SECRETS = ("zygomorphic", "Zebulon", "quixotically", "Quillfeather", "Vexillological")


@pytest.fixture
def settings(database_url, redis_url):
    """Loopback webhooks allowed (no DNS in tests), so deliveries are recorded."""
    return make_settings(
        database_url, redis_url, webhook_allow_hosts="127.0.0.1", webhook_queue_name="hooks-test"
    )


def post(client, key, external_id, body, author=AUTHOR, name=NAME):
    payload = comment_json(external_id, body)
    payload["author"] = {"id": author, "name": name}
    response = client.post("/v1/comments", json=payload, headers=auth(key))
    assert response.status_code == 202
    return response.get_json()["id"]


@pytest.fixture
def history(client, site_key, services):
    """The author's comment (edited, decided, reported) and report, and another's comment."""
    hook = {"url": "http://127.0.0.1:9/hooks", "events": list(EVENT_TYPES)}
    assert client.post("/v1/webhooks", json=hook, headers=auth(site_key)).status_code == 201
    mine = post(client, site_key, "c-1", FIRST)
    moderate_batch(services, [mine], decided_by="test")
    edited = client.put(f"/v1/comments/{mine}", json={"body": BODY}, headers=auth(site_key))
    assert edited.status_code == 202
    theirs = post(client, site_key, "c-2", "A calm and ordinary remark.", "u-other", "Clark")
    moderate_batch(services, [mine, theirs], decided_by="test")
    filed = {"reporter_id": AUTHOR, "reason": "other", "text": REPORT}
    quoted = {"reporter_id": "u-other", "reason": "harassment", "text": QUOTE}
    for comment, report in ((theirs, filed), (mine, quoted)):
        answer = client.post(f"/v1/comments/{comment}/reports", json=report, headers=auth(site_key))
        assert answer.status_code == 201
    return mine, theirs


def every_row(services) -> str:
    """Every value of every table, as text."""
    with services.db.engine.connect() as connection:
        return "\n".join(
            str(tuple(row))
            for table in Base.metadata.sorted_tables
            for row in connection.execute(select(table))
        )


def test_the_export_holds_every_comment_revision_decision_and_report(client, site_key, history):
    mine, theirs = history

    export = client.get(f"/v1/authors/{AUTHOR}/export", headers=auth(site_key)).get_json()

    (comment,) = export["comments"]
    assert (comment["id"], comment["body"], comment["author_name"]) == (mine, BODY, NAME)
    assert [r["body"] for r in comment["revisions"]] == [FIRST]
    assert [d["revision"] for d in comment["decisions"]] == [1, 2]
    assert comment["decisions"][1]["action"] in {"hold", "reject"}
    assert [r["reason"] for r in comment["reports"]] == ["harassment"]
    assert "text" not in comment["reports"][0], "others' words are theirs"
    assert [(r["comment_id"], r["text"]) for r in export["reports_filed"]] == [(theirs, REPORT)]
    nobody = client.get("/v1/authors/u-nobody/export", headers=auth(site_key)).get_json()
    assert (nobody["comments"], nobody["reports_filed"]) == ([], [])


def test_erasure_leaves_none_of_the_authors_text_in_any_table(client, site_key, services, history):
    mine, _ = history
    before = every_row(services)
    assert all(secret in before for secret in SECRETS), "the test plants every secret"

    erased = client.delete(f"/v1/authors/{AUTHOR}", headers=auth(site_key))

    assert erased.status_code == 200
    assert erased.get_json()["erased"]["comments"] == 1
    after = every_row(services)
    assert [secret for secret in SECRETS if secret in after] == []
    assert "A calm and ordinary remark." in after, "other authors' comments stay"
    status = client.get(f"/v1/comments/{mine}", headers=auth(site_key)).get_json()
    reasons = status["decision"]["reasons"]
    assert reasons, "the decision keeps its reasons"
    assert all(r["term"] is None and r["code"] for r in reasons)
    assert status["decision"]["censored"] is None
    export = client.get(f"/v1/authors/{AUTHOR}/export", headers=auth(site_key)).get_json()
    assert export["comments"][0]["body"] == "[erased]"
    assert export["comments"][0]["author_name"] is None


def test_erasure_is_audited_and_announced_and_the_trail_stays_append_only(
    client, site_key, services, history
):
    client.delete(f"/v1/authors/{AUTHOR}", headers=auth(site_key))

    with services.db.session() as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "author_erased"))
        assert entry is not None
        assert (entry.actor_type, entry.data["author_id"]) == ("site", AUTHOR)
        announced = session.scalars(
            select(WebhookDelivery.payload).where(WebhookDelivery.event_type == "author.erased")
        ).all()
        assert [p["data"]["author_id"] for p in announced] == [AUTHOR]
    # Anything but clearing a note is still refused by the database.
    for change in (
        update(AuditEntry).values(reason="tampered"),
        update(AuditEntry).values(note="rewritten"),
        text("DELETE FROM audit_entries"),
    ):
        with pytest.raises(DatabaseError), services.db.engine.begin() as connection:
            connection.execute(change)


def test_another_sites_author_of_the_same_id_is_untouched(client, site_key, services, history):
    from tests.helpers import make_site

    other = make_site(services, "gotham-gazette")
    kept = post(client, other, "g-1", "Zebulon quixotically on another site.")

    client.delete(f"/v1/authors/{AUTHOR}", headers=auth(site_key))

    export = client.get(f"/v1/authors/{AUTHOR}/export", headers=auth(other)).get_json()
    assert [(c["id"], c["body"]) for c in export["comments"]] == [
        (kept, "Zebulon quixotically on another site.")
    ]
    assert client.delete(f"/v1/authors/{AUTHOR}").status_code == 401
