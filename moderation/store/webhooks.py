"""Webhook endpoints, their deliveries and the attempts log; repository functions over them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    CursorResult,
    ForeignKey,
    Index,
    String,
    Text,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from moderation.store.ids import new_id
from moderation.store.models import Base, UTCDateTime

PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"


class WebhookEndpoint(Base):
    """A URL of a site that receives the events it subscribed to, signed with its secret."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id"), index=True)
    url: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(String(500), nullable=True)
    event_types: Mapped[list[str]] = mapped_column(JSON)
    #: Kept in clear: an HMAC needs the key itself, unlike an API key's digest.
    secret: Mapped[str] = mapped_column(String(100))
    #: The secret before the last rotation; it signs alongside until it expires.
    previous_secret: Mapped[str | None] = mapped_column(String(100), nullable=True)
    previous_secret_expires_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(), nullable=True
    )
    enabled: Mapped[bool] = mapped_column(default=True)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    disabled_reason: Mapped[str | None] = mapped_column(String(200), nullable=True)
    consecutive_failures: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    def signing_secrets(self, now: datetime) -> list[str]:
        """The secrets that sign a delivery made now: the current one, and the previous in grace."""
        found = [self.secret]
        expires = self.previous_secret_expires_at
        if self.previous_secret and expires is not None and expires > now:
            found.append(self.previous_secret)
        return found


class WebhookDelivery(Base):
    """One event for one endpoint, retried until delivered or given up; the queue's truth."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        Index("ix_webhook_deliveries_state_next", "state", "next_attempt_at"),
        Index("ix_webhook_deliveries_endpoint_created", "endpoint_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    endpoint_id: Mapped[str] = mapped_column(ForeignKey("webhook_endpoints.id"))
    #: The `webhook-id` header: the same for every attempt, so receivers can drop repeats.
    message_id: Mapped[str] = mapped_column(String(40))
    event_type: Mapped[str] = mapped_column(String(50))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: pending, delivered or failed.
    state: Mapped[str] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class WebhookAttempt(Base):
    """One try at a delivery: when, how long, and the status code or the error."""

    __tablename__ = "webhook_attempts"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    delivery_id: Mapped[str] = mapped_column(ForeignKey("webhook_deliveries.id"), index=True)
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status_code: Mapped[int | None] = mapped_column(nullable=True)
    error: Mapped[str | None] = mapped_column(String(500), nullable=True)
    duration_ms: Mapped[int] = mapped_column()


def create_endpoint(
    session: Session,
    *,
    site_id: str,
    url: str,
    event_types: list[str],
    description: str | None,
    secret: str,
    now: datetime,
) -> WebhookEndpoint:
    """Register an endpoint for a site."""
    endpoint = WebhookEndpoint(
        id=new_id(),
        site_id=site_id,
        url=url,
        description=description,
        event_types=sorted(set(event_types)),
        secret=secret,
        enabled=True,
        consecutive_failures=0,
        created_at=now,
    )
    session.add(endpoint)
    session.flush()
    return endpoint


def count_endpoints(session: Session, site_id: str) -> int:
    """How many endpoints a site has."""
    statement = select(func.count()).where(WebhookEndpoint.site_id == site_id)
    return int(session.scalar(statement) or 0)


def list_endpoints(session: Session, site_id: str) -> list[WebhookEndpoint]:
    """A site's endpoints, oldest first."""
    return list(
        session.scalars(
            select(WebhookEndpoint)
            .where(WebhookEndpoint.site_id == site_id)
            .order_by(WebhookEndpoint.created_at, WebhookEndpoint.id)
        )
    )


def find_endpoint(session: Session, site_id: str, endpoint_id: str) -> WebhookEndpoint | None:
    """A site's endpoint by id; None for another site's."""
    return session.scalar(
        select(WebhookEndpoint).where(
            WebhookEndpoint.id == endpoint_id, WebhookEndpoint.site_id == site_id
        )
    )


def subscribed_endpoints(session: Session, site_id: str, event_type: str) -> list[WebhookEndpoint]:
    """The site's enabled endpoints that receive this event type."""
    enabled = session.scalars(
        select(WebhookEndpoint).where(
            WebhookEndpoint.site_id == site_id, WebhookEndpoint.enabled.is_(True)
        )
    )
    # Filtered here, not in SQL: JSON containment differs between SQLite and PostgreSQL.
    return [e for e in enabled if event_type in e.event_types]


def set_enabled(endpoint: WebhookEndpoint, enabled: bool, *, now: datetime, reason: str) -> None:
    """Enable (with a clean failure count) or disable an endpoint."""
    if enabled and not endpoint.enabled:
        endpoint.enabled = True
        endpoint.disabled_at = None
        endpoint.disabled_reason = None
        endpoint.consecutive_failures = 0
    elif not enabled and endpoint.enabled:
        endpoint.enabled = False
        endpoint.disabled_at = now
        endpoint.disabled_reason = reason[:200]


def rotate_secret(endpoint: WebhookEndpoint, secret: str, *, now: datetime, grace: int) -> None:
    """Make `secret` current; the one it replaces signs alongside for `grace` seconds."""
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_expires_at = now + timedelta(seconds=grace)
    endpoint.secret = secret


