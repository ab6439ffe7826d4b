"""Posting comments and reading them back, through the Flask client on real stores."""

from __future__ import annotations

import json
from unittest.mock import ANY

from moderation.services import build_services
from tests.helpers import auth, comment_json


def test_post_records_queues_and_answers_202(client, site_key, services):
    response = client.post("/v1/comments", json=comment_json(), headers=auth(site_key))

    assert response.status_code == 202
    body = response.get_json()
    assert body["status"] == "queued"
    assert body["site_comment_id"] == "c-1"
    assert response.headers["Location"] == f"/v1/comments/{body['id']}"
    # The id went onto the RQ queue as a job with a deterministic id.
    assert services.queue.queue.job_ids == [f"comment-{body['id']}"]
    status = client.get(response.headers["Location"], headers=auth(site_key))
    assert status.get_json()["status"] == "queued"
    assert status.get_json()["decision"] is None


def test_lookup_by_the_sites_own_id(client, site_key):
    posted = client.post(
        "/v1/comments", json=comment_json("abc/42"), headers=auth(site_key)
    ).get_json()

    found = client.get("/v1/comments/by-site-id/abc/42", headers=auth(site_key))

    assert found.status_code == 200
    assert found.get_json()["id"] == posted["id"]


def test_replay_of_same_id_returns_original_and_creates_nothing(client, site_key, services):
    first = client.post("/v1/comments", json=comment_json(), headers=auth(site_key))
    again = client.post("/v1/comments", json=comment_json(), headers=auth(site_key))

    assert again.status_code == 202
    assert again.get_json()["id"] == first.get_json()["id"]
    assert again.get_json()["replayed"] is True
    assert len(services.queue.queue.job_ids) == 1


def test_same_id_with_another_body_is_422(client, site_key):
    client.post("/v1/comments", json=comment_json(), headers=auth(site_key))
    changed = client.post("/v1/comments", json=comment_json(body="Edited."), headers=auth(site_key))

    assert changed.status_code == 422
    assert changed.mimetype == "application/problem+json"
    assert changed.get_json()["type"].endswith("/idempotency-mismatch")


def test_idempotency_key_replays_and_rejects_another_body(client, site_key):
    headers = {**auth(site_key), "Idempotency-Key": "k-1"}
    first = client.post("/v1/comments", json=comment_json("a"), headers=headers)
    replay = client.post("/v1/comments", json=comment_json("a"), headers=headers)
    other = client.post("/v1/comments", json=comment_json("b"), headers=headers)

    assert replay.get_json()["id"] == first.get_json()["id"]
    assert other.status_code == 422


def test_another_sites_comment_is_not_found(client, site_key, services):
    from moderation.store.sites import create_site

    with services.db.session() as session:
        other_key = create_site(session, "gotham-gazette").api_key
    posted = client.post("/v1/comments", json=comment_json(), headers=auth(site_key)).get_json()

    response = client.get(f"/v1/comments/{posted['id']}", headers=auth(other_key))

    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    # The other site may use the same comment id for its own, distinct comment.
    mine = client.post("/v1/comments", json=comment_json(), headers=auth(other_key))
    assert mine.status_code == 202
    assert mine.get_json()["id"] != posted["id"]


def test_missing_and_wrong_keys_are_401(client, site_key):
    assert client.post("/v1/comments", json=comment_json()).status_code == 401
    wrong = client.post("/v1/comments", json=comment_json(), headers=auth("msk_nope"))
    assert wrong.status_code == 401
    assert wrong.get_json()["status"] == 401


