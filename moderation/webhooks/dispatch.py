"""One delivery attempt end to end: claim the row, sign, send, record, decide what comes next."""

from __future__ import annotations

import json
import logging
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from moderation.settings import Settings
from moderation.store import webhooks as store
from moderation.store.db import Database
from moderation.store.webhooks import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from moderation.webhooks import client
from moderation.webhooks.backoff import parse_retry_after, retry_delay
from moderation.webhooks.guard import Allowlist
from moderation.webhooks.signing import signed_headers

log = logging.getLogger(__name__)

#: How early a job may claim its delivery: tolerates small clock differences between workers.
EARLY_SLACK = timedelta(seconds=1)


@dataclass(frozen=True)
class Attempted:
    """What one job did: the outcome of its request, and when the delivery is due again."""

    delivery_id: str
    state: str
    attempts: int
    outcome: client.Outcome | None
    retry_at: datetime | None


def body_of(payload: dict[str, Any]) -> bytes:
    """The bytes sent and signed; the same for every attempt of a delivery."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def _finish(delivery: WebhookDelivery, state: str, now: datetime) -> None:
    delivery.state = state
    delivery.next_attempt_at = None
    delivery.finished_at = now


def _record(
    session: Session,
    delivery_id: str,
    endpoint_id: str,
    outcome: client.Outcome,
    *,
    now: datetime,
    settings: Settings,
    rng: random.Random | None,
) -> Attempted | None:
    if not store.count_attempt(session, delivery_id, endpoint_id, ok=outcome.ok):
        return None  # deleted, or given up, while the request was in flight
    delivery = session.get_one(WebhookDelivery, delivery_id)
    session.add(
        WebhookAttempt(
            delivery_id=delivery_id,
            attempted_at=now,
            status_code=outcome.status,
            error=outcome.error[:500] if outcome.error else None,
            duration_ms=outcome.duration_ms,
        )
    )
    endpoint = session.get_one(WebhookEndpoint, endpoint_id)
    if outcome.ok:
        _finish(delivery, store.DELIVERED, now)
    elif endpoint.enabled and endpoint.consecutive_failures >= settings.webhook_disable_after:
        store.set_enabled(
            endpoint,
            False,
            now=now,
            reason=f"{endpoint.consecutive_failures} consecutive failed deliveries",
        )
        log.warning("webhook endpoint %s disabled after repeated failures", endpoint.id)
        _finish(delivery, store.FAILED, now)
        session.flush()
        store.fail_pending(session, endpoint.id, now=now)
    elif not endpoint.enabled or delivery.attempts >= settings.webhook_max_attempts:
        _finish(delivery, store.FAILED, now)
    else:
        delay = retry_delay(
            delivery.attempts,
            base=settings.webhook_backoff_base,
            cap=settings.webhook_backoff_max,
            retry_after=parse_retry_after(outcome.retry_after, now=now),
            rng=rng,
        )
        delivery.next_attempt_at = now + timedelta(seconds=delay)
    retry_at = delivery.next_attempt_at if delivery.state == store.PENDING else None
    return Attempted(delivery_id, delivery.state, delivery.attempts, outcome, retry_at)


def attempt(
    db: Database, settings: Settings, delivery_id: str, *, rng: random.Random | None = None
) -> Attempted | None:
    """Make one attempt at a due delivery; None if it is not due, not pending or gone.

    The request runs between two short transactions, never inside one, so a slow receiver
    holds no database lock.
    """
    now = datetime.now(UTC)
    lease = timedelta(seconds=settings.webhook_timeout + settings.job_timeout)
    with db.session() as session:
        if not store.claim_delivery(session, delivery_id, now=now, lease=lease, slack=EARLY_SLACK):
            return None
        delivery = session.get_one(WebhookDelivery, delivery_id)
        endpoint = session.get_one(WebhookEndpoint, delivery.endpoint_id)
        if not endpoint.enabled:
            _finish(delivery, store.FAILED, now)
            return Attempted(delivery_id, store.FAILED, delivery.attempts, None, None)
        endpoint_id = endpoint.id
        url = endpoint.url
        secrets_in_use = endpoint.signing_secrets(now)
        message_id = delivery.message_id
        body = body_of(delivery.payload)
    sent_at = datetime.now(UTC)
    headers = signed_headers(secrets_in_use, message_id, int(sent_at.timestamp()), body)
    outcome = client.post(
        url,
        body,
        headers,
        timeout=settings.webhook_timeout,
        allow=Allowlist.parse(settings.webhook_allow_hosts),
    )
    with db.session() as session:
        return _record(
            session,
            delivery_id,
            endpoint_id,
            outcome,
            now=datetime.now(UTC),
            settings=settings,
            rng=rng,
        )
