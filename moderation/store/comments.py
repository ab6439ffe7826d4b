"""Repository functions for comments: intake, lookup, sweeping and recording decisions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from moderation.store.ids import new_id
from moderation.store.models import Comment, CommentRevision, Decision

QUEUED = "queued"
#: The status a comment takes for each engine action.
STATUS_FOR_ACTION = {"approve": "approved", "hold": "held", "reject": "rejected"}


class DuplicateMismatch(Exception):
    """The site's comment id or Idempotency-Key was used before for a different body."""

    def __init__(self, existing_id: str, field: str) -> None:
        super().__init__(field)
        self.existing_id = existing_id
        self.field = field


@dataclass(frozen=True)
class Intake:
    """A comment as the site sent it, validated; `digest` identifies the exact request."""

    external_id: str
    story_id: str
    author_id: str
    body: str
    digest: str
    story_url: str | None = None
    section: str | None = None
    author_name: str | None = None
    parent_id: str | None = None
    language: str | None = None
    created_at: datetime | None = None
    idempotency_key: str | None = None


def _existing(session: Session, site_id: str, intake: Intake) -> Comment | None:
    condition = Comment.external_id == intake.external_id
    if intake.idempotency_key is not None:
        condition = condition | (Comment.idempotency_key == intake.idempotency_key)
    found = session.scalars(select(Comment).where(Comment.site_id == site_id, condition)).all()
    if not found:
        return None
    for comment in found:
        if comment.request_digest != intake.digest:
            same_key = (
                intake.idempotency_key is not None
                and comment.idempotency_key == intake.idempotency_key
            )
            raise DuplicateMismatch(comment.id, "Idempotency-Key" if same_key else "id")
    return found[0]


def _insert_for(session: Session) -> Any:
    dialect = session.get_bind().dialect.name
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def _row(site_id: str, intake: Intake, now: datetime) -> dict[str, Any]:
    # Every column a fresh comment needs, defaults included, so the same dict both inserts the
    # row and builds the Comment the API answers with, without reading it back.
    return {
        "id": new_id(),
        "site_id": site_id,
        "external_id": intake.external_id,
        "idempotency_key": intake.idempotency_key,
        "request_digest": intake.digest,
        "story_id": intake.story_id,
        "story_url": intake.story_url,
        "section": intake.section,
        "author_id": intake.author_id,
        "author_name": intake.author_name,
        "parent_id": intake.parent_id,
        "language": intake.language,
        "body": intake.body,
        "created_at": intake.created_at,
        "received_at": now,
        "status": QUEUED,
        "revision": 1,
        "enqueued_at": now,
        "decided_at": None,
        "categories": "",
        "report_weight": 0.0,
    }


_IDS_BY_EXTERNAL = select(Comment.external_id, Comment.id).where(
    Comment.site_id == bindparam("site_id"),
    Comment.external_id.in_(bindparam("external_ids", expanding=True)),
)


def record_comment(
    session: Session, site_id: str, intake: Intake, *, now: datetime
) -> tuple[Comment, bool]:
    """Store a new comment as queued, or return the one this request already created.

    One statement on the common path: the insert skips a row whose id or key exists, and only
    then do we read the existing one. Returns the comment and whether it was created now.
    Raises DuplicateMismatch when the id or key was used for another body.
    """
    row = _row(site_id, intake, now)
    # A Core statement with the row as parameters compiles once and is reused from the cache;
    # building .values(row) each time cost as much as running it.
    statement = _insert_for(session)(Comment.__table__).on_conflict_do_nothing()
    if session.connection().execute(statement.returning(Comment.id), row).first() is not None:
        return Comment(**row), True
    existing = _existing(session, site_id, intake)
    if existing is None:  # pragma: no cover - a conflict always leaves the row it conflicts with
        raise RuntimeError("insert conflicted but no existing comment was found")
    return existing, False


