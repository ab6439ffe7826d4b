"""The append-only audit trail: every state change of a comment or an author."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.store.models import AuditEntry


def append(
    session: Session,
    *,
    site_id: str,
    comment_id: str | None,
    actor_type: str,
    actor_id: str | None,
    action: str,
    now: datetime,
    from_status: str | None = None,
    to_status: str | None = None,
    reason: str | None = None,
    note: str | None = None,
    ruleset_version: str | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add one entry; entries are never updated or deleted (the database refuses it too)."""
    entry = AuditEntry(
        site_id=site_id,
        comment_id=comment_id,
        actor_type=actor_type,
        actor_id=actor_id,
        action=action,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        note=note,
        ruleset_version=ruleset_version,
        data=data,
        created_at=now,
    )
    session.add(entry)
    return entry


def history(session: Session, comment_id: str) -> Sequence[AuditEntry]:
    """A comment's entries, oldest first."""
    return session.scalars(
        select(AuditEntry).where(AuditEntry.comment_id == comment_id).order_by(AuditEntry.id)
    ).all()


def as_dict(entry: AuditEntry) -> dict[str, Any]:
    """An entry as the API shows it."""
    return {
        "at": entry.created_at.isoformat(),
        "actor": {"type": entry.actor_type, "id": entry.actor_id},
        "action": entry.action,
        "from_status": entry.from_status,
        "to_status": entry.to_status,
        "reason": entry.reason,
        "note": entry.note,
        "ruleset_version": entry.ruleset_version,
        "data": entry.data,
    }
