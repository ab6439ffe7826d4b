"""Moderators' actions on comments and authors; every change is audited and sent to webhooks."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from moderation.domain import events
from moderation.errors import Forbidden, NotFound, ValidationFailed
from moderation.services import Services
from moderation.store import audit, reports
from moderation.store import review as queues
from moderation.store.models import (
    ActorType,
    AuditAction,
    Author,
    Comment,
    CommentStatus,
    Moderator,
)

#: Reason codes a moderator gives for a rejection.
REJECTION_REASONS = (
    "profanity",
    "slur",
    "harassment",
    "hate",
    "threat",
    "spam",
    "personal_data",
    "misinformation",
    "off_topic",
    "other",
)


def visible_comment(session: Session, comment_id: str, site_ids: frozenset[str] | None) -> Comment:
    """A comment the moderator may act on; not found for other sites' comments."""
    comment = session.get(Comment, comment_id)
    if comment is None or (site_ids is not None and comment.site_id not in site_ids):
        raise NotFound(f"No comment {comment_id} in your sites.")
    return comment


def _set_status(
    session: Session,
    comment: Comment,
    to_status: str,
    *,
    moderator: Moderator,
    action: str,
    reason: str | None,
    note: str | None,
    public_note: str | None,
    now: datetime,
) -> list[str]:
    before = comment.status
    comment.status = to_status
    comment.reviewed_by = moderator.name
    comment.reviewed_at = now
    comment.review_reason = reason
    comment.review_note = note
    comment.flagged_at = None
    report_state = "upheld" if to_status == CommentStatus.REJECTED else "dismissed"
    resolved = reports.resolve_open(
        session, comment.id, state=report_state, public_note=public_note, now=now
    )
    comment.report_weight = 0.0
    audit.append(
        session,
        site_id=comment.site_id,
        comment_id=comment.id,
        actor_type=ActorType.MODERATOR,
        actor_id=moderator.name,
        action=action,
        from_status=before,
        to_status=to_status,
        reason=reason,
        note=note,
        now=now,
        data={"reports_resolved": resolved, "reports_state": report_state} if resolved else None,
    )
    if before == to_status:
        return []
    return events.emit(
        session,
        comment,
        events.STATUS_CHANGED,
        now=now,
        from_status=before,
        to_status=to_status,
        reason=reason,
        actor={"type": "moderator", "id": moderator.name},
    )


def review_comments(
    services: Services,
    moderator: Moderator,
    site_ids: frozenset[str] | None,
    comment_ids: list[str],
    *,
    approve: bool,
    reason: str | None,
    note: str | None,
    public_note: str | None,
) -> list[Comment | NotFound]:
    """Approve or reject comments, each on its own; one transaction for the lot."""
    if not approve and reason not in REJECTION_REASONS:
        raise ValidationFailed(
            "A rejection needs a reason code.",
            errors={"reason": [f"Must be one of: {', '.join(REJECTION_REASONS)}."]},
        )
    now = datetime.now(UTC)
    results: list[Comment | NotFound] = []
    deliveries: list[str] = []
    with services.db.session() as session:
        for comment_id in comment_ids:
            try:
                comment = visible_comment(session, comment_id, site_ids)
            except NotFound as missing:
                results.append(missing)
                continue
            deliveries += _set_status(
                session,
                comment,
                CommentStatus.APPROVED if approve else CommentStatus.REJECTED,
                moderator=moderator,
                action=AuditAction.APPROVED if approve else AuditAction.REJECTED,
                reason=None if approve else reason,
                note=note,
                public_note=public_note,
                now=now,
            )
            results.append(comment)
    services.webhooks.enqueue(deliveries)
    return results


def act_on_author(
    services: Services,
    moderator: Moderator,
    site_ids: frozenset[str] | None,
    *,
    site_name: str,
    author_id: str,
    action: str,
    reason: str | None,
    reject_existing: bool,
) -> Author:
    """Pre-moderate, ban or lift an author on one site; a ban may reject their standing comments."""
    now = datetime.now(UTC)
    deliveries: list[str] = []
    with services.db.session() as session:
        site = queues.site_named(session, site_name)
        if site is None and site_ids is None:
            raise NotFound(f"No site named {site_name}.")
        if site is None or (site_ids is not None and site.id not in site_ids):
            raise Forbidden(f"You do not moderate a site named {site_name}.")
        author = queues.author_for_order(session, site.id, author_id)
        if action == "premoderate":
            author.premoderate = True
        elif action == "ban":
            author.banned_at = author.banned_at or now
        else:
            author.premoderate = False
            author.banned_at = None
        audit.append(
            session,
            site_id=site.id,
            comment_id=None,
            actor_type=ActorType.MODERATOR,
            actor_id=moderator.name,
            action=AuditAction(f"author_{action}"),
            # The moderator's words, up to 500 characters: a note, as on the comments a ban
            # rejects; the audit's reason column holds codes.
            note=reason,
            now=now,
            data={"author_id": author_id, "reject_existing": reject_existing},
        )
        if action == "ban" and reject_existing:
            for comment in queues.standing_comments(session, site.id, author_id):
                deliveries += _set_status(
                    session,
                    comment,
                    "rejected",
                    moderator=moderator,
                    action=AuditAction.REJECTED_BY_BAN,
                    reason="author_banned",
                    note=reason,
                    public_note=None,
                    now=now,
                )
        session.flush()
    services.webhooks.enqueue(deliveries)
    return author