def record_many(
    session: Session, site_id: str, intakes: Sequence[Intake], *, now: datetime
) -> list[tuple[Comment, bool] | DuplicateMismatch]:
    """Store a batch with one insert; each item is new, a replay, or a mismatch, in order."""
    rows: dict[str, dict[str, Any]] = {}
    for intake in intakes:
        rows.setdefault(intake.external_id, _row(site_id, intake, now))
    connection = session.connection()
    # A plain executemany (pipelined by psycopg) of one short statement, then one read of which
    # rows are ours: a single multi-row INSERT … RETURNING cost more to parse than to run.
    connection.execute(
        _insert_for(session)(Comment.__table__).on_conflict_do_nothing(), list(rows.values())
    )
    stored = connection.execute(
        _IDS_BY_EXTERNAL, {"site_id": site_id, "external_ids": list(rows)}
    ).all()
    inserted = {external_id for external_id, id_ in stored if rows[external_id]["id"] == id_}
    missing = [external_id for external_id in rows if external_id not in inserted]
    earlier = (
        {
            c.external_id: c
            for c in session.scalars(
                select(Comment).where(Comment.site_id == site_id, Comment.external_id.in_(missing))
            )
        }
        if missing
        else {}
    )
    results: list[tuple[Comment, bool] | DuplicateMismatch] = []
    created: dict[str, Comment] = {}
    for intake in intakes:
        key = intake.external_id
        if key in inserted and key not in created:
            created[key] = Comment(**rows[key])
            results.append((created[key], True))
            continue
        original = created.get(key) or earlier[key]
        if original.request_digest != intake.digest:
            results.append(DuplicateMismatch(original.id, "id"))
        else:
            results.append((original, False))
    return results


def find_comment(session: Session, site_id: str, comment_id: str) -> Comment | None:
    """A site's comment by the service's id."""
    return session.scalar(
        select(Comment).where(Comment.site_id == site_id, Comment.id == comment_id)
    )


def find_by_external_id(session: Session, site_id: str, external_id: str) -> Comment | None:
    """A site's comment by the site's own id."""
    return session.scalar(
        select(Comment).where(Comment.site_id == site_id, Comment.external_id == external_id)
    )


def latest_decision(session: Session, comment: Comment) -> Decision | None:
    """The decision on the comment's current revision, if made."""
    return session.scalar(
        select(Decision).where(
            Decision.comment_id == comment.id, Decision.revision == comment.revision
        )
    )


def due_for_sweep(session: Session, *, now: datetime, older_than: int, limit: int) -> list[str]:
    """Ids of comments still queued though enqueued more than `older_than` seconds ago."""
    cutoff = now - timedelta(seconds=older_than)
    return list(
        session.scalars(
            select(Comment.id)
            .where(Comment.status == QUEUED, Comment.enqueued_at < cutoff)
            .order_by(Comment.enqueued_at)
            .limit(limit)
        )
    )


def mark_enqueued(session: Session, ids: Sequence[str], *, now: datetime) -> None:
    """Note that these comments were (re-)enqueued now, so the sweeper leaves them be a while."""
    if ids:
        session.execute(
            update(Comment)
            .where(Comment.id.in_(ids), Comment.status == QUEUED)
            .values(enqueued_at=now)
        )


def add_revision(session: Session, comment: Comment, *, body: str, now: datetime) -> None:
    """Keep the current body as a revision and queue the comment again with the new one."""
    session.add(
        CommentRevision(
            comment_id=comment.id, revision=comment.revision, body=comment.body, created_at=now
        )
    )
    comment.body = body
    comment.revision += 1
    comment.status = QUEUED
    comment.enqueued_at = now
    comment.decided_at = None
    comment.categories = ""


def revisions(session: Session, comment_id: str) -> Sequence[CommentRevision]:
    """A comment's earlier bodies, oldest first."""
    return session.scalars(
        select(CommentRevision)
        .where(CommentRevision.comment_id == comment_id)
        .order_by(CommentRevision.revision)
    ).all()
