"""Schemas of webhook endpoints and their delivery log: what a site sends (…In), reads (…Out)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from moderation.webhooks import EVENT_TYPES


def _url(**kwargs: Any) -> fields.Url:
    return fields.Url(
        schemes={"http", "https"},
        require_tld=False,
        validate=validate.Length(max=2000),
        metadata={"description": "Where deliveries are POSTed: http or https, a public address."},
        **kwargs,
    )


def _events(**kwargs: Any) -> fields.List[Any]:
    return fields.List(
        fields.String(validate=validate.OneOf(EVENT_TYPES)),
        validate=validate.Length(min=1),
        metadata={"description": "Event types to receive: " + ", ".join(EVENT_TYPES) + "."},
        **kwargs,
    )


def _description(**kwargs: Any) -> fields.String:
    return fields.String(
        allow_none=True,
        validate=validate.Length(max=500),
        metadata={"description": "A note for the site's own operators."},
        **kwargs,
    )


class EndpointIn(Schema):
    """A new endpoint."""

    url = _url(required=True)
    events = _events(required=True)
    description = _description(load_default=None)


class EndpointPatch(Schema):
    """Changes to an endpoint; only the fields sent change."""

    url = _url()
    events = _events()
    description = _description()
    enabled = fields.Boolean(
        metadata={"description": "false pauses deliveries; true resumes with a clean count."}
    )


class EndpointOut(Schema):
    """An endpoint as its site sees it; the secret appears only when created or rotated."""

    id = fields.String()
    url = fields.String()
    description = fields.String(allow_none=True)
    events = fields.List(fields.String(), attribute="event_types")
    enabled = fields.Boolean()
    disabled_at = fields.DateTime(allow_none=True)
    disabled_reason = fields.String(
        allow_none=True, metadata={"description": "Why the service disabled it, if it did."}
    )
    consecutive_failures = fields.Integer(
        metadata={"description": "Failed attempts since the last success."}
    )
    previous_secret_expires_at = fields.DateTime(
        allow_none=True,
        metadata={"description": "Until when the secret before the last rotation also signs."},
    )
    created_at = fields.DateTime()
    secret = fields.String(
        metadata={"description": "The `whsec_` signing secret; shown once, keep it safe."}
    )


class AttemptOut(Schema):
    """One try at a delivery."""

    attempted_at = fields.DateTime()
    status_code = fields.Integer(
        allow_none=True, metadata={"description": "The endpoint's HTTP status, if it answered."}
    )
    error = fields.String(
        allow_none=True, metadata={"description": "What went wrong, if anything."}
    )
    duration_ms = fields.Integer()


class DeliveryOut(Schema):
    """One event sent to one endpoint, with its attempts."""

    id = fields.String()
    message_id = fields.String(metadata={"description": "The `webhook-id` header sent."})
    event_type = fields.String()
    state = fields.String(metadata={"description": "pending, delivered or failed."})
    next_attempt_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)
    payload = fields.Dict(metadata={"description": "The JSON body sent."})
    attempts = fields.List(
        fields.Nested(AttemptOut), metadata={"description": "Every attempt, oldest first."}
    )


class DeliveryLogQuery(Schema):
    """Query of the delivery log."""

    limit = fields.Integer(
        load_default=20,
        validate=validate.Range(min=1, max=100),
        metadata={"description": "How many of the latest deliveries to return."},
    )
