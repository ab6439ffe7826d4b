"""How comments, decisions and history look in API answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from moderation.store.audit import as_dict
from moderation.store.comments import Stored
from moderation.store.models import (
    AuditAction,
    AuditEntry,
    Comment,
    CommentRevision,
    CommentStatus,
    Decision,
)


def decision_dict(row: Decision | None) -> dict[str, Any] | None:
    """A recorded engine decision, or None while the comment waits."""
    if row is None:
        return None
    return {
        "action": row.action,
        "reasons": row.reasons,
        "ruleset_version": row.ruleset_version,
        "censored": row.censored,
        "scores": row.scores,
        "decided_at": row.decided_at.isoformat(),
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def comment_status(comment: Stored, decision: Decision | None, location: str) -> dict[str, Any]:
    """A comment's state as its site sees it (built by hand: the intake's hot path)."""
    return {
        "id": comment.id,
        "site_comment_id": comment.external_id,
        "status": comment.status,
        "revision": comment.revision,
        "story_id": comment.story_id,
        "section": comment.section,
        "author_id": comment.author_id,
        "received_at": comment.received_at.isoformat(),
        "decided_at": _iso(comment.decided_at),
        "decision": decision_dict(decision),
        "links": {"self": location},
    }


def comment_detail(comment: Comment, site: str | None, decision: Decision | None) -> dict[str, Any]:
    """A comment as moderators see it: text, context, decision with offsets, reports, review."""
    return {
        "id": comment.id,
        "site": site,
        "site_comment_id": comment.external_id,
        "status": comment.status,
        "revision": comment.revision,
        "body": comment.body,
        "story": {"id": comment.story_id, "url": comment.story_url, "section": comment.section},
        "author": {"id": comment.author_id, "name": comment.author_name},
        "received_at": comment.received_at.isoformat(),
        "decided_at": comment.decided_at.isoformat() if comment.decided_at else None,
        "decision": decision_dict(decision),
        "reports": {
            "weight": comment.report_weight,
            "flagged_at": comment.flagged_at.isoformat() if comment.flagged_at else None,
        },
        "review": {
            "by": comment.reviewed_by,
            "at": comment.reviewed_at.isoformat() if comment.reviewed_at else None,
            "reason": comment.review_reason,
            "note": comment.review_note,
        },
    }


def history(
    comment: Comment, entries: list[AuditEntry], revisions: list[CommentRevision]
) -> dict[str, Any]:
    """A comment's whole story: receipt, every audited change, and its earlier bodies."""
    received = {
        "at": comment.received_at.isoformat(),
        "actor": {"type": "site", "id": None},
        "action": AuditAction.RECEIVED,
        "from_status": None,
        "to_status": CommentStatus.QUEUED,
        "reason": None,
        "note": None,
        "ruleset_version": None,
        "data": {"revision": 1},
    }
    return {
        "comment_id": comment.id,
        "status": comment.status,
        "revision": comment.revision,
        "entries": [received, *(as_dict(e) for e in entries)],
        "revisions": [
            {"revision": r.revision, "body": r.body, "replaced_at": r.created_at.isoformat()}
            for r in revisions
        ],
    }
