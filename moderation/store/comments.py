"""Repository functions for comments: intake, lookup, sweeping and recording decisions."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Row, Table, bindparam, exists, func, literal_column, select, update
from sqlalchemy import cast as cast_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from moderation.store import driver
from moderation.store.db import Database
from moderation.store.ids import new_id
from moderation.store.models import (
    Comment,
    CommentRevision,
    CommentStatus,
    Decision,
    Site,
    Story,
    StoryComments,
)


class StoryIsClosed(Exception):
    """The comment's story is closed to comments: nothing was stored."""


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
    story_title: str | None = None
    section: str | None = None
    author_name: str | None = None
    parent_id: str | None = None
    language: str | None = None
    created_at: datetime | None = None
    idempotency_key: str | None = None
    #: The body's engine.duplicate_key, kept so later duplicate checks need not read the body.
    duplicate_key: str | None = None


@dataclass(frozen=True, slots=True)
class NewComment:
    """A comment as the intake just stored it, with the fields its answer needs."""

    # Not the ORM's Comment: building one cost as much CPU as inserting the row.

    id: str
    site_id: str
    external_id: str
    request_digest: str
    story_id: str
    section: str | None
    author_id: str
    received_at: datetime
    status: str = CommentStatus.QUEUED
    revision: int = 1
    decided_at: datetime | None = None

    @classmethod
    def of(cls, row: dict[str, Any]) -> NewComment:
        """From the row record_comment or record_many inserted."""
        return cls(
            id=row["id"],
            site_id=row["site_id"],
            external_id=row["external_id"],
            request_digest=row["request_digest"],
            story_id=row["story_id"],
            section=row["section"],
            author_id=row["author_id"],
            received_at=row["received_at"],
        )


#: A stored comment as the intake answers with it: just inserted, or found from before.
Stored = Comment | NewComment


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


#: What every new comment starts with, whatever was posted: written into the PostgreSQL insert
#: itself, so the driver adapts fewer parameters per row.
_FRESH: dict[str, Any] = {
    "status": CommentStatus.QUEUED.value,  # a plain str: written into the SQL as a literal
    "revision": 1,
    "decided_at": None,
    "categories": "",
    "severity": 0,
    "report_weight": 0.0,
}


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
        "story_title": intake.story_title,
        "section": intake.section,
        "author_id": intake.author_id,
        "author_name": intake.author_name,
        "parent_id": intake.parent_id,
        "language": intake.language,
        "body": intake.body,
        "duplicate_key": intake.duplicate_key,
        "created_at": intake.created_at,
        "received_at": now,
        "enqueued_at": now,
        **_FRESH,
    }


_TABLE = cast(Table, Comment.__table__)
#: A story closed to comments: the insert itself skips its comments, so the intake pays no
#: extra round trip to ask, and a skipped row that matches no stored comment means closed.
_CLOSED = exists().where(
    Story.site_id == bindparam("site_id"),
    Story.id == bindparam("story_id"),
    # Written into the SQL: the batch insert's executemany passes the rows' values alone.
    Story.comments == literal_column(f"'{StoryComments.CLOSED.value}'"),
)


def _guarded(insert: Any, values: dict[str, Any]) -> Any:
    """INSERT … SELECT the row's values unless its story is closed; conflicting rows skipped."""
    chosen = select(*(value.label(name) for name, value in values.items())).where(~_CLOSED)
    return insert(_TABLE).from_select(list(values), chosen).on_conflict_do_nothing()


_IDS_BY_EXTERNAL = select(Comment.external_id, Comment.id).where(
    Comment.site_id == bindparam("site_id"),
    Comment.external_id.in_(bindparam("external_ids", expanding=True)),
)
_COLUMNS = list(_row("", Intake("", "", "", "", ""), datetime.min))  # every column _row fills
_INSERT = _guarded(sqlite.insert, {c: bindparam(c, type_=_TABLE.c[c].type) for c in _COLUMNS})
# On PostgreSQL parameters go as text (driver.Statement.run): the casts type them.
_INSERT_PG = _guarded(
    postgresql.insert,
    {
        c: driver.inline(_FRESH[c]) if c in _FRESH else cast_(bindparam(c), _TABLE.c[c].type)
        for c in _COLUMNS
    },
)
#: On PostgreSQL the insert runs on the driver: for one row, its row count says whether the row
#: was stored; for many, each row stored returns its id.
_INSERT_ONE_PG = driver.Statement.of(_INSERT_PG)
_INSERT_MANY_PG = driver.Statement.of(_INSERT_PG.returning(Comment.id))


def _insert(db: Database, rows: list[dict[str, Any]]) -> set[str]:
    """Insert rows that conflict with no stored comment; returns the ids of those stored."""
    if db.is_postgresql:
        with db.driver() as connection:
            if len(rows) == 1:
                stored = _INSERT_ONE_PG.run(connection, rows[0]).count
                return {rows[0]["id"]} if stored else set()
            with connection.cursor() as cursor:
                # One prepared statement, pipelined for many rows: a multi-row VALUES list cost
                # more to parse than to run.
                cursor.executemany(_INSERT_MANY_PG.sql, rows, returning=True)
                inserted: set[str] = set()
                while True:
                    inserted.update(row[0] for row in cursor.fetchall())
                    if not cursor.nextset():
                        return inserted
    with db.session() as session:
        connection = session.connection()
        # SQLite's insert returns nothing per row of an executemany: read back whose rows won.
        connection.execute(_INSERT, rows)
        by_external = {row["external_id"]: row["id"] for row in rows}
        found = connection.execute(
            _IDS_BY_EXTERNAL, {"site_id": rows[0]["site_id"], "external_ids": list(by_external)}
        ).all()
    return {id_ for external_id, id_ in found if by_external[external_id] == id_}


