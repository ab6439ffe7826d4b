"""The served OpenAPI document: valid, and in step with the routes and the JSON they return."""

from __future__ import annotations

import re

import pytest
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate

from moderation.moderate import moderate_batch
from tests.helpers import auth, comment_json

# Methods Flask adds to every rule by itself.
IMPLICIT_METHODS = {"HEAD", "OPTIONS"}
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
# A comment the default rules hold or reject, so its decision carries reasons.
RUDE = "You absolute shit."


def openapi_path(rule: str) -> str:
    """Flask's `/a/<x>` and `/a/<path:x>` as OpenAPI's `/a/{x}`."""
    return re.sub(r"<(?:[^<>:]+:)?([^<>:]+)>", r"{\1}", rule)


def routes(app) -> set[tuple[str, str]]:
    """Every (path, method) the app answers, in OpenAPI spelling."""
    return {
        (openapi_path(rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in (rule.methods or set()) - IMPLICIT_METHODS
    }


def documented(spec) -> set[tuple[str, str]]:
    """Every (path, method) the document describes."""
    return {
        (path, key) for path, item in spec["paths"].items() for key in item if key in HTTP_METHODS
    }


def check_shape(spec, schema_name: str, instance) -> None:
    """Validate a response body against a schema of the document (its $refs resolved)."""
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": spec["components"]}
    OAS31Validator(schema).validate(instance)


@pytest.fixture
def spec(client):
    response = client.get("/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def test_openapi_path_converts_flask_rules():
    assert openapi_path("/v1/comments/<comment_id>") == "/v1/comments/{comment_id}"
    assert openapi_path("/by-site-id/<path:external_id>") == "/by-site-id/{external_id}"


def test_served_document_is_valid_openapi_3_1(spec):
    assert spec["openapi"].startswith("3.1")
    validate(spec)


def test_every_route_is_documented_and_nothing_else(app, spec):
    assert routes(app) == documented(spec)


def test_public_endpoints_need_no_key(client):
    for path in ("/healthz", "/v1/openapi.json"):
        assert client.get(path).status_code == 200


def test_comment_answers_match_the_document(client, site_key, services, spec):
    posted = client.post("/v1/comments", json=comment_json(body=RUDE), headers=auth(site_key))
    assert posted.status_code == 202
    check_shape(spec, "Comment", posted.get_json())
    queued = client.get(posted.headers["Location"], headers=auth(site_key)).get_json()
    check_shape(spec, "Comment", queued)

    moderate_batch(services, [queued["id"]], decided_by="test")
    decided = client.get("/v1/comments/by-site-id/c-1", headers=auth(site_key)).get_json()

    assert decided["decision"]["reasons"], "a decision with reasons, to check their shape"
    check_shape(spec, "Comment", decided)


def test_batch_answer_matches_the_document(client, site_key, spec):
    batch = {"comments": [comment_json("ok"), {"id": "bad"}]}
    response = client.post("/v1/comments/batch", json=batch, headers=auth(site_key))

    assert response.status_code == 200
    check_shape(spec, "BatchResult", response.get_json())
    check_shape(spec, "BatchItemAccepted", response.get_json()["results"][0])
    check_shape(spec, "BatchItemRejected", response.get_json()["results"][1])


def test_check_answer_matches_the_document(client, site_key, spec):
    response = client.post("/v1/moderate/check", json={"text": RUDE}, headers=auth(site_key))

    assert response.status_code == 200
    assert response.get_json()["reasons"]
    check_shape(spec, "CheckResult", response.get_json())


def test_health_answers_match_the_document(client, spec):
    check_shape(spec, "Health", client.get("/healthz").get_json())
    check_shape(spec, "Readiness", client.get("/readyz").get_json())


def test_problems_match_the_document(client, site_key, spec):
    unauthorised = client.get("/v1/comments/nope")
    missing = client.get("/v1/comments/nope", headers=auth(site_key))
    invalid = client.post("/v1/comments", json={"id": "x"}, headers=auth(site_key))

    for response, status in ((unauthorised, 401), (missing, 404), (invalid, 422)):
        assert response.status_code == status
        assert response.mimetype == "application/problem+json"
        check_shape(spec, "Problem", response.get_json())
