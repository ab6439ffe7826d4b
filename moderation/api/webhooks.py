"""Webhook endpoints: sites register URLs for events, rotate secrets, read the delivery log."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Response, jsonify, request, url_for
from marshmallow import Schema, fields
from sqlalchemy.orm import Session

from moderation.api.common import current_site, json_body, services
from moderation.errors import Conflict, NotFound, ValidationFailed
from moderation.openapi import Answer, operation
from moderation.schemas.loading import load
from moderation.schemas.webhooks import (
    DeliveryLogQuery,
    WebhookDeliveryListOut,
    WebhookDeliveryOut,
    WebhookIn,
    WebhookListOut,
    WebhookOut,
    WebhookPatch,
)
from moderation.store import webhooks as store
from moderation.store.webhooks import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from moderation.webhooks.guard import Allowlist, UnsafeTarget, check_url
from moderation.webhooks.outbox import record_test
from moderation.webhooks.signing import new_secret

bp = Blueprint("webhooks", __name__, url_prefix="/v1/webhooks")


@bp.before_request
def _authenticate() -> None:
    # Credentials first, so an anonymous caller learns nothing from validation or DNS checks.
    current_site()


#: Most endpoints one site may register: each event is sent once per endpoint.
MAX_ENDPOINTS_PER_SITE = 20

_ENDPOINT_ID = {"endpoint_id": fields.String(metadata={"description": "The endpoint's `id`."})}
_READ_ERRORS = (401, 403, 404, 503)
_WEBHOOK = {200: Answer("The endpoint.", WebhookOut)}

_endpoint_out = WebhookOut()
_delivery_out = WebhookDeliveryOut()


def _load(schema: Schema) -> dict[str, Any]:
    loaded: dict[str, Any] = load(schema, json_body(), "The body breaks the schema.")
    return loaded


def _check_target(url: str) -> None:
    # Checked here for a helpful 422; the worker checks again before every request.
    allow = Allowlist.parse(services().settings.webhook_allow_hosts)
    try:
        check_url(url, allow)
    except UnsafeTarget as refused:
        raise ValidationFailed(
            "The URL cannot receive webhooks.", errors={"url": [str(refused)]}
        ) from None


def _present(endpoint: WebhookEndpoint, *, secret: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = _endpoint_out.dump(endpoint)
    if secret is None:
        body.pop("secret", None)
    else:
        body["secret"] = secret
    body["links"] = {
        "self": url_for("webhooks.read", endpoint_id=endpoint.id),
        "deliveries": url_for("webhooks.deliveries", endpoint_id=endpoint.id),
    }
    return body


_DELIVERY_FIELDS = (
    "id",
    "message_id",
    "event_type",
    "state",
    "next_attempt_at",
    "created_at",
    "finished_at",
    "payload",
)
_ATTEMPT_FIELDS = ("attempted_at", "status_code", "error", "duration_ms")


def _present_delivery(delivery: WebhookDelivery, attempts: list[WebhookAttempt]) -> Any:
    # A dict, not the row: the row's `attempts` is a count, the log shows the attempts.
    row = {name: getattr(delivery, name) for name in _DELIVERY_FIELDS}
    row["attempts"] = [{name: getattr(a, name) for name in _ATTEMPT_FIELDS} for a in attempts]
    return _delivery_out.dump(row)


def _owned(session: Session, endpoint_id: str) -> WebhookEndpoint:
    endpoint = store.find_endpoint(session, current_site().id, endpoint_id)
    if endpoint is None:
        raise NotFound(f"No webhook endpoint {endpoint_id} on this site.")
    return endpoint


def _now() -> datetime:
    return datetime.now(UTC)


@bp.post("")
@operation(
    "createWebhook",
    {201: Answer("Registered.", WebhookOut, {"Location": "Path of the endpoint."})},
    400,
    401,
    403,
    409,
    413,
    422,
    503,
    body=WebhookIn,
)
def create() -> tuple[Response, int, dict[str, str]]:
    """Register an endpoint; the answer carries its signing secret, shown this once.

    A site may register at most 20 endpoints (409 beyond). A URL that is private or does not
    resolve is a 422.
    """
    site = current_site()
    data = _load(WebhookIn())
    _check_target(data["url"])
    secret = new_secret()
    with services().db.session() as session:
        if store.count_endpoints(session, site.id) >= MAX_ENDPOINTS_PER_SITE:
            raise Conflict(f"A site may register at most {MAX_ENDPOINTS_PER_SITE} endpoints.")
        endpoint = store.create_endpoint(
            session,
            site_id=site.id,
            url=data["url"],
            event_types=data["events"],
            description=data["description"],
            secret=secret,
            now=_now(),
        )
        body = _present(endpoint, secret=secret)
    return jsonify(body), 201, {"Location": body["links"]["self"]}


@bp.get("")
@operation("listWebhooks", {200: Answer("The endpoints.", WebhookListOut)}, 401, 403, 503)
def index() -> Response:
    """The site's endpoints, without their secrets."""
    site = current_site()
    with services().db.session() as session:
        found = [_present(e) for e in store.list_endpoints(session, site.id)]
    return jsonify({"webhooks": found})


