"""Schemas of webhook endpoints and their delivery log: what a site sends (…In), reads (…Out)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from moderation.schemas.base import OPTIONAL
from moderation.schemas.text import Text, Url
from moderation.webhooks import EVENT_TYPES, TEST_EVENT

#: What a delivery may become.
DELIVERY_STATES = ("pending", "delivered", "failed")


def _url(**kwargs: Any) -> Url:
    return Url(
        schemes=frozenset({"http", "https"}),
        validate=validate.Length(max=2000),
        metadata={
            "description": "Where deliveries are POSTed: http or https, a public address (or one "
            "allowed by MODERATION_WEBHOOK_ALLOW_HOSTS).",
            "examples": ["https://cms.example/hooks/moderation"],
        },
        **kwargs,
    )


def _events(**kwargs: Any) -> fields.List[Any]:
    return fields.List(
        Text(validate=validate.OneOf(EVENT_TYPES)),
        validate=validate.Length(min=1),
        metadata={"description": "Event types to receive (stored sorted, once each)."},
        **kwargs,
    )


def _description(**kwargs: Any) -> fields.String:
    return Text(
        allow_none=True,
        validate=validate.Length(max=500),
        metadata={"description": "A note for the site's own operators."},
        **kwargs,
    )


class WebhookIn(Schema):
    """A new webhook endpoint."""

    url = _url(required=True)
    events = _events(required=True)
    description = _description(load_default=None)


class WebhookPatch(Schema):
    """Changes to an endpoint; only the fields sent change."""

    url = _url()
    events = _events()
    description = _description()
    enabled = fields.Boolean(
        metadata={
            "description": "false pauses deliveries (pending ones fail); true resumes with a "
            "clean count."
        }
    )


class _WebhookLinksOut(Schema):
    self = fields.String(metadata={"description": "Path of the endpoint."})
    deliveries = fields.String(metadata={"description": "Path of its delivery log."})


class WebhookOut(Schema):
    """An endpoint; `secret` only in the answers to create and rotate-secret."""

    id = fields.String()
    url = fields.String()
    description = fields.String(allow_none=True)
    events = fields.List(
        fields.String(validate=validate.OneOf(EVENT_TYPES)), attribute="event_types"
    )
    enabled = fields.Boolean()
    disabled_at = fields.DateTime(allow_none=True)
    disabled_reason = fields.String(
        allow_none=True, metadata={"description": "Why it was disabled, if it was."}
    )
    consecutive_failures = fields.Integer(
        validate=validate.Range(min=0),
        metadata={"description": "Failed attempts since the last success."},
    )
    previous_secret_expires_at = fields.DateTime(
        allow_none=True,
        metadata={"description": "Until when the secret before the last rotation also signs."},
    )
    created_at = fields.DateTime()
    secret = fields.String(
        metadata={
            "description": "The `whsec_` signing secret; shown once, keep it safe.",
            **OPTIONAL,
        }
    )
    links = fields.Nested(_WebhookLinksOut)


class WebhookListOut(Schema):
    """The site's endpoints, without their secrets."""

    webhooks = fields.List(fields.Nested(WebhookOut), metadata={"description": "Oldest first."})


class WebhookAttemptOut(Schema):
    """One try at a delivery."""

    attempted_at = fields.DateTime()
    status_code = fields.Integer(
        allow_none=True, metadata={"description": "The endpoint's HTTP status, if it answered."}
    )
    error = fields.String(
        allow_none=True, metadata={"description": "What went wrong, if anything."}
    )
    duration_ms = fields.Integer(validate=validate.Range(min=0))


class WebhookDeliveryOut(Schema):
    """One event sent to one endpoint, with its attempts."""

    id = fields.String()
    message_id = fields.String(metadata={"description": "The `webhook-id` header sent."})
    event_type = fields.String(validate=validate.OneOf((*EVENT_TYPES, TEST_EVENT)))
    state = fields.String(validate=validate.OneOf(DELIVERY_STATES))
    next_attempt_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)
    payload = fields.Dict(metadata={"description": "The JSON body sent."})
    attempts = fields.List(
        fields.Nested(WebhookAttemptOut),
        metadata={"description": "Every attempt, oldest first."},
    )


class WebhookDeliveryListOut(Schema):
    """The delivery log, newest first."""

    deliveries = fields.List(
        fields.Nested(WebhookDeliveryOut), metadata={"description": "Newest first."}
    )


class DeliveryLogQuery(Schema):
    """Query of the delivery log."""

    limit = fields.Integer(
        load_default=20,
        validate=validate.Range(min=1, max=100),
        metadata={"description": "How many of the latest deliveries to return."},
    )
