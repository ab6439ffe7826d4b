"""Repository functions for comments: intake, lookup, sweeping and recording decisions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import CursorResult, func, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from moderation.store.ids import new_id
from moderation.store.models import Author, Comment, CommentRevision, Decision, Site

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


def _next_author_seq(session: Session, site_id: str, author_id: str) -> int:
    # One statement that both creates the author and counts the comment, race-free on both
    # databases: concurrent intakes of one author each get their own sequence number.
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(Author)
        .values(site_id=site_id, external_id=author_id, comment_count=1)
        .on_conflict_do_update(
            index_elements=[Author.site_id, Author.external_id],
            set_={"comment_count": Author.comment_count + 1},
        )
        .returning(Author.comment_count)
    )
    return int(session.execute(statement).scalar_one())


def record_comment(
    session: Session, site_id: str, intake: Intake, *, now: datetime
) -> tuple[Comment, bool]:
    """Store a new comment as queued, or return the one this request already created.

    Returns the comment and whether it was created now. Raises DuplicateMismatch when the id
    or key was used for another body.
    """
    existing = _existing(session, site_id, intake)
    if existing is not None:
        return existing, False
    try:
        with session.begin_nested():
            comment = Comment(
                id=new_id(),
                site_id=site_id,
                external_id=intake.external_id,
                idempotency_key=intake.idempotency_key,
                request_digest=intake.digest,
                story_id=intake.story_id,
                story_url=intake.story_url,
                section=intake.section,
                author_id=intake.author_id,
                author_name=intake.author_name,
                author_seq=_next_author_seq(session, site_id, intake.author_id),
                parent_id=intake.parent_id,
                language=intake.language,
                body=intake.body,
                created_at=intake.created_at,
                received_at=now,
                status=QUEUED,
                enqueued_at=now,
            )
            session.add(comment)
            session.flush()
    except IntegrityError:
        # A concurrent request with the same id won the race: answer as its replay.
        existing = _existing(session, site_id, intake)
        if existing is None:
            raise
        return existing, False
    return comment, True


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


def queued_with_site(session: Session, ids: Iterable[str]) -> list[tuple[Comment, str]]:
    """The still-queued comments among `ids`, each with its site's name, in id order."""
    rows = session.execute(
        select(Comment, Site.name)
        .join(Site, Site.id == Comment.site_id)
        .where(Comment.id.in_(list(ids)), Comment.status == QUEUED)
        .order_by(Comment.id)
    ).all()
    return [(row[0], row[1]) for row in rows]


def recent_bodies(
    session: Session, comments: Sequence[Comment], *, window: int
) -> dict[str, tuple[str, ...]]:
    """For each comment, its author's other bodies received within `window` seconds before it."""
    if not comments or window <= 0:
        return {c.id: () for c in comments}
    pairs = {(c.site_id, c.author_id) for c in comments}
    since = min(c.received_at for c in comments) - timedelta(seconds=window)
    rows = session.execute(
        select(
            Comment.id, Comment.site_id, Comment.author_id, Comment.body, Comment.received_at
        ).where(tuple_(Comment.site_id, Comment.author_id).in_(pairs), Comment.received_at >= since)
    ).all()
    result: dict[str, tuple[str, ...]] = {}
    for c in comments:
        earliest = c.received_at - timedelta(seconds=window)
        result[c.id] = tuple(
            r.body
            for r in rows
            if r.site_id == c.site_id
            and r.author_id == c.author_id
            and r.id != c.id
            and earliest <= r.received_at <= c.received_at
        )
    return result


def record_decisions(
    session: Session,
    outcomes: Sequence[tuple[Comment, Mapping[str, Any]]],
    *,
    now: datetime,
    decided_by: str,
) -> list[Comment]:
    """Record each comment's decision and status, once: a rerun finds them decided and adds none.

    Returns the comments whose decision this call recorded.
    """
    recorded: list[Comment] = []
    for comment, decision in outcomes:
        status = STATUS_FOR_ACTION[decision["action"]]
        result: CursorResult[Any] = session.execute(  # type: ignore[assignment]
            update(Comment)
            .where(
                Comment.id == comment.id,
                Comment.status == QUEUED,
                Comment.revision == comment.revision,
            )
            .values(status=status, decided_at=now, categories=_categories(decision))
            .execution_options(synchronize_session=False)
        )
        if not result.rowcount:
            continue  # another worker decided it first
        session.add(
            Decision(
                comment_id=comment.id,
                revision=comment.revision,
                action=decision["action"],
                reasons=list(decision["reasons"]),
                ruleset_version=decision["ruleset_version"],
                decided_at=now,
                decided_by=decided_by,
            )
        )
        comment.status = status
        recorded.append(comment)
    session.flush()
    return recorded


def _categories(decision: Mapping[str, Any]) -> str:
    names = sorted({str(reason["category"]) for reason in decision["reasons"]})
    return f",{','.join(names)}," if names else ""


def author_policies(
    session: Session, comments: Sequence[Comment]
) -> dict[tuple[str, str], tuple[bool, bool]]:
    """(premoderate, banned) of each comment's author, by (site id, author id)."""
    pairs = {(c.site_id, c.author_id) for c in comments}
    if not pairs:
        return {}
    rows = session.execute(
        select(Author.site_id, Author.external_id, Author.premoderate, Author.banned_at).where(
            tuple_(Author.site_id, Author.external_id).in_(pairs)
        )
    ).all()
    return {(r[0], r[1]): (bool(r[2]), r[3] is not None) for r in rows}


def count_by_status(session: Session) -> dict[str, int]:
    """How many comments are in each status, for health and metrics."""
    rows = session.execute(select(Comment.status, func.count()).group_by(Comment.status)).all()
    return {status: count for status, count in rows}


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