@bp.get("/<endpoint_id>")
@operation("getWebhook", _WEBHOOK, *_READ_ERRORS, path=_ENDPOINT_ID)
def read(endpoint_id: str) -> Response:
    """One endpoint (without its secret)."""
    with services().db.session() as session:
        return jsonify(_present(_owned(session, endpoint_id)))


@bp.patch("/<endpoint_id>")
@operation(
    "updateWebhook", _WEBHOOK, 400, 413, 422, *_READ_ERRORS, body=WebhookPatch, path=_ENDPOINT_ID
)
def update(endpoint_id: str) -> Response:
    """Change the URL, events or description, or pause and resume deliveries."""
    data = _load(WebhookPatch())
    if "url" in data:
        _check_target(data["url"])
    now = _now()
    with services().db.session() as session:
        endpoint = _owned(session, endpoint_id)
        if "url" in data:
            endpoint.url = data["url"]
        if "events" in data:
            endpoint.event_types = sorted(set(data["events"]))
        if "description" in data:
            endpoint.description = data["description"]
        if "enabled" in data:
            was_enabled = endpoint.enabled
            store.set_enabled(endpoint, data["enabled"], now=now, reason="disabled by the site")
            if was_enabled and not endpoint.enabled:
                session.flush()
                store.fail_pending(session, endpoint.id, now=now)
        return jsonify(_present(endpoint))


@bp.delete("/<endpoint_id>")
@operation("deleteWebhook", {204: Answer("Removed; no body.")}, *_READ_ERRORS, path=_ENDPOINT_ID)
def delete(endpoint_id: str) -> tuple[str, int]:
    """Remove an endpoint and its delivery log."""
    with services().db.session() as session:
        store.delete_endpoint(session, _owned(session, endpoint_id))
    return "", 204


@bp.post("/<endpoint_id>/rotate-secret")
@operation(
    "rotateWebhookSecret",
    {200: Answer("The endpoint with its new secret.", WebhookOut)},
    *_READ_ERRORS,
    path=_ENDPOINT_ID,
)
def rotate_secret(endpoint_id: str) -> Response:
    """Issue a new secret; the old one keeps signing alongside for a grace period.

    The grace period is MODERATION_WEBHOOK_SECRET_GRACE seconds. No request body is read.
    """
    secret = new_secret()
    grace = services().settings.webhook_secret_grace
    with services().db.session() as session:
        endpoint = _owned(session, endpoint_id)
        store.rotate_secret(endpoint, secret, now=_now(), grace=grace)
        return jsonify(_present(endpoint, secret=secret))


@bp.post("/<endpoint_id>/test")
@operation(
    "testWebhook",
    {
        202: Answer(
            "Queued; its fate shows in the delivery log.",
            WebhookDeliveryOut,
            {"Location": "Path of the endpoint's delivery log."},
        )
    },
    409,
    *_READ_ERRORS,
    path=_ENDPOINT_ID,
)
def send_test(endpoint_id: str) -> tuple[Response, int, dict[str, str]]:
    """Queue a `webhook.test` delivery to this endpoint, whatever events it subscribes to.

    A disabled endpoint is a 409. No request body is read.
    """
    with services().db.session() as session:
        endpoint = _owned(session, endpoint_id)
        if not endpoint.enabled:
            raise Conflict("The endpoint is disabled; enable it before testing.")
        delivery_id = record_test(session, endpoint, now=_now())
        body = _present_delivery(session.get_one(WebhookDelivery, delivery_id), [])
    services().webhooks.enqueue([delivery_id])
    location = url_for("webhooks.deliveries", endpoint_id=endpoint_id)
    return jsonify(body), 202, {"Location": location}


@bp.get("/<endpoint_id>/deliveries")
@operation(
    "listWebhookDeliveries",
    {200: Answer("The deliveries.", WebhookDeliveryListOut)},
    422,
    *_READ_ERRORS,
    query=DeliveryLogQuery,
    path=_ENDPOINT_ID,
)
def deliveries(endpoint_id: str) -> Response:
    """The delivery log: the latest deliveries, newest first, each with its attempts."""
    query = load(DeliveryLogQuery(), request.args, "The query breaks the schema.")
    with services().db.session() as session:
        endpoint = _owned(session, endpoint_id)
        log = store.delivery_log(session, endpoint.id, limit=query["limit"])
        found = [_present_delivery(d, attempts) for d, attempts in log]
    return jsonify({"deliveries": found})
