"""An author's personal data on a site: everything of theirs read out, or erased in place."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, tuple_, update
from sqlalchemy.orm import Session

from moderation.store.models import (
    AuditEntry,
    Author,
    Comment,
    CommentRevision,
    Decision,
    Report,
)
from moderation.store.webhooks import WebhookDelivery, WebhookEndpoint

#: What an erased text reads as.
TOMBSTONE = "[erased]"
#: What a reason keeps of itself after erasure: the rule and where it matched, not the text.
_REASON_KEPT = ("rule_id", "code", "category", "severity", "action", "start", "end", "count")
_REASON_NUMBERS = ("spans", "attribute", "score")


@dataclass(frozen=True)
class Record:
    """An author's rows on a site, as stored."""

    author: Author | None
    comments: Sequence[Comment]
    revisions: Sequence[CommentRevision]
    decisions: Sequence[Decision]
    #: Reports the author filed, and reports others filed on the author's comments.
    filed: Sequence[Report]
    received: Sequence[Report]


def read_record(session: Session, site_id: str, author_id: str) -> Record:
    """Every row that holds the author's data on the site."""
    comments = session.scalars(
        select(Comment)
        .where(Comment.site_id == site_id, Comment.author_id == author_id)
        .order_by(Comment.id)
    ).all()
    ids = [c.id for c in comments]
    return Record(
        author=session.scalar(
            select(Author).where(Author.site_id == site_id, Author.external_id == author_id)
        ),
        comments=comments,
        revisions=session.scalars(
            select(CommentRevision)
            .where(CommentRevision.comment_id.in_(ids))
            .order_by(CommentRevision.comment_id, CommentRevision.revision)
        ).all(),
        decisions=session.scalars(
            select(Decision)
            .where(Decision.comment_id.in_(ids))
            .order_by(Decision.comment_id, Decision.revision)
        ).all(),
        filed=session.scalars(
            select(Report)
            .where(Report.site_id == site_id, Report.reporter_id == author_id)
            .order_by(Report.id)
        ).all(),
        received=session.scalars(
            select(Report).where(Report.comment_id.in_(ids)).order_by(Report.id)
        ).all(),
    )


def redacted_reasons(reasons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Reasons without the words they quoted: rule, code, category, offsets and counts stay."""
    kept = []
    for reason in reasons:
        out = {key: reason[key] for key in _REASON_KEPT if key in reason}
        out.update({key: reason[key] for key in _REASON_NUMBERS if key in reason})
        # Model reasons' spans are offsets too; anything else that is text goes.
        out["spans"] = [s for s in out.get("spans", []) if all(isinstance(n, int) for n in s)]
        out["term"] = None
        kept.append(out)
    return kept


def _redacted_payload(payload: dict[str, Any]) -> dict[str, Any]:
    decision = payload.get("data", {}).get("decision")
    if not isinstance(decision, dict) or "reasons" not in decision:
        return payload
    data = {
        **payload["data"],
        "decision": {**decision, "reasons": redacted_reasons(decision["reasons"])},
    }
    return {**payload, "data": data}


def erase_record(session: Session, site_id: str, record: Record) -> dict[str, int]:
    """Tombstone the author's texts and names in place; returns how many rows of each kind.

    Comments keep their place (ids, story, status, thread) with the tombstone as body, no
    name and no duplicate key; earlier bodies, censored copies and the words reasons quoted go,
    in decisions and in the webhook deliveries that carried them; report texts the author
    wrote, or others wrote about the author's comments, go from reports and their audit notes.
    """
    ids = [c.id for c in record.comments]
    for comment in record.comments:
        comment.body = TOMBSTONE
        comment.author_name = None
        comment.duplicate_key = None
        # The digest of the request held the text; a replay of the erased comment is refused.
        comment.request_digest = hashlib.sha256(f"erased:{comment.id}".encode()).hexdigest()
    for revision in record.revisions:
        revision.body = TOMBSTONE
    for decision in record.decisions:
        decision.censored = None
        decision.reasons = redacted_reasons(decision.reasons)
    reports = [*record.filed, *(r for r in record.received if r not in record.filed)]
    for report in reports:
        report.text = None
    pairs = [(r.comment_id, r.reporter_id) for r in reports]
    # The one change the audit trail admits (migration 0009): a note set to NULL, nothing else.
    for chunk in _chunks(pairs):
        session.execute(
            update(AuditEntry)
            .where(
                AuditEntry.site_id == site_id,
                AuditEntry.action == "reported",
                AuditEntry.note.is_not(None),
                tuple_(AuditEntry.comment_id, AuditEntry.actor_id).in_(chunk),
            )
            .values(note=None)
        )
    deliveries = 0
    if ids:
        wanted = set(ids)
        found = session.scalars(
            select(WebhookDelivery)
            .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
            .where(
                WebhookEndpoint.site_id == site_id, WebhookDelivery.event_type == "comment.decided"
            )
        )
        # Filtered here, not in SQL: JSON paths differ between SQLite and PostgreSQL.
        for delivery in found:
            if delivery.payload.get("data", {}).get("comment", {}).get("id") in wanted:
                delivery.payload = _redacted_payload(delivery.payload)
                deliveries += 1
    session.flush()
    return {
        "comments": len(record.comments),
        "revisions": len(record.revisions),
        "decisions": len(record.decisions),
        "reports": len(reports),
        "webhook_deliveries": deliveries,
    }


def _chunks(values: list[tuple[str, str]], size: int = 500) -> list[list[tuple[str, str]]]:
    return [values[i : i + size] for i in range(0, len(values), size)]