def _earlier(db: Database, site_id: str, external_ids: list[str]) -> dict[str, Comment]:
    if not external_ids:
        return {}
    with db.session() as session:
        found = session.scalars(
            select(Comment).where(Comment.site_id == site_id, Comment.external_id.in_(external_ids))
        )
        return {c.external_id: c for c in found}


def record_comment(
    db: Database, site_id: str, intake: Intake, *, now: datetime
) -> tuple[Stored, bool]:
    """Store a new comment as queued, or return the one this request already created.

    One statement on the common path: the insert skips a row whose id or key exists, and only
    then do we read the existing one. Returns the comment and whether it was created now.
    Raises DuplicateMismatch when the id or key was used for another body.
    """
    row = _row(site_id, intake, now)
    if _insert(db, [row]):
        return NewComment.of(row), True
    with db.session() as session:
        existing = _existing(session, site_id, intake)
    if existing is None:  # nothing conflicted: the story's closure skipped the row
        raise StoryIsClosed(intake.story_id)
    return existing, False


def record_many(
    db: Database, site_id: str, intakes: Sequence[Intake], *, now: datetime
) -> list[tuple[Stored, bool] | DuplicateMismatch | StoryIsClosed]:
    """Store a batch with one pipelined insert; each item is new, a replay, or a mismatch."""
    rows: dict[str, dict[str, Any]] = {}
    for intake in intakes:
        rows.setdefault(intake.external_id, _row(site_id, intake, now))
    inserted = _insert(db, list(rows.values()))
    earlier = _earlier(db, site_id, [k for k, row in rows.items() if row["id"] not in inserted])
    results: list[tuple[Stored, bool] | DuplicateMismatch | StoryIsClosed] = []
    created: dict[str, NewComment] = {}
    for intake in intakes:
        key = intake.external_id
        if rows[key]["id"] in inserted and key not in created:
            created[key] = NewComment.of(rows[key])
            results.append((created[key], True))
            continue
        original = created.get(key) or earlier.get(key)
        if original is None:
            results.append(StoryIsClosed(intake.story_id))
        elif original.request_digest != intake.digest:
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


def latest_decision(session: Session, comment: Stored) -> Decision | None:
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
            .where(Comment.status == CommentStatus.QUEUED, Comment.enqueued_at < cutoff)
            .order_by(Comment.enqueued_at)
            .limit(limit)
        )
    )


def mark_enqueued(session: Session, ids: Sequence[str], *, now: datetime) -> None:
    """Note that these comments were (re-)enqueued now, so the sweeper leaves them be a while."""
    if ids:
        session.execute(
            update(Comment)
            .where(Comment.id.in_(ids), Comment.status == CommentStatus.QUEUED)
            .values(enqueued_at=now)
        )


def add_revision(
    session: Session, comment: Comment, *, body: str, duplicate_key: str, now: datetime
) -> None:
    """Keep the current body as a revision and queue the comment again with the new one."""
    session.add(
        CommentRevision(
            comment_id=comment.id, revision=comment.revision, body=comment.body, created_at=now
        )
    )
    comment.body = body
    comment.duplicate_key = duplicate_key
    comment.revision += 1
    comment.status = CommentStatus.QUEUED
    comment.enqueued_at = now
    comment.decided_at = None
    comment.categories = ""
    comment.severity = 0


def revisions(session: Session, comment_id: str) -> Sequence[CommentRevision]:
    """A comment's earlier bodies, oldest first."""
    return session.scalars(
        select(CommentRevision)
        .where(CommentRevision.comment_id == comment_id)
        .order_by(CommentRevision.revision)
    ).all()


#: Comment statuses that are a moderator's verdict (the comment row's, set by the review API).
VERDICTS = (CommentStatus.APPROVED, CommentStatus.REJECTED)


def verdicts(session: Session, site_id: str) -> Iterator[Row[Any]]:
    """A site's comments a moderator approved or rejected, oldest first, streamed: rows of
    (id, body, status, review_reason)."""
    return iter(
        session.execute(
            select(Comment.id, Comment.body, Comment.status, Comment.review_reason)
            .where(
                Comment.site_id == site_id,
                Comment.reviewed_by.is_not(None),
                Comment.status.in_(VERDICTS),
            )
            .order_by(Comment.received_at, Comment.id)
            .execution_options(yield_per=1000)
        )
    )


def queued_summary(session: Session) -> tuple[int, datetime | None]:
    """How many comments wait for a decision, and when the oldest of them was received."""
    row = session.execute(
        select(func.count().label("waiting"), func.min(Comment.received_at).label("oldest")).where(
            Comment.status == CommentStatus.QUEUED
        )
    ).one()
    return int(row.waiting), row.oldest


def site_names(session: Session, ids: Collection[str]) -> dict[str, str]:
    """The name of the site of each of these comments (those that exist)."""
    rows = session.execute(
        select(Comment.id, Site.name)
        .join(Site, Site.id == Comment.site_id)
        .where(Comment.id.in_(ids))
    )
    return {row.id: row.name for row in rows}
