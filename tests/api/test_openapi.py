"""The generated OpenAPI document: valid, in step with the routes and the JSON they return."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from jsonschema.exceptions import ValidationError
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate

from moderation.api.common import MAX_JSON_DEPTH
from moderation.api.webhooks import MAX_ENDPOINTS_PER_SITE
from moderation.domain.moderate import moderate_batch
from moderation.openapi import openapi_path
from moderation.settings import Settings
from moderation.webhooks import EVENT_TYPES, TEST_EVENT
from tests.conftest import make_settings
from tests.helpers import auth, comment_json, make_moderator

# Methods Flask adds to every rule by itself.
IMPLICIT_METHODS = {"HEAD", "OPTIONS"}
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
# A comment the default rules hold or reject, so its decision carries reasons.
RUDE = "You absolute shit."
HOOK = "http://127.0.0.1:9/hooks"


@pytest.fixture
def settings(database_url, redis_url):
    """Loopback webhooks allowed (no DNS in tests); one report an hour, to reach the 429."""
    return make_settings(
        database_url,
        redis_url,
        webhook_allow_hosts="127.0.0.1",
        webhook_queue_name="webhooks-test",
        reports_per_hour=1,
    )


def routes(app) -> set[tuple[str, str]]:
    """Every (path, method) of the API, in OpenAPI spelling: all but static files and /docs."""
    return {
        (openapi_path(rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static" and not rule.endpoint.startswith(("docs.", "console."))
        for method in (rule.methods or set()) - IMPLICIT_METHODS
    }


def documented(spec) -> set[tuple[str, str]]:
    """Every (path, method) the document describes."""
    return {
        (path, key) for path, item in spec["paths"].items() for key in item if key in HTTP_METHODS
    }


def closed(schema, open_names=("Problem", "FieldErrors")):
    """A copy where objects admit no undocumented members, so the test sees any the code adds.

    The document leaves answers open (clients should tolerate new members); problems stay open
    as RFC 9457 allows extension members.
    """
    if isinstance(schema, list):
        return [closed(item, ()) for item in schema]
    if not isinstance(schema, dict):
        return schema
    copy = {key: value if key in open_names else closed(value, ()) for key, value in schema.items()}
    if copy.get("type") == "object" and "properties" in copy:
        copy.setdefault("additionalProperties", False)
    return copy


def check_shape(spec, schema, instance) -> None:
    """Validate JSON against a schema of the document (a component's name, or a schema)."""
    if isinstance(schema, str):
        schema = {"$ref": f"#/components/schemas/{schema}"}
    components = {**spec["components"], "schemas": closed(spec["components"]["schemas"])}
    OAS31Validator({**closed(schema), "components": components}).validate(instance)


@pytest.fixture
def spec(client):
    response = client.get("/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


@pytest.fixture
def check(app, spec):
    """A checker: the response's status is documented for its operation, and its body fits."""

    def check_answer(response, status: int | None = None):
        if status is not None:
            assert response.status_code == status, response.get_data(as_text=True)
        request = response.request
        rule, _ = app.url_map.bind("localhost").match(
            request.path, request.method, return_rule=True
        )
        operation = spec["paths"][openapi_path(rule.rule)][request.method.lower()]
        answer = operation["responses"].get(str(response.status_code))
        assert answer is not None, f"{response.status_code} undocumented for {rule.rule}"
        if "$ref" in answer:
            answer = spec["components"]["responses"][answer["$ref"].rsplit("/", 1)[1]]
        for header in answer.get("headers", {}):
            assert header in response.headers, f"{header} documented, not sent"
        if "content" not in answer:
            assert not response.get_data()
            return None
        ((media_type, entry),) = answer["content"].items()
        assert response.mimetype == media_type
        check_shape(spec, entry["schema"], response.get_json())
        return response.get_json()

    return check_answer


@pytest.fixture
def moderator(services, site_key) -> str:
    """A moderator's token for the site of `site_key`."""
    return make_moderator(services, "lois", "daily-planet")


def post_comment(client, key, external_id="c-1", body=RUDE) -> str:
    response = client.post("/v1/comments", json=comment_json(external_id, body), headers=auth(key))
    assert response.status_code == 202
    return response.get_json()["id"]


def test_openapi_path_converts_flask_rules():
    assert openapi_path("/v1/comments/<comment_id>") == "/v1/comments/{comment_id}"
    assert openapi_path("/by-site-id/<path:external_id>") == "/by-site-id/{external_id}"


def test_served_document_is_valid_openapi_3_1(spec):
    assert spec["openapi"].startswith("3.1")
    validate(spec)


def test_every_route_is_documented_and_nothing_else(app, spec):
    v1 = {rule.rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/v1/")}
    assert v1, "the API's routes"
    assert {openapi_path(rule) for rule in v1} <= set(spec["paths"])
    assert routes(app) == documented(spec)


def test_operations_have_ids_summaries_tags_and_described_answers(spec):
    operations = [
        op for item in spec["paths"].values() for key, op in item.items() if key in HTTP_METHODS
    ]
    ids = [op["operationId"] for op in operations]
    assert len(ids) == len(set(ids))
    tags = {tag["name"] for tag in spec["tags"]}
    for op in operations:
        assert op["summary"], op["operationId"]
        assert set(op["tags"]) <= tags, op["operationId"]
        for answer in op["responses"].values():
            assert "$ref" in answer or answer["description"], op["operationId"]


def test_document_quotes_limits_from_the_code(spec):
    create = spec["paths"]["/v1/webhooks"]["post"]["description"]
    assert f"at most {MAX_ENDPOINTS_PER_SITE} endpoints" in create
    too_large = spec["components"]["responses"]["413"]["description"]
    assert f"(default {Settings().max_body_bytes})" in too_large
    unreadable = spec["components"]["responses"]["400"]["description"]
    assert f"deeper than {MAX_JSON_DEPTH} arrays" in unreadable
    assert "Retry-After" in spec["components"]["responses"]["429"]["headers"]
    assert "Retry-After" in spec["components"]["responses"]["503"]["headers"]
    assert spec["security"] == [{"siteKey": []}]
    assert set(spec["components"]["securitySchemes"]) == {"siteKey", "moderatorToken"}


def test_every_event_has_a_webhook(spec):
    assert set(spec["webhooks"]) == {*EVENT_TYPES, TEST_EVENT}


class _Assets(HTMLParser):
    """The URLs a page loads: scripts, styles, icons."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        for name in ("src", "href"):
            if found.get(name):
                self.urls.append(found[name])


def test_docs_page_loads_only_its_own_assets(client):
    assert client.get("/docs").status_code in {301, 308}
    page = client.get("/docs/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "/v1/openapi.json" in html
    assert 'validatorUrl": null' in html
    parser = _Assets()
    parser.feed(html)
    assert len(parser.urls) >= 3
    for url in parser.urls:
        assert url.startswith("/docs/"), url
        with client.get(url) as asset:  # closed: a file sent from the package's folder
            assert asset.status_code == 200, url
    assert "://" not in html, "an absolute URL: the page must load only its own files"


def test_public_endpoints_need_no_key(client):
    for path in ("/healthz", "/v1/openapi.json"):
        assert client.get(path).status_code == 200


def test_comment_answers_match_the_document(client, site_key, services, check):
    posted = client.post("/v1/comments", json=comment_json(body=RUDE), headers=auth(site_key))
    check(posted, 202)
    queued = check(client.get(posted.headers["Location"], headers=auth(site_key)), 200)

    moderate_batch(services, [queued["id"]], decided_by="test")
    decided = check(client.get("/v1/comments/by-site-id/c-1", headers=auth(site_key)), 200)
    assert decided["decision"]["reasons"], "a decision with reasons, to check their shape"

    edit = {"body": "On reflection, a fair point."}
    edited = check(client.put(f"/v1/comments/{queued['id']}", json=edit, headers=auth(site_key)))
    assert edited["revision"] == 2


def test_batch_answer_matches_the_document(client, site_key, spec, check):
    client.post("/v1/comments", json=comment_json("taken"), headers=auth(site_key))
    batch = {"comments": [comment_json("ok"), {"id": "bad"}, comment_json("taken", "Other.")]}
    result = check(client.post("/v1/comments/batch", json=batch, headers=auth(site_key)), 200)

    check_shape(spec, "BatchItemAccepted", result["results"][0])
    check_shape(spec, "BatchItemRejected", result["results"][1])
    check_shape(spec, "BatchItemRejected", result["results"][2])
    assert result["results"][2]["type"].endswith("/idempotency-mismatch")


def test_check_answer_matches_the_document(client, site_key, spec, check):
    response = client.post("/v1/moderate/check", json={"text": RUDE}, headers=auth(site_key))

    assert check(response, 200)["reasons"]
    for refused in ({"body": RUDE, "text": RUDE}, {"text": " "}, {}):
        answer = client.post("/v1/moderate/check", json=refused, headers=auth(site_key))
        check(answer, 422)
        with pytest.raises(ValidationError):
            check_shape(spec, "CheckIn", refused)


def test_health_answers_match_the_document(client, check):
    check(client.get("/healthz"), 200)
    check(client.get("/readyz"), 200)


def test_report_answers_match_the_document(client, site_key, services, check):
    first, second = post_comment(client, site_key), post_comment(client, site_key, "c-2")
    report = {"reporter_id": "r1", "reason": "offensive", "text": "Rude."}

    filed = check(client.post(f"/v1/comments/{first}/reports", json=report, headers=auth(site_key)))
    again = client.post(f"/v1/comments/{first}/reports", json=report, headers=auth(site_key))
    limited = client.post(f"/v1/comments/{second}/reports", json=report, headers=auth(site_key))
    read = client.get(f"/v1/reports/{filed['id']}", headers=auth(site_key))
    missing = client.post("/v1/comments/nope/reports", json=report, headers=auth(site_key))

    assert check(again, 200) == filed
    check(limited, 429)
    assert check(read, 200) == filed
    check(missing, 404)


def test_history_answers_match_the_document(client, site_key, services, moderator, check):
    comment_id = post_comment(client, site_key)
    moderate_batch(services, [comment_id], decided_by="test")
    report = {"reporter_id": "r1", "reason": "offensive"}
    client.post(f"/v1/comments/{comment_id}/reports", json=report, headers=auth(site_key))
    edit = {"body": "On reflection, a fair point."}
    client.put(f"/v1/comments/{comment_id}", json=edit, headers=auth(site_key))
    moderate_batch(services, [comment_id], decided_by="test")

    path = f"/v1/comments/{comment_id}/history"
    for key in (site_key, moderator):
        history = check(client.get(path, headers=auth(key)), 200)
        assert history["revisions"], "an edit, to check the revisions' shape"
        assert [e["action"] for e in history["entries"]][:3] == ["received", "decided", "reported"]


def test_review_answers_match_the_document(client, site_key, services, moderator, check):
    ids = [post_comment(client, site_key, f"c-{n}") for n in range(3)]
    moderate_batch(services, ids, decided_by="test")
    mod = auth(moderator)

    check(client.get("/v1/review/queues?section=politics", headers=mod), 200)
    page = check(client.get("/v1/review/queues/held?limit=2", headers=mod), 200)
    assert page["items"][0]["decision"]["reasons"]
    assert page["next_cursor"]
    check(client.get(f"/v1/review/comments/{ids[0]}", headers=mod), 200)
    check(client.post(f"/v1/review/comments/{ids[0]}/approve", json={}, headers=mod), 200)
    reject = {"reason": "profanity", "public_note": "Removed."}
    check(client.post(f"/v1/review/comments/{ids[1]}/reject", json=reject, headers=mod), 200)
    bulk = {"action": "reject", "reason": "spam", "ids": [ids[2], "nope"]}
    results = check(client.post("/v1/review/actions", json=bulk, headers=mod), 200)["results"]
    assert [r["status"] for r in results] == [200, 404]
    ban = {"site": "daily-planet", "author_id": "reader-1", "action": "ban"}
    check(client.post("/v1/review/authors", json=ban, headers=mod), 200)

    check(client.get("/v1/review/queues", headers=auth(site_key)), 403)
    check(client.get("/v1/review/queues/nope", headers=mod), 404)
    check(client.get("/v1/review/queues/held?limit=0", headers=mod), 422)
    check(client.post(f"/v1/review/comments/{ids[0]}/reject", json={}, headers=mod), 422)


def test_webhook_payloads_match_the_document(client, site_key, services, moderator, spec):
    hook = {"url": HOOK, "events": list(EVENT_TYPES)}
    created = client.post("/v1/webhooks", json=hook, headers=auth(site_key)).get_json()
    comment_id = post_comment(client, site_key)
    moderate_batch(services, [comment_id], decided_by="test")
    report = {"reporter_id": "r1", "reason": "offensive"}
    client.post(f"/v1/comments/{comment_id}/reports", json=report, headers=auth(site_key))
    reject = {"reason": "profanity"}
    client.post(f"/v1/review/comments/{comment_id}/reject", json=reject, headers=auth(moderator))
    client.post(f"{created['links']['self']}/test", headers=auth(site_key))
    client.delete("/v1/authors/reader-1", headers=auth(site_key))

    log = client.get(created["links"]["deliveries"], headers=auth(site_key)).get_json()
    seen = set()
    for delivery in log["deliveries"]:
        event = spec["webhooks"][delivery["event_type"]]["post"]
        schema = event["requestBody"]["content"]["application/json"]["schema"]
        check_shape(spec, schema, delivery["payload"])
        seen.add(delivery["event_type"])
    assert seen == set(spec["webhooks"])


def test_webhook_answers_match_the_document(client, site_key, check):
    key = auth(site_key)
    hook = {"url": HOOK, "events": ["comment.decided"], "description": "CMS"}
    created = check(client.post("/v1/webhooks", json=hook, headers=key), 201)
    path = created["links"]["self"]

    check(client.get("/v1/webhooks", headers=key), 200)
    check(client.get(path, headers=key), 200)
    check(client.patch(path, json={"enabled": False}, headers=key), 200)
    check(client.post(f"{path}/test", headers=key), 409)
    check(client.patch(path, json={"enabled": True, "description": None}, headers=key), 200)
    check(client.post(f"{path}/rotate-secret", headers=key), 200)
    check(client.post(f"{path}/test", headers=key), 202)
    log = check(client.get(created["links"]["deliveries"], headers=key), 200)
    assert log["deliveries"], "a delivery, to check its shape"
    check(client.get(f"{created['links']['deliveries']}?limit=0", headers=key), 422)
    check(client.delete(path, headers=key), 204)
    check(client.get(path, headers=key), 404)


def test_problems_match_the_document(client, site_key, moderator, check):
    too_big = json.dumps(comment_json(body="x" * 70_000))
    answers = {
        401: client.get("/v1/comments/nope"),
        403: client.get("/v1/comments/nope", headers=auth(moderator)),
        404: client.get("/v1/comments/nope", headers=auth(site_key)),
        422: client.post("/v1/comments", json={"id": "x"}, headers=auth(site_key)),
        413: client.post(
            "/v1/comments", data=too_big, content_type="application/json", headers=auth(site_key)
        ),
        400: client.post(
            "/v1/comments", data="{", content_type="application/json", headers=auth(site_key)
        ),
    }

    for status, response in answers.items():
        problem = check(response, status)
        assert problem["status"] == status


def test_a_nul_in_the_url_is_a_documented_400(client, site_key, moderator, check):
    key = auth(site_key)
    hook = client.post("/v1/webhooks", json={"url": HOOK, "events": EVENT_TYPES[:1]}, headers=key)
    deliveries = hook.get_json()["links"]["deliveries"]
    check(client.get(f"{deliveries}?limit=%00", headers=key), 400)
    check(client.get("/v1/review/queues?site=%00", headers=auth(moderator)), 400)
    check(client.get("/v1/review/queues/held?cursor=%00", headers=auth(moderator)), 400)
    check(client.get("/v1/comments/a%00b", headers=key), 400)


def test_a_405_allows_the_methods_the_document_lists(client, spec):
    # /v1/comments/batch is the batch's alone: not also a comment id for GET and PUT.
    for path, item in spec["paths"].items():
        listed = {method.upper() for method in item if method in HTTP_METHODS}
        other = sorted({"GET", "PUT", "POST", "DELETE", "PATCH"} - listed)[0]
        response = client.open(re.sub(r"\{[^}]+\}", "x", path), method=other)
        assert response.status_code == 405, path
        allowed = set(response.headers["Allow"].split(", ")) - IMPLICIT_METHODS
        assert allowed == listed, path


def test_an_approval_may_come_without_a_body_a_rejection_names_its_reason(spec):
    approve = spec["paths"]["/v1/review/comments/{comment_id}/approve"]["post"]["requestBody"]
    reject = spec["paths"]["/v1/review/comments/{comment_id}/reject"]["post"]["requestBody"]
    assert approve["required"] is False
    assert reject["required"] is True
    schema = reject["content"]["application/json"]["schema"]
    rejection = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    assert "reason" in rejection["required"]
    bulk = spec["components"]["schemas"]["BulkVerdictIn"]
    assert bulk["then"]["required"] == ["reason"]  # when the action is reject
    assert spec["paths"]["/v1/comments"]["post"]["requestBody"]["required"] is True


def test_listing_and_story_answers_match_the_document(client, site_key, services, check):
    key = auth(site_key)
    top = post_comment(client, site_key, "t1", "A fair point.")
    reply = client.post("/v1/comments", json=comment_json("r1", parent_id="t1"), headers=key)
    moderate_batch(services, [top, reply.get_json()["id"]], decided_by="test")

    page = check(client.get("/v1/comments?limit=1", headers=key), 200)
    assert page["next_cursor"]
    thread = check(client.get("/v1/comments?thread=true&story_id=story-1", headers=key), 200)
    assert thread["items"][0]["replies"], "a reply, to check its shape"
    check(client.get("/v1/comments?limit=0", headers=key), 422)
    check(client.get("/v1/comments"), 401)

    story = {"comments": "closed", "title": "Bypass", "url": "https://planet.example/1"}
    check(client.put("/v1/stories/story-1", json=story, headers=key), 200)
    check(client.get("/v1/stories/story-1", headers=key), 200)
    check(client.get("/v1/stories/story-2", headers=key), 404)
    check(client.put("/v1/stories/story-1", json={"comments": "ajar"}, headers=key), 422)
    check(client.post("/v1/comments", json=comment_json("c-9"), headers=key), 409)


def test_author_answers_match_the_document(client, site_key, services, check):
    key = auth(site_key)
    comment_id = post_comment(client, site_key)
    moderate_batch(services, [comment_id], decided_by="test")
    client.put(f"/v1/comments/{comment_id}", json={"body": "On reflection, fine."}, headers=key)
    moderate_batch(services, [comment_id], decided_by="test")
    report = {"reporter_id": "reader-1", "reason": "offensive", "text": "Mine."}
    client.post(f"/v1/comments/{comment_id}/reports", json=report, headers=key)

    export = check(client.get("/v1/authors/reader-1/export", headers=key), 200)
    assert export["comments"][0]["revisions"]
    assert export["reports_filed"]
    check(client.delete("/v1/authors/reader-1", headers=key), 200)
    check(client.get("/v1/authors/reader-1/export", headers=key), 200)
    check(client.delete("/v1/authors/reader-1"), 401)
