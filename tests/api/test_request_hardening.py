"""What a hostile request meets: strict JSON (depth, repeated keys) and hardened answers."""

from __future__ import annotations

import json
import re

import pytest

from moderation.api.common import MAX_JSON_DEPTH
from tests.helpers import auth, comment_json, make_moderator

#: An RFC 3986 URI reference made of a path: unreserved, sub-delims, `:@/` and %XX only.
URI_PATH = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-F]{2})*")


def _post(client, key, raw: str, path: str = "/v1/comments"):
    headers = {**auth(key), "Content-Type": "application/json"}
    return client.post(path, data=raw.encode(), headers=headers)


def _bad_request(response, detail: str) -> None:
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["type"].endswith("/bad-request")
    assert detail in problem["detail"]


@pytest.mark.parametrize("path", ["/v1/comments", "/v1/comments/batch", "/v1/moderate/check"])
def test_json_nested_past_the_limit_is_a_400(client, site_key, path):
    _bad_request(_post(client, site_key, "[" * 30_000, path), f"deeper than {MAX_JSON_DEPTH}")
    just_over = {"id": "c-1", "story": "x"}
    for _ in range(MAX_JSON_DEPTH):  # within the parser's recursion, over our limit
        just_over = {"story": just_over}
    _bad_request(_post(client, site_key, json.dumps(just_over), path), "deeper than")


def test_json_within_the_limit_reaches_the_schema_and_brackets_in_text_are_text(client, site_key):
    deep = comment_json()
    value: object = "s-1"
    for _ in range(MAX_JSON_DEPTH - 2):
        value = [value]
    deep["story"] = {"id": value}
    response = _post(client, site_key, json.dumps(deep))
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"story"}
    text = comment_json(body="Nested [[[{{{" * 50)
    assert _post(client, site_key, json.dumps(text)).status_code == 202


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ('"body": "Kind words.", "body": "Rude words."', '"body"'),
        ('"body": "Kind words.", "\\u0062ody": "Rude words."', '"body"'),
        ('"body": "Kind words.", "story": {"id": "s-1", "id": "s-2"}', '"id"'),
    ],
)
def test_a_key_repeated_in_one_object_is_a_400_naming_it(client, site_key, raw, key):
    # A proxy keeping the first "body" would pass the kind one while we moderate the other.
    sent = '{"id": "c-1", "story": {"id": "s-1"}, "author": {"id": "u-1"}, ' + raw + "}"
    response = _post(client, site_key, sent)
    _bad_request(response, f"repeats the key {key}")
    batch = _post(client, site_key, '{"comments": [' + sent + "]}", "/v1/comments/batch")
    _bad_request(batch, "repeats the key")
    assert client.get("/v1/comments/by-site-id/c-1", headers=auth(site_key)).status_code == 404


def test_every_answer_says_nosniff_and_authenticated_ones_no_store(client, services, site_key):
    moderator = auth(make_moderator(services, "mo", "daily-planet"))
    site = auth(site_key)
    authenticated = [
        client.post("/v1/comments", json=comment_json(), headers=site),  # 202
        client.get("/v1/comments/by-site-id/c-1", headers=site),  # 200
        client.get("/v1/comments/nope", headers=site),  # 404
        client.get("/v1/review/queues", headers=moderator),  # 200
        client.get("/v1/comments/nope", headers=auth("msk_wrong")),  # 401
        client.delete("/v1/comments/batch", headers=site),  # 405
        _post(client, site_key, "{"),  # 400
    ]
    public = [client.get("/healthz"), client.get("/v1/openapi.json"), client.get("/nowhere")]
    for response in authenticated + public:
        assert response.headers["X-Content-Type-Options"] == "nosniff", response.status
    for response in authenticated:
        assert response.headers["Cache-Control"] == "no-store", response.status
    for response in public:
        assert "no-store" not in response.headers.get("Cache-Control", ""), response.status


@pytest.mark.parametrize(
    ("path", "instance"),
    [
        ("/v1/comments/a%20b", "/v1/comments/a%20b"),
        ("/v1/comments/%C3%A9t%C3%A9", "/v1/comments/%C3%A9t%C3%A9"),
        ("/v1/comments/100%25", "/v1/comments/100%25"),
        ("/v1/comments/by-site-id/a%5B1%5D%3Fx%23y", "/v1/comments/by-site-id/a%5B1%5D%3Fx%23y"),
        ("/v1/comments/%ED%A0%80", "/v1/comments/%EF%BF%BD%EF%BF%BD%EF%BF%BD"),  # not UTF-8
    ],
)
def test_a_problems_instance_is_the_path_percent_encoded(client, site_key, path, instance):
    problem = client.get(path, headers=auth(site_key)).get_json()

    assert problem["status"] == 404
    assert problem["instance"] == instance
    assert URI_PATH.fullmatch(problem["instance"])
