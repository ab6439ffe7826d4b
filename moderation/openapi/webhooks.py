"""Webhook endpoints: sites register URLs for events, rotate secrets, read the delivery log."""

from __future__ import annotations

from moderation.api.webhooks import MAX_ENDPOINTS_PER_SITE
from moderation.openapi.components import (
    DEFAULTS,
    Json,
    array,
    body,
    field,
    location,
    obj,
    ok,
    op,
    path_param,
    query_param,
    ref,
)
from moderation.webhooks import EVENT_TYPES, TEST_EVENT

_EVENTS = array(
    field("string", enum=list(EVENT_TYPES)),
    "Event types to receive (stored sorted, once each).",
    minItems=1,
)
_URL = field(
    "string",
    "Where deliveries are POSTed: http or https, a public address (or one allowed by "
    "MODERATION_WEBHOOK_ALLOW_HOSTS).",
    format="uri",
    maxLength=2000,
)
_NOTE = field("string", "A note for the site's own operators.", null=True, maxLength=500)

SCHEMAS: Json = {
    "WebhookIn": obj(
        "A new webhook endpoint.",
        optional=("description",),
        closed=True,
        url=_URL,
        events=_EVENTS,
        description=_NOTE,
    ),
    "WebhookPatch": obj(
        "Changes to an endpoint; only the fields sent change.",
        optional=("url", "events", "description", "enabled"),
        closed=True,
        url=_URL,
        events=_EVENTS,
        description=_NOTE,
        enabled=field(
            "boolean",
            "false pauses deliveries (pending ones fail); true resumes with a clean count.",
        ),
    ),
    "Webhook": obj(
        "An endpoint; `secret` only in the answers to create and rotate-secret.",
        optional=("secret",),
        id=field("string"),
        url=field("string"),
        description=field("string", null=True),
        events=array(field("string", enum=list(EVENT_TYPES))),
        enabled=field("boolean"),
        disabled_at=field("string", null=True, format="date-time"),
        disabled_reason=field("string", "Why it was disabled, if it was.", null=True),
        consecutive_failures=field("integer", "Failed attempts since the last success.", minimum=0),
        previous_secret_expires_at=field(
            "string",
            "Until when the secret before the last rotation also signs.",
            null=True,
            format="date-time",
        ),
        created_at=field("string", format="date-time"),
        secret=field("string", "The `whsec_` signing secret; shown once, keep it safe."),
        links=obj(
            self=field("string", "Path of the endpoint."),
            deliveries=field("string", "Path of its delivery log."),
        ),
    ),
    "WebhookList": obj(webhooks=array(ref("Webhook"), "Oldest first.")),
    "WebhookAttempt": obj(
        "One try at a delivery.",
        attempted_at=field("string", format="date-time"),
        status_code=field("integer", "The endpoint's HTTP status, if it answered.", null=True),
        error=field("string", "What went wrong, if anything.", null=True),
        duration_ms=field("integer", minimum=0),
    ),
    "WebhookDelivery": obj(
        "One event sent to one endpoint, with its attempts.",
        id=field("string"),
        message_id=field("string", "The `webhook-id` header sent."),
        event_type=field("string", enum=[*EVENT_TYPES, TEST_EVENT]),
        state=field("string", enum=["pending", "delivered", "failed"]),
        next_attempt_at=field("string", null=True, format="date-time"),
        created_at=field("string", format="date-time"),
        finished_at=field("string", null=True, format="date-time"),
        payload=field("object", "The JSON body sent."),
        attempts=array(ref("WebhookAttempt"), "Every attempt, oldest first."),
    ),
    "WebhookDeliveryList": obj(deliveries=array(ref("WebhookDelivery"), "Newest first.")),
}

_ENDPOINT_ID = {"parameters": [path_param("endpoint_id", "The endpoint's `id`.")]}
_WEBHOOK = ok(200, "The endpoint.", ref("Webhook"))
_READ_ERRORS = (401, 403, 404, 503)

PATHS: Json = {
    "/v1/webhooks": {
        "post": op(
            "createWebhook",
            "Register an endpoint; the answer carries its signing secret, shown this once",
            ok(201, "Registered.", ref("Webhook"), headers=location("Path of the endpoint.")),
            400,
            401,
            403,
            409,
            413,
            422,
            503,
            description=f"A site may register at most {MAX_ENDPOINTS_PER_SITE} endpoints "
            "(409 beyond). A URL that is private or does not resolve is a 422.",
            requestBody=body("WebhookIn"),
        ),
        "get": op(
            "listWebhooks",
            "The site's endpoints, without their secrets",
            ok(200, "The endpoints.", ref("WebhookList")),
            401,
            403,
            503,
        ),
    },
    "/v1/webhooks/{endpoint_id}": {
        **_ENDPOINT_ID,
        "get": op("getWebhook", "One endpoint (without its secret)", _WEBHOOK, *_READ_ERRORS),
        "patch": op(
            "updateWebhook",
            "Change the URL, events or description, or pause and resume deliveries",
            _WEBHOOK,
            400,
            413,
            422,
            *_READ_ERRORS,
            requestBody=body("WebhookPatch"),
        ),
        "delete": op(
            "deleteWebhook",
            "Remove an endpoint and its delivery log",
            {"204": {"description": "Removed; no body."}},
            *_READ_ERRORS,
        ),
    },
    "/v1/webhooks/{endpoint_id}/rotate-secret": {
        **_ENDPOINT_ID,
        "post": op(
            "rotateWebhookSecret",
            "Issue a new secret; the old one keeps signing alongside for a grace period",
            ok(200, "The endpoint with its new secret.", ref("Webhook")),
            *_READ_ERRORS,
            description="The grace period is MODERATION_WEBHOOK_SECRET_GRACE seconds "
            f"(default {DEFAULTS.webhook_secret_grace}). No request body is read.",
        ),
    },
    "/v1/webhooks/{endpoint_id}/test": {
        **_ENDPOINT_ID,
        "post": op(
            "testWebhook",
            f"Queue a `{TEST_EVENT}` delivery to this endpoint, whatever events it subscribes to",
            ok(
                202,
                "Queued; its fate shows in the delivery log.",
                ref("WebhookDelivery"),
                headers=location("Path of the endpoint's delivery log."),
            ),
            409,
            *_READ_ERRORS,
            description="A disabled endpoint is a 409. No request body is read.",
        ),
    },
    "/v1/webhooks/{endpoint_id}/deliveries": {
        **_ENDPOINT_ID,
        "get": op(
            "listWebhookDeliveries",
            "The delivery log: the latest deliveries, newest first, each with its attempts",
            ok(200, "The deliveries.", ref("WebhookDeliveryList")),
            422,
            *_READ_ERRORS,
            parameters=[
                query_param(
                    "limit",
                    field(
                        "integer",
                        "How many of the latest deliveries to return.",
                        minimum=1,
                        maximum=100,
                        default=20,
                    ),
                )
            ],
        ),
    },
}
