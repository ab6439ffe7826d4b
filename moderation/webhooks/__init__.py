"""Signed webhooks to sites: events, signing, the guarded HTTP client, backoff and the outbox."""

from __future__ import annotations

#: Events a site may subscribe an endpoint to.
EVENT_TYPES = (
    "comment.decided",
    "comment.status_changed",
    "comment.reported",
    "author.erased",
)

#: The event a test delivery carries; sent to one endpoint whatever it subscribes to.
TEST_EVENT = "webhook.test"