def test_malformed_json_is_400(client, site_key):
    response = client.post(
        "/v1/comments",
        data="{not json",
        headers={**auth(site_key), "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"


def test_schema_errors_are_422_with_field_errors(client, site_key):
    bad = comment_json()
    del bad["story"]
    bad["author"] = {"id": ""}
    bad["colour"] = "red"

    response = client.post("/v1/comments", json=bad, headers=auth(site_key))

    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert set(errors) == {"story", "author", "colour"}


def test_text_holding_nul_is_422_naming_where_and_nothing_is_stored(client, site_key):
    # PostgreSQL cannot store NUL: refused on both stores alike, before anything is written.
    bad = comment_json(body="nul \x00 inside")
    bad["story"]["id"] = "s\x00"
    response = client.post("/v1/comments", json=bad, headers=auth(site_key))

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    errors = response.get_json()["errors"]
    assert set(errors) == {"body", "story"}
    assert set(errors["story"]) == {"id"}
    missing = client.get("/v1/comments/by-site-id/c-1", headers=auth(site_key))
    assert missing.status_code == 404
    # In a batch, the item holding it is refused and the others are taken.
    items = [comment_json("b-1"), comment_json("b-2", body="\x00")]
    batch = client.post("/v1/comments/batch", json={"comments": items}, headers=auth(site_key))
    assert batch.status_code == 200
    assert [r["status"] for r in batch.get_json()["results"]] == [202, 422]
    assert batch.get_json()["results"][1]["errors"] == {"body": [ANY]}


def test_a_backslash_u0000_that_is_text_is_accepted_and_utf16_json_is_checked(client, site_key):
    response = client.post(
        "/v1/comments", json=comment_json(body="Type \\u0000 to see"), headers=auth(site_key)
    )
    assert response.status_code == 202
    utf16 = json.dumps(comment_json("c-2", body="\x00")).encode("utf-16")
    headers = {**auth(site_key), "Content-Type": "application/json"}
    response = client.post("/v1/comments", data=utf16, headers=headers)
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"body"}


def test_a_url_holding_nul_is_400_and_a_long_idempotency_key_422(client, site_key):
    for url in ("/v1/comments/ab%00cd", "/v1/comments/by-site-id/ab%00cd", "/v1/review?q=%00"):
        response = client.get(url, headers=auth(site_key))
        assert response.status_code == 400, url
        assert response.mimetype == "application/problem+json"
    long_key = {**auth(site_key), "Idempotency-Key": "k" * 201}
    response = client.post("/v1/comments", json=comment_json(), headers=long_key)
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"Idempotency-Key"}
    fits = {**auth(site_key), "Idempotency-Key": "k" * 200}
    assert client.post("/v1/comments", json=comment_json(), headers=fits).status_code == 202


def test_text_over_the_limit_is_422_and_body_over_the_limit_413(client, site_key, services):
    limit = services.settings.max_text_chars
    long_text = client.post(
        "/v1/comments", json=comment_json(body="a" * (limit + 1)), headers=auth(site_key)
    )
    assert long_text.status_code == 422
    assert "body" in long_text.get_json()["errors"]

    huge = json.dumps(comment_json(body="a" * (services.settings.max_body_bytes + 10)))
    response = client.post(
        "/v1/comments", data=huge, headers={**auth(site_key), "Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"


def test_unknown_route_and_method_are_problems(client, site_key):
    assert client.get("/v1/nothing").mimetype == "application/problem+json"
    response = client.delete("/v1/comments", headers=auth(site_key))
    assert response.status_code == 405
    assert response.mimetype == "application/problem+json"


def test_batch_validates_each_item_and_enqueues_one_job(client, site_key, services):
    items = [comment_json(f"b-{n}") for n in range(5)]
    items[2] = {"id": "broken"}
    response = client.post("/v1/comments/batch", json={"comments": items}, headers=auth(site_key))

    assert response.status_code == 200
    body = response.get_json()
    assert (body["accepted"], body["rejected"]) == (4, 1)
    assert [r["status"] for r in body["results"]] == [202, 202, 422, 202, 202]
    assert "story" in body["results"][2]["errors"]
    assert len(services.queue.queue.job_ids) == 1


def test_batch_over_the_limit_is_422(client, site_key, services):
    items = [comment_json(f"b-{n}") for n in range(services.settings.batch_max + 1)]
    response = client.post("/v1/comments/batch", json={"comments": items}, headers=auth(site_key))
    assert response.status_code == 422


def test_redis_down_at_intake_still_records_the_comment(site_key, services, settings):
    """The comment is durable before 202; the sweeper enqueues it once Redis is back."""
    from dataclasses import replace

    from moderation.app import create_app

    broken = build_services(replace(settings, redis_url="redis://127.0.0.1:1/0"))
    response = (
        create_app(services=broken)
        .test_client()
        .post("/v1/comments", json=comment_json(), headers=auth(site_key))
    )
    broken.close()

    assert response.status_code == 202
    assert response.get_json()["status"] == "queued"
    assert services.queue.queue.job_ids == []


def test_database_down_is_503(redis_url):
    from moderation.app import create_app
    from tests.conftest import make_settings

    settings = make_settings("postgresql+psycopg://postgres@127.0.0.1:1/test", redis_url)
    response = (
        create_app(settings)
        .test_client()
        .post("/v1/comments", json=comment_json(), headers=auth("msk_any"))
    )
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert response.headers["Retry-After"]
