"""Reader reports, the moderators' review API and the audit trail, on real databases."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from moderation.domain.moderate import moderate_batch
from tests.helpers import auth, comment_json, make_moderator, make_site


@pytest.fixture
def planet(services):
    """Site A with a key, its moderator, and site B with a key."""
    return {
        "key": make_site(services, "planet"),
        "other_key": make_site(services, "gazette"),
        "mod": make_moderator(services, "lois", "planet"),
        "admin": make_moderator(services, "perry", admin=True),
    }


def _post(client, key, external_id, body="A fair point.", **extra):
    response = client.post(
        "/v1/comments", json=comment_json(external_id, body, **extra), headers=auth(key)
    )
    assert response.status_code == 202, response.get_json()
    return response.get_json()["id"]


def _decided(client, services, key, external_id, body="A fair point.", **extra):
    comment_id = _post(client, key, external_id, body, **extra)
    moderate_batch(services, [comment_id], decided_by="test-worker")
    return comment_id


def _report(client, key, comment_id, reporter, reason="offensive", **extra):
    return client.post(
        f"/v1/comments/{comment_id}/reports",
        json={"reporter_id": reporter, "reason": reason, **extra},
        headers=auth(key),
    )


def _status(client, key, comment_id):
    return client.get(f"/v1/comments/{comment_id}", headers=auth(key)).get_json()["status"]


def test_report_is_filed_once_per_reporter(client, services, planet):
    comment_id = _decided(client, services, planet["key"], "c1")

    first = _report(client, planet["key"], comment_id, "r1", text="Rude.")
    again = _report(client, planet["key"], comment_id, "r1")

    assert first.status_code == 201
    assert first.get_json()["state"] == "open"
    assert first.headers["Location"] == f"/v1/reports/{first.get_json()['id']}"
    assert again.status_code == 200
    assert again.get_json()["id"] == first.get_json()["id"]
    read = client.get(f"/v1/reports/{first.get_json()['id']}", headers=auth(planet["key"]))
    assert read.get_json()["state"] == "open"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"reporter_id": "r1", "reason": "boring"}, "reason"),
        ({"reporter_id": "r1", "reason": "spam", "text": "x" * 1001}, "text"),
        ({"reason": "spam"}, "reporter_id"),
    ],
)
def test_bad_reports_are_422(client, services, planet, payload, field):
    comment_id = _decided(client, services, planet["key"], "c1")
    response = client.post(
        f"/v1/comments/{comment_id}/reports", json=payload, headers=auth(planet["key"])
    )
    assert response.status_code == 422
    assert field in response.get_json()["errors"]


def test_reports_on_unknown_or_foreign_comments_are_404(client, services, planet):
    comment_id = _decided(client, services, planet["key"], "c1")
    assert _report(client, planet["key"], "nope", "r1").status_code == 404
    assert _report(client, planet["other_key"], comment_id, "r1").status_code == 404


def test_reporter_rate_limit_is_429(client, services, planet):
    services_settings = services.settings
    limit = services_settings.reports_per_hour
    ids = [_post(client, planet["key"], f"c{n}") for n in range(limit + 1)]
    answers = [_report(client, planet["key"], cid, "busy-reader").status_code for cid in ids]
    assert answers[:limit] == [201] * limit
    assert answers[limit] == 429
    refused = _report(client, planet["key"], ids[-1], "busy-reader")
    assert 3500 < int(refused.headers["Retry-After"]) <= 3600


def test_threshold_moves_comment_to_reported_queue_and_can_hide_it(client, services, planet):
    from moderation.store.sites import find_site

    with services.db.session() as session:
        find_site(session, "planet").hide_on_report = True
    comment_id = _decided(client, services, planet["key"], "c1")
    assert _status(client, planet["key"], comment_id) == "approved"

    for reporter in ("r1", "r2"):
        _report(client, planet["key"], comment_id, reporter)
    assert _status(client, planet["key"], comment_id) == "approved"
    _report(client, planet["key"], comment_id, "r3")

    assert _status(client, planet["key"], comment_id) == "held"
    queue = client.get("/v1/review/queues/reported", headers=auth(planet["mod"])).get_json()
    assert [item["id"] for item in queue["items"]] == [comment_id]
    assert queue["items"][0]["reports"]["weight"] == 3


def test_reporters_with_upheld_reports_weigh_double(client, services, planet):
    # A reader whose three past reports were upheld...
    for n in range(3):
        comment_id = _decided(client, services, planet["key"], f"old{n}", f"Old point {n}.")
        _report(client, planet["key"], comment_id, "trusted")
        client.post(
            f"/v1/review/comments/{comment_id}/reject",
            json={"reason": "harassment"},
            headers=auth(planet["mod"]),
        )
    fresh = _decided(client, services, planet["key"], "fresh")

    # ...plus one ordinary reader reach the default threshold of 3.
    assert _report(client, planet["key"], fresh, "trusted").get_json()["id"]
    _report(client, planet["key"], fresh, "newcomer")

    counts = client.get("/v1/review/queues", headers=auth(planet["mod"])).get_json()["queues"]
    assert counts["reported"] == 1


def test_moderator_reject_upholds_reports_with_a_public_note(client, services, planet):
    comment_id = _decided(client, services, planet["key"], "c1")
    report_id = _report(client, planet["key"], comment_id, "r1").get_json()["id"]

    missing_reason = client.post(
        f"/v1/review/comments/{comment_id}/reject", json={}, headers=auth(planet["mod"])
    )
    assert missing_reason.status_code == 422
    rejected = client.post(
        f"/v1/review/comments/{comment_id}/reject",
        json={"reason": "harassment", "note": "Please keep it civil.", "public_note": "Removed."},
        headers=auth(planet["mod"]),
    )

    assert rejected.status_code == 200
    assert rejected.get_json()["status"] == "rejected"
    assert _status(client, planet["key"], comment_id) == "rejected"
    report = client.get(f"/v1/reports/{report_id}", headers=auth(planet["key"])).get_json()
    assert (report["state"], report["public_note"]) == ("upheld", "Removed.")


def test_keys_and_tokens_stay_in_their_lanes(client, services, planet):
    comment_id = _decided(client, services, planet["key"], "c1")

    site_on_review = client.get("/v1/review/queues", headers=auth(planet["key"]))
    mod_posting = client.post("/v1/comments", json=comment_json("x"), headers=auth(planet["mod"]))
    unknown_mod = client.get("/v1/review/queues", headers=auth("mmt_unknown"))

    assert site_on_review.status_code == 403
    assert mod_posting.status_code == 403
    assert unknown_mod.status_code == 401
    assert (
        client.get(f"/v1/review/comments/{comment_id}", headers=auth(planet["mod"])).status_code
        == 200
    )


def test_moderator_of_one_site_is_refused_on_another(client, services, planet):
    theirs = _decided(client, services, planet["other_key"], "g1", "Totally fine text.")

    read = client.get(f"/v1/review/comments/{theirs}", headers=auth(planet["mod"]))
    act = client.post(
        f"/v1/review/comments/{theirs}/reject", json={"reason": "spam"}, headers=auth(planet["mod"])
    )
    ban = client.post(
        "/v1/review/authors",
        json={"site": "gazette", "author_id": "reader-1", "action": "ban"},
        headers=auth(planet["mod"]),
    )
    listing = client.get("/v1/review/queues/approved", headers=auth(planet["mod"])).get_json()

    assert (read.status_code, act.status_code, ban.status_code) == (404, 404, 403)
    assert _status(client, planet["other_key"], theirs) == "approved"
    assert listing["items"] == []
    admin = client.get("/v1/review/queues/approved", headers=auth(planet["admin"])).get_json()
    assert [item["id"] for item in admin["items"]] == [theirs]


def test_queues_filter_and_paginate_with_a_cursor(client, services, planet):
    ids = [
        _decided(
            client,
            services,
            planet["key"],
            f"c{n}",
            "You are a fucking idiot.",
            story={"id": "s1" if n % 2 else "s2", "section": "sport"},
        )
        for n in range(5)
    ]
    clean = _decided(client, services, planet["key"], "clean")
    headers = auth(planet["mod"])
    status = _status(client, planet["key"], ids[0])
    assert status in {"held", "rejected"}

    counts = client.get("/v1/review/queues", headers=headers).get_json()["queues"]
    assert counts[status] == 5
    assert counts["approved"] == 1
    first = client.get(f"/v1/review/queues/{status}?limit=2", headers=headers).get_json()
    second = client.get(
        f"/v1/review/queues/{status}?limit=2&cursor={first['next_cursor']}", headers=headers
    ).get_json()
    third = client.get(
        f"/v1/review/queues/{status}?limit=2&cursor={second['next_cursor']}", headers=headers
    ).get_json()
    seen = [i["id"] for page in (first, second, third) for i in page["items"]]
    assert seen == ids
    assert third["next_cursor"] is None
    by_story = client.get(f"/v1/review/queues/{status}?story=s1", headers=headers).get_json()
    assert [i["id"] for i in by_story["items"]] == [ids[1], ids[3]]
    by_category = client.get(f"/v1/review/queues/{status}?category=profanity", headers=headers)
    assert len(by_category.get_json()["items"]) == 5
    item = first["items"][0]
    reason = item["decision"]["reasons"][0]
    assert item["body"][reason["start"] : reason["end"]].lower().startswith("fuck")
    assert clean not in seen
    bad = client.get("/v1/review/queues/held?limit=0", headers=headers)
    assert bad.status_code == 422
    assert client.get("/v1/review/queues/spam", headers=headers).status_code == 404


def test_bulk_actions_give_one_result_per_id(client, services, planet):
    ids = [_decided(client, services, planet["key"], f"c{n}", f"Point {n}.") for n in range(3)]
    response = client.post(
        "/v1/review/actions",
        json={"action": "reject", "reason": "spam", "ids": [*ids, "missing"]},
        headers=auth(planet["mod"]),
    )
    results = response.get_json()["results"]
    assert [r["status"] for r in results] == [200, 200, 200, 404]
    assert {_status(client, planet["key"], cid) for cid in ids} == {"rejected"}


def test_author_ban_rejects_standing_and_new_comments_until_lifted(client, services, planet):
    standing = _decided(client, services, planet["key"], "c1")
    headers = auth(planet["mod"])

    banned = client.post(
        "/v1/review/authors",
        json={"site": "planet", "author_id": "reader-1", "action": "ban", "reject_existing": True},
        headers=headers,
    )
    assert banned.get_json()["banned"] is True
    assert _status(client, planet["key"], standing) == "rejected"
    after_ban = _decided(client, services, planet["key"], "c2", "Another thought.")
    assert _status(client, planet["key"], after_ban) == "rejected"
    reasons = client.get(f"/v1/comments/{after_ban}", headers=auth(planet["key"])).get_json()
    assert "author_banned" in {r["code"] for r in reasons["decision"]["reasons"]}

    client.post(
        "/v1/review/authors",
        json={"site": "planet", "author_id": "reader-1", "action": "premoderate"},
        headers=headers,
    )
    client.post(
        "/v1/review/authors",
        json={"site": "planet", "author_id": "reader-1", "action": "lift"},
        headers=headers,
    )
    assert (
        _status(client, planet["key"], _decided(client, services, planet["key"], "c3"))
        == "approved"
    )


def test_an_author_order_keeps_the_moderators_whole_reason(client, services, planet):
    standing = _decided(client, services, planet["key"], "c1")
    reason = "é" * 500  # the longest the API takes
    banned = client.post(
        "/v1/review/authors",
        json={
            "site": "planet",
            "author_id": "reader-1",
            "action": "ban",
            "reason": reason,
            "reject_existing": True,
        },
        headers=auth(planet["mod"]),
    )
    assert banned.status_code == 200
    history = client.get(f"/v1/comments/{standing}/history", headers=auth(planet["key"]))
    assert history.get_json()["entries"][-1]["note"] == reason


def test_premoderated_author_is_held(client, services, planet):
    client.post(
        "/v1/review/authors",
        json={"site": "planet", "author_id": "reader-1", "action": "premoderate"},
        headers=auth(planet["mod"]),
    )
    assert _status(client, planet["key"], _decided(client, services, planet["key"], "c1")) == "held"


def test_edit_creates_a_revision_that_is_moderated_again(client, services, planet):
    comment_id = _decided(client, services, planet["key"], "c1", "A fine comment.")

    edited = client.put(
        f"/v1/comments/{comment_id}",
        json={"body": "Actually you are a fucking idiot."},
        headers=auth(planet["key"]),
    )
    assert edited.status_code == 202
    assert edited.get_json()["revision"] == 2
    assert edited.get_json()["status"] == "queued"
    moderate_batch(services, [comment_id], decided_by="test-worker")

    assert _status(client, planet["key"], comment_id) in {"held", "rejected"}
    history = client.get(f"/v1/comments/{comment_id}/history", headers=auth(planet["key"]))
    body = history.get_json()
    assert [r["body"] for r in body["revisions"]] == ["A fine comment."]
    assert [e["action"] for e in body["entries"]] == ["received", "decided", "edited", "decided"]
    empty = client.put(
        f"/v1/comments/{comment_id}", json={"body": " "}, headers=auth(planet["key"])
    )
    assert empty.status_code == 422


def test_history_shows_every_step_and_cannot_be_rewritten(client, services, planet):
    comment_id = _decided(client, services, planet["key"], "c1")
    for reporter in ("r1", "r2", "r3"):
        _report(client, planet["key"], comment_id, reporter, reason="harassment")
    client.post(
        f"/v1/review/comments/{comment_id}/reject",
        json={"reason": "harassment"},
        headers=auth(planet["mod"]),
    )

    history = client.get(
        f"/v1/comments/{comment_id}/history", headers=auth(planet["mod"])
    ).get_json()
    steps = [
        (e["action"], e["actor"]["type"], e["from_status"], e["to_status"])
        for e in history["entries"]
    ]
    assert steps == [
        ("received", "site", None, "queued"),
        ("decided", "engine", "queued", "approved"),
        ("reported", "reporter", None, None),
        ("reported", "reporter", None, None),
        ("reported", "reporter", None, None),
        ("flagged_by_reports", "system", "approved", "approved"),
        ("rejected", "moderator", "approved", "rejected"),
    ]
    assert history["entries"][1]["ruleset_version"]
    assert (
        client.get(
            f"/v1/comments/{comment_id}/history", headers=auth(planet["other_key"])
        ).status_code
        == 404
    )

    with pytest.raises(DBAPIError), services.db.session() as session:
        session.execute(text("UPDATE audit_entries SET note = 'rewritten'"))
    with pytest.raises(DBAPIError), services.db.session() as session:
        session.execute(text("DELETE FROM audit_entries"))


def test_approve_needs_no_body_and_answers_with_the_decision(client, services, planet):
    comment_id = _decided(client, services, planet["key"], "c1", "You are a fucking idiot.")

    approved = client.post(
        f"/v1/review/comments/{comment_id}/approve", headers=auth(planet["mod"])
    ).get_json()

    assert approved["status"] == "approved"
    assert approved["site"] == "planet"
    assert approved["decision"]["action"] in {"hold", "reject"}
    assert approved["review"]["by"] == "lois"


def test_credentials_are_checked_before_the_body(client):
    assert client.post("/v1/review/actions", data="not json").status_code == 401
    assert client.post("/v1/comments/x/reports", data="not json").status_code == 401
    assert client.get("/v1/review/queues/nope").status_code == 401


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_reports_filed_at_once_cross_the_threshold_once(app, services, planet):
    """Ten readers report at the same moment: one flag, one audit entry, one hide."""
    import threading

    from sqlalchemy import func, select

    from moderation.store.models import AuditEntry
    from moderation.store.sites import find_site

    with services.db.session() as session:
        find_site(session, "planet").hide_on_report = True
    client = app.test_client()
    comment_id = _decided(client, services, planet["key"], "c1")
    start = threading.Barrier(10)
    answers: list[int] = []

    def report(reporter: str) -> None:
        own = app.test_client()
        start.wait()
        answers.append(_report(own, planet["key"], comment_id, reporter).status_code)

    threads = [threading.Thread(target=report, args=(f"r{n}",)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert answers == [201] * 10
    with services.db.session() as session:
        flags = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.comment_id == comment_id, AuditEntry.action == "flagged_by_reports")
        )
    assert flags == 1
    assert _status(client, planet["key"], comment_id) == "held"


def test_the_held_queue_by_severity_pages_worst_first(client, services, planet):
    mild = _decided(client, services, planet["key"], "m1", "What a load of cr@p.")
    strong = _decided(client, services, planet["key"], "s1", "You absolute fucking idiot.")
    mild_too = _decided(client, services, planet["key"], "m2", "Utter cr@p, this.")
    url = "/v1/review/queues/held?order=severe&limit=2"

    first = client.get(url, headers=auth(planet["mod"])).get_json()
    second = client.get(
        f"{url}&cursor={first['next_cursor']}", headers=auth(planet["mod"])
    ).get_json()
    bad = client.get(f"{url}&cursor=nonsense", headers=auth(planet["mod"]))

    assert [item["id"] for item in first["items"]] == [strong, mild]
    assert [item["id"] for item in second["items"]] == [mild_too]
    assert second["next_cursor"] is None
    assert (bad.status_code, bad.get_json()["items"]) == (200, [])
