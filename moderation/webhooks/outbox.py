"""The outbox: events become pending deliveries inside the transaction that caused them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from moderation.store import webhooks as store
from moderation.store.ids import new_id
from moderation.webhooks import TEST_EVENT


def new_message_id() -> str:
    """A Standard Webhooks message id: `msg_` and a sortable random id."""
    return "msg_" + new_id()


def payload_for(event_type: str, data: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The JSON document a receiver gets."""
    return {"type": event_type, "timestamp": now.isoformat(), "data": data}


def record_event(
    session: Session, *, site_id: str, event_type: str, data: dict[str, Any], now: datetime
) -> list[str]:
    """Inside the caller's transaction: one pending delivery per enabled, subscribed endpoint.

    Recording in the same transaction as the change the event reports means an event is never
    announced for a change that rolled back, nor lost for one that committed. Every endpoint's
    delivery of one event shares its message id. Returns the delivery ids (empty if none).
    """
    endpoints = store.subscribed_endpoints(session, site_id, event_type)
    if not endpoints:
        return []
    message_id = new_message_id()
    payload = payload_for(event_type, data, now)
    deliveries = [
        store.add_delivery(
            session,
            endpoint,
            message_id=message_id,
            event_type=event_type,
            payload=payload,
            now=now,
        )
        for endpoint in endpoints
    ]
    session.flush()
    return [delivery.id for delivery in deliveries]


def record_test(session: Session, endpoint: store.WebhookEndpoint, *, now: datetime) -> str:
    """A `webhook.test` delivery to one endpoint, whatever events it subscribes to."""
    data = {"endpoint_id": endpoint.id, "message": "A test delivery from the moderation service."}
    delivery = store.add_delivery(
        session,
        endpoint,
        message_id=new_message_id(),
        event_type=TEST_EVENT,
        payload=payload_for(TEST_EVENT, data, now),
        now=now,
    )
    session.flush()
    return delivery.id
