"""The document's `webhooks`: what each event's delivery to a site's endpoint carries."""

from __future__ import annotations

from typing import Any

from moderation.openapi.text import prose, summary_and_description
from moderation.schemas.events import EVENTS

Json = dict[str, Any]

#: What every delivery shares, whatever its event (Standard Webhooks).
DELIVERY = """Sent as a POST to each enabled endpoint subscribed to the event, signed per
Standard Webhooks under the endpoint's `whsec_` secret. Events are recorded in the same
transaction as the change they report and sent by the webhook worker, so moderation never
waits on a site. Only a 2xx answer counts as delivered; anything else (or no answer within
MODERATION_WEBHOOK_TIMEOUT seconds) is retried with exponential backoff, up to
MODERATION_WEBHOOK_MAX_ATTEMPTS attempts."""

_HEADERS: dict[str, str] = {
    "webhook-id": "The message id (`msg_…`), the same on every retry: drop repeats by it.",
    "webhook-timestamp": "Seconds since the Unix epoch when this attempt was signed.",
    "webhook-signature": "`v1,<base64 HMAC-SHA256 of id.timestamp.body>`, one per secret in "
    "use, space-separated (two during a secret's rotation).",
}


def _delivery(event_type: str) -> Json:
    schema = EVENTS[event_type]
    summary, more = summary_and_description(schema.__doc__)
    return {
        "post": {
            "operationId": "on"
            + "".join(w.title() for w in event_type.replace("_", ".").split(".")),
            "summary": summary,
            "description": "\n\n".join(filter(None, [more, prose(DELIVERY)])),
            "tags": ["webhooks"],
            "security": [],
            "parameters": [
                {
                    "name": name,
                    "in": "header",
                    "required": True,
                    "description": text,
                    "schema": {"type": "string"},
                }
                for name, text in _HEADERS.items()
            ],
            "requestBody": {"required": True, "content": {"application/json": {"schema": schema}}},
            "responses": {
                "2XX": {"description": "Delivered."},
                "default": {"description": "Not delivered: retried after a backoff."},
            },
        }
    }


def webhooks() -> Json:
    """A path item per event type, its schemas still marshmallow classes for apispec to resolve."""
    return {event_type: _delivery(event_type) for event_type in EVENTS}