def delete_endpoint(session: Session, endpoint: WebhookEndpoint) -> None:
    """Remove an endpoint with its deliveries and their attempts."""
    # Lock the endpoint before its deliveries, the order a worker recording an attempt keeps.
    session.refresh(endpoint, with_for_update=True)
    deliveries = select(WebhookDelivery.id).where(WebhookDelivery.endpoint_id == endpoint.id)
    session.execute(delete(WebhookAttempt).where(WebhookAttempt.delivery_id.in_(deliveries)))
    session.execute(delete(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint.id))
    session.delete(endpoint)


def add_delivery(
    session: Session,
    endpoint: WebhookEndpoint,
    *,
    message_id: str,
    event_type: str,
    payload: dict[str, Any],
    now: datetime,
) -> WebhookDelivery:
    """A pending delivery, due now."""
    delivery = WebhookDelivery(
        id=new_id(),
        endpoint_id=endpoint.id,
        message_id=message_id,
        event_type=event_type,
        payload=payload,
        state=PENDING,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(delivery)
    return delivery


def find_delivery(session: Session, endpoint_id: str, delivery_id: str) -> WebhookDelivery | None:
    """One delivery of an endpoint."""
    return session.scalar(
        select(WebhookDelivery).where(
            WebhookDelivery.id == delivery_id, WebhookDelivery.endpoint_id == endpoint_id
        )
    )


def delivery_log(
    session: Session, endpoint_id: str, *, limit: int
) -> list[tuple[WebhookDelivery, list[WebhookAttempt]]]:
    """The endpoint's last `limit` deliveries, newest first, each with its attempts in order."""
    deliveries = list(
        session.scalars(
            select(WebhookDelivery)
            .where(WebhookDelivery.endpoint_id == endpoint_id)
            .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc())
            .limit(limit)
        )
    )
    attempts: dict[str, list[WebhookAttempt]] = {d.id: [] for d in deliveries}
    if deliveries:
        for attempt in session.scalars(
            select(WebhookAttempt)
            .where(WebhookAttempt.delivery_id.in_(list(attempts)))
            .order_by(WebhookAttempt.id)
        ):
            attempts[attempt.delivery_id].append(attempt)
    return [(d, attempts[d.id]) for d in deliveries]


def claim_delivery(
    session: Session, delivery_id: str, *, now: datetime, lease: timedelta, slack: timedelta
) -> bool:
    """Take a due pending delivery for one attempt; False if another job has it or it is not due.

    A conditional update, first in its transaction: of two jobs for one delivery (a schedule
    and a sweep), one wins. The lease keeps the sweep off it while the request is in flight,
    and hands it back if the worker dies. `slack` tolerates small clock differences.
    """
    result: CursorResult[Any] = session.execute(  # type: ignore[assignment]
        update(WebhookDelivery)
        .where(
            WebhookDelivery.id == delivery_id,
            WebhookDelivery.state == PENDING,
            WebhookDelivery.next_attempt_at <= now + slack,
        )
        .values(next_attempt_at=now + lease)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)


def count_attempt(session: Session, delivery_id: str, endpoint_id: str, *, ok: bool) -> bool:
    """Count an attempt on its delivery and its endpoint's failures; False if it is no longer
    pending (deleted, or given up, while the request was in flight).

    The endpoint row first, then the delivery's: the order every writer here keeps (disabling
    an endpoint fails its deliveries), so two of them cannot deadlock on PostgreSQL. The counts
    are computed in SQL so parallel deliveries to one endpoint lose none.
    """
    failures = 0 if ok else WebhookEndpoint.consecutive_failures + 1
    session.execute(
        update(WebhookEndpoint)
        .where(WebhookEndpoint.id == endpoint_id)
        .values(consecutive_failures=failures)
        .execution_options(synchronize_session=False)
    )
    counted: CursorResult[Any] = session.execute(  # type: ignore[assignment]
        update(WebhookDelivery)
        .where(WebhookDelivery.id == delivery_id, WebhookDelivery.state == PENDING)
        .values(attempts=WebhookDelivery.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    return bool(counted.rowcount)


def fail_pending(session: Session, endpoint_id: str, *, now: datetime) -> None:
    """Give up every pending delivery of an endpoint (it was disabled)."""
    session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.endpoint_id == endpoint_id, WebhookDelivery.state == PENDING)
        .values(state=FAILED, next_attempt_at=None, finished_at=now)
        .execution_options(synchronize_session=False)
    )


def due_deliveries(session: Session, *, now: datetime, limit: int) -> list[tuple[str, int]]:
    """Pending deliveries whose next attempt is due: (id, attempts so far), oldest first."""
    rows = session.execute(
        select(WebhookDelivery.id, WebhookDelivery.attempts)
        .where(WebhookDelivery.state == PENDING, WebhookDelivery.next_attempt_at <= now)
        .order_by(WebhookDelivery.next_attempt_at)
        .limit(limit)
    )
    return [(row.id, row.attempts) for row in rows]
