"""Pruning past a site's retention: small batches, each its own short transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, tuple_, update
from sqlalchemy.orm import Session

from moderation.store.authors import TOMBSTONE, redacted_reasons
from moderation.store.models import (
    AuditEntry,
    Comment,
    CommentRevision,
    CommentStatus,
    Decision,
    Report,
    Site,
)
from moderation.store.webhooks import (
    DELIVERED,
    FAILED,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)


def sites_with_retention(session: Session) -> list[Site]:
    """Sites that keep something for a limited time."""
    return list(
        session.scalars(
            select(Site).where(
                Site.keep_rejected_days.is_not(None)
                | Site.keep_deliveries_days.is_not(None)
                | Site.keep_report_text_days.is_not(None)
            )
        )
    )


def redact_rejected(session: Session, site_id: str, *, before: datetime, limit: int) -> int:
    """Tombstone the bodies of up to `limit` comments rejected before `before`; how many."""
    decided = func.coalesce(Comment.reviewed_at, Comment.decided_at)
    comments = session.scalars(
        select(Comment)
        .where(
            Comment.site_id == site_id,
            Comment.status == CommentStatus.REJECTED,
            decided < before,
            Comment.body != TOMBSTONE,
        )
        .order_by(Comment.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    ids = [c.id for c in comments]
    for comment in comments:
        comment.body = TOMBSTONE
        comment.duplicate_key = None
    if ids:
        session.execute(
            update(CommentRevision)
            .where(CommentRevision.comment_id.in_(ids))
            .values(body=TOMBSTONE)
        )
        for decision in session.scalars(select(Decision).where(Decision.comment_id.in_(ids))):
            decision.censored = None
            decision.reasons = redacted_reasons(decision.reasons)
    return len(ids)


def delete_deliveries(session: Session, site_id: str, *, before: datetime, limit: int) -> int:
    """Delete up to `limit` finished deliveries (and their attempts) older than `before`."""
    ids = list(
        session.scalars(
            select(WebhookDelivery.id)
            .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
            .where(
                WebhookEndpoint.site_id == site_id,
                WebhookDelivery.state.in_((DELIVERED, FAILED)),
                WebhookDelivery.finished_at < before,
            )
            .order_by(WebhookDelivery.id)
            .limit(limit)
        )
    )
    if ids:
        session.execute(delete(WebhookAttempt).where(WebhookAttempt.delivery_id.in_(ids)))
        session.execute(delete(WebhookDelivery).where(WebhookDelivery.id.in_(ids)))
    return len(ids)


def clear_report_texts(session: Session, site_id: str, *, before: datetime, limit: int) -> int:
    """Clear the text of up to `limit` reports filed before `before`, and its audit note."""
    found = session.execute(
        select(Report.id, Report.comment_id, Report.reporter_id)
        .where(Report.site_id == site_id, Report.text.is_not(None), Report.created_at < before)
        .order_by(Report.id)
        .limit(limit)
    ).all()
    if not found:
        return 0
    session.execute(update(Report).where(Report.id.in_([r.id for r in found])).values(text=None))
    # The one change the audit trail admits (migration 0009): a note set to NULL.
    session.execute(
        update(AuditEntry)
        .where(
            AuditEntry.site_id == site_id,
            AuditEntry.action == "reported",
            AuditEntry.note.is_not(None),
            tuple_(AuditEntry.comment_id, AuditEntry.actor_id).in_(
                [(r.comment_id, r.reporter_id) for r in found]
            ),
        )
        .values(note=None)
    )
    return len(found)
