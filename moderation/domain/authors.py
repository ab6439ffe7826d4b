"""A reader's rights over their data (GDPR Art. 15 and 17): export it, erase it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from moderation.domain import events
from moderation.presenters import decision_dict
from moderation.services import Services
from moderation.store import audit
from moderation.store import authors as store
from moderation.store.models import ActorType, AuditAction
from moderation.webhooks.outbox import record_event


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def export_author(services: Services, site_id: str, author_id: str) -> dict[str, Any]:
    """Everything the service holds of an author on one site, as one JSON document."""
    with services.db.session() as session:
        found = store.read_record(session, site_id, author_id)
    revisions: dict[str, list[dict[str, Any]]] = {}
    for r in found.revisions:
        revisions.setdefault(r.comment_id, []).append(
            {"revision": r.revision, "body": r.body, "replaced_at": r.created_at.isoformat()}
        )
    decisions: dict[str, list[dict[str, Any]]] = {}
    for d in found.decisions:
        decisions.setdefault(d.comment_id, []).append(
            {"revision": d.revision, **(decision_dict(d) or {})}
        )
    received: dict[str, list[dict[str, Any]]] = {}
    for report in found.received:
        # Others' reports on the author's comments, without who filed them or their words.
        received.setdefault(report.comment_id, []).append(
            {
                "id": report.id,
                "reason": report.reason,
                "state": report.state,
                "created_at": report.created_at.isoformat(),
            }
        )
    author = found.author
    return {
        "author_id": author_id,
        "exported_at": datetime.now(UTC).isoformat(),
        "standing": {
            "premoderate": bool(author and author.premoderate),
            "banned": bool(author and author.banned_at),
        },
        "comments": [
            {
                "id": c.id,
                "site_comment_id": c.external_id,
                "story_id": c.story_id,
                "section": c.section,
                "parent_id": c.parent_id,
                "author_name": c.author_name,
                "body": c.body,
                "language": c.language,
                "status": c.status,
                "revision": c.revision,
                "created_at": _iso(c.created_at),
                "received_at": c.received_at.isoformat(),
                "decided_at": _iso(c.decided_at),
                "review": {
                    "at": _iso(c.reviewed_at),
                    "reason": c.review_reason,
                    "note": c.review_note,
                },
                "revisions": revisions.get(c.id, []),
                "decisions": decisions.get(c.id, []),
                "reports": received.get(c.id, []),
            }
            for c in found.comments
        ],
        "reports_filed": [
            {
                "id": r.id,
                "comment_id": r.comment_id,
                "reason": r.reason,
                "text": r.text,
                "state": r.state,
                "public_note": r.public_note,
                "created_at": r.created_at.isoformat(),
                "resolved_at": _iso(r.resolved_at),
            }
            for r in found.filed
        ],
    }


def erase_author(services: Services, site_id: str, author_id: str) -> dict[str, Any]:
    """Erase an author's texts and names on one site, audit it, tell the site's webhooks.

    The audit entry says who asked (the site) and when, and counts what was erased; it quotes
    none of it. Erasing again changes nothing more.
    """
    now = datetime.now(UTC)
    with services.db.session() as session:
        found = store.read_record(session, site_id, author_id)
        counts = store.erase_record(session, site_id, found)
        audit.append(
            session,
            site_id=site_id,
            comment_id=None,
            actor_type=ActorType.SITE,
            actor_id=None,
            action=AuditAction.AUTHOR_ERASED,
            now=now,
            data={"author_id": author_id, **counts},
        )
        deliveries = record_event(
            session,
            site_id=site_id,
            event_type=events.AUTHOR_ERASED,
            data={
                "author_id": author_id,
                "erased_at": now.isoformat(),
                "comments": counts["comments"],
            },
            now=now,
        )
    services.webhooks.enqueue(deliveries)
    return {"author_id": author_id, "erased_at": now.isoformat(), "erased": counts}
