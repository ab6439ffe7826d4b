"""POST /v1/moderate/check: the decision for a text under the current rules, stored nowhere."""

from __future__ import annotations

import pytest

from tests.helpers import auth


def test_check_returns_a_decision_and_stores_nothing(client, site_key, services):
    response = client.post(
        "/v1/moderate/check", json={"body": "You are a fucking idiot."}, headers=auth(site_key)
    )

    assert response.status_code == 200
    decision = response.get_json()
    assert decision["action"] in {"hold", "reject"}
    reason = decision["reasons"][0]
    assert "You are a fucking idiot."[reason["start"] : reason["end"]] == "fucking"
    assert services.queue.queue.count == 0


def test_text_is_an_alias_of_body(client, site_key):
    response = client.post(
        "/v1/moderate/check", json={"text": "Lovely weather."}, headers=auth(site_key)
    )
    assert response.get_json()["action"] == "approve"


@pytest.mark.parametrize(
    "payload",
    [
        {"body": "   "},
        {"body": "a", "text": "b"},
        {"body": "x" * 10_001},
        {},
        {"body": 3},
        {"body": "a", "author_prior_comments": 2.589e-42},  # not a whole number
        {"body": "a", "author_prior_comments": 2.5},
        {"body": "a", "author_prior_comments": -1},
        {"body": "a", "author_prior_comments": True},
        {"body": "a", "author_prior_comments": "3"},
    ],
)
def test_bad_checks_are_422_like_the_intake(client, site_key, payload):
    response = client.post("/v1/moderate/check", json=payload, headers=auth(site_key))
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"


def test_a_count_is_any_whole_number_json_schema_admits(client, site_key):
    """3.0 is an integer to JSON Schema, so the document admits it: the API does too."""
    for count in (0, 3, 3.0):
        payload = {"body": "Welcome.", "author_prior_comments": count}
        response = client.post("/v1/moderate/check", json=payload, headers=auth(site_key))
        assert response.status_code == 200, (count, response.get_json())


def test_check_needs_a_site_key(client):
    assert client.post("/v1/moderate/check", json={"body": "hi"}).status_code == 401
