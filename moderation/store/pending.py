"""The worker's read: a batch of queued comments, with all their decisions need, in two queries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    any_,
    bindparam,
    case,
    exists,
    func,
    select,
    true,
    tuple_,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import aliased

from moderation.store import driver
from moderation.store.db import Database
from moderation.store.models import Author, Comment, CommentStatus, Site, Story, StoryComments
from moderation.store.webhooks import WebhookEndpoint

# The statements are built once: composing them per job cost more CPU than running them.
_earlier = aliased(Comment)
# Earlier comments are counted up to a limit, not all: the rules only ask whether an author has
# fewer than new_author_hold (capped by engine.schema), and a regular with thousands of comments
# must not make each of their decisions count them all.
_prior = (
    select(_earlier.received_at)  # in the author index: read from the index alone
    .where(
        _earlier.site_id == Comment.site_id,
        _earlier.author_id == Comment.author_id,
        _earlier.received_at < Comment.received_at,
    )
    .limit(bindparam("prior_limit", type_=Integer))
    .correlate_except(_earlier)
    .subquery()
)


def _load(chosen: ColumnElement[bool]) -> Select[*tuple[Any, ...]]:
    statement: Select[*tuple[Any, ...]] = (
        select(
            Comment.id,
            Comment.site_id,
            Site.name.label("site"),
            Comment.external_id,
            Comment.story_id,
            Comment.section,
            Comment.author_id,
            Comment.body,
            Comment.revision,
            Comment.received_at,
            select(func.count()).select_from(_prior).scalar_subquery().label("prior_comments"),
            Author.premoderate,
            Author.banned_at,
            exists()
            .where(WebhookEndpoint.site_id == Comment.site_id, WebhookEndpoint.enabled)
            .label("has_webhooks"),
            Comment.status,
            Story.comments.label("story_comments"),
        )
        .join(Site, Site.id == Comment.site_id)
        .outerjoin(
            Author,
            (Author.site_id == Comment.site_id) & (Author.external_id == Comment.author_id),
        )
        .outerjoin(Story, (Story.site_id == Comment.site_id) & (Story.id == Comment.story_id))
        # Still queued is checked on the rows read, not in SQL: a status condition lets the
        # planner pick the index of queued comments and read the whole backlog for one id.
        .where(chosen)
        .order_by(Comment.id)
    )
    return statement


_TEXTS = ARRAY(String)
_LOAD = _load(Comment.id.in_(bindparam("ids", expanding=True)))
# PostgreSQL's, run on the driver (store.driver): an array takes any number of ids in one
# prepared statement. One id, the usual job when the queue is short, has its own: PostgreSQL
# plans `id = ANY(array)` anew each time (it cannot know the array is short), but keeps one
# plan for `id = value`.
_LOAD_PG = driver.Statement.of(_load(Comment.id == any_(bindparam("ids", type_=_TEXTS))))
_LOAD_ONE_PG = driver.Statement.of(_load(Comment.id == bindparam("id")))
#: Most earlier comments per author the duplicate check sees: a flood of thousands of comments
#: an hour must not make every decision read them all; repeats show within the latest ones.
RECENT_LIMIT = 50
#: What the duplicate check reads of an earlier comment: its key, and its body only when it has
#: no key (stored before keys were): bodies are most of the bytes, and folding them the CPU.
_EARLIER = (
    Comment.id,
    Comment.site_id,
    Comment.author_id,
    Comment.duplicate_key,
    case((Comment.duplicate_key.is_(None), Comment.body)).label("body"),
    Comment.received_at,
)


def _recent(authors: ColumnElement[bool]) -> Select[*tuple[Any, ...]]:
    ranked = (
        select(
            *_EARLIER,
            func.row_number()
            .over(
                partition_by=(Comment.site_id, Comment.author_id),
                order_by=Comment.received_at.desc(),
            )
            .label("rank"),
        )
        .where(
            authors,
            Comment.received_at >= bindparam("since"),
            Comment.received_at <= bindparam("until"),
        )
        .subquery()
    )
    return select(*(ranked.c[column.key] for column in _EARLIER)).where(
        ranked.c.rank <= RECENT_LIMIT + 1
    )


def _recent_lateral() -> Select[*tuple[Any, ...]]:
    # Per author, the latest bodies straight off the (site, author, received_at) index, newest
    # first and stopping at the limit: it reads as little for a prolific author as for anyone.
    # The pairs come as two arrays unnested side by side: psycopg sends arrays natively.
    authors = (
        func.unnest(bindparam("sites", type_=_TEXTS), bindparam("authors", type_=_TEXTS))
        .table_valued("site_id", "author_id")
        .render_derived(name="author")
    )
    latest = (
        select(*_EARLIER)
        .where(
            Comment.site_id == authors.c.site_id,
            Comment.author_id == authors.c.author_id,
            Comment.received_at >= bindparam("since"),
            Comment.received_at <= bindparam("until"),
        )
        .order_by(Comment.received_at.desc())
        .limit(RECENT_LIMIT + 1)
        .lateral()
    )
    return select(*(latest.c[column.key] for column in _EARLIER)).select_from(
        authors.join(latest, true())
    )


#: The history read, in each database's words: PostgreSQL reads each author's latest comments
#: off the index and stops at the limit (a flood of thousands must not be read for each of its
#: comments); SQLite, without LATERAL, ranks them.
_RECENT_PG = driver.Statement.of(_recent_lateral())
_RECENT_SQLITE = _recent(
    tuple_(Comment.site_id, Comment.author_id).in_(bindparam("pairs", expanding=True))
)


@dataclass(frozen=True, slots=True)
class Pending:
    """A queued comment with everything its decision needs, read in one query."""

    id: str
    site_id: str
    site: str
    external_id: str
    story_id: str
    section: str | None
    author_id: str
    body: str
    revision: int
    received_at: datetime
    prior_comments: int
    premoderate: bool
    banned: bool
    has_webhooks: bool
    #: The site pre-moderates the comment's story: it is held whatever the engine says.
    story_premoderated: bool = False
    status: str = CommentStatus.QUEUED


def _still_queued(rows: Iterable[Any]) -> list[Pending]:
    return [
        Pending(
            id=r.id,
            site_id=r.site_id,
            site=r.site,
            external_id=r.external_id,
            story_id=r.story_id,
            section=r.section,
            author_id=r.author_id,
            body=r.body,
            revision=r.revision,
            received_at=r.received_at,
            prior_comments=int(r.prior_comments),
            premoderate=bool(r.premoderate),
            banned=r.banned_at is not None,
            has_webhooks=bool(r.has_webhooks),
            story_premoderated=r.story_comments == StoryComments.PREMODERATED,
        )
        for r in rows
        if r.status == CommentStatus.QUEUED
    ]


#: An earlier comment as the duplicate check needs it: (duplicate key, or None and the body).
Earlier = tuple[str | None, str | None]


def load_batch(
    db: Database, ids: Sequence[str], *, window: int, prior_limit: int
) -> tuple[list[Pending], dict[str, tuple[Earlier, ...]]]:
    """The still-queued comments among `ids`, in id order, with author orders and history.

    Each author's earlier comments are counted up to `prior_limit` (at least 1: whether there
    are any decides the next query). The history is, per comment, its author's other comments
    received within `window` seconds before it, as Earlier pairs. Only authors with earlier
    comments can have any, so a batch of first comments costs one query. Both reads commit by
    themselves: no transaction spans the engine's run.
    """
    limit = max(1, prior_limit)
    if db.is_postgresql:
        with db.driver() as connection:
            found = (
                _LOAD_ONE_PG.run(connection, {"id": ids[0], "prior_limit": limit})
                if len(ids) == 1
                else _LOAD_PG.run(connection, {"ids": list(ids), "prior_limit": limit})
            ).rows
            pending = _still_queued(found)
            returning = _returning(pending, window)
            params = _recent_params("postgresql", returning, window)
            rows = _RECENT_PG.run(connection, params).rows if returning else []
    else:
        with db.autocommit() as session:
            connection = session.connection()
            pending = _still_queued(
                connection.execute(_LOAD, {"ids": list(ids), "prior_limit": limit})
            )
            returning = _returning(pending, window)
            params = _recent_params("sqlite", returning, window)
            rows = list(connection.execute(_RECENT_SQLITE, params)) if returning else []
    return pending, _history(pending, returning, rows, window)


def _returning(pending: Sequence[Pending], window: int) -> list[Pending]:
    # Only authors with earlier comments can have a history to read.
    return [p for p in pending if p.prior_comments > 0] if window > 0 else []


def _recent_params(dialect: str, returning: Sequence[Pending], window: int) -> dict[str, Any]:
    if not returning:
        return {}
    pairs = list({(p.site_id, p.author_id) for p in returning})
    # PostgreSQL takes the pairs as two arrays, unnested side by side; SQLite as a tuple list.
    by_dialect = (
        {"sites": [s for s, _ in pairs], "authors": [a for _, a in pairs]}
        if dialect == "postgresql"
        else {"pairs": pairs}
    )
    return {
        **by_dialect,
        "since": min(p.received_at for p in returning) - timedelta(seconds=window),
        "until": max(p.received_at for p in returning),
    }


def _history(
    pending: Sequence[Pending],
    returning: Sequence[Pending],
    rows: Iterable[Any],
    window: int,
) -> dict[str, tuple[Earlier, ...]]:
    # Rows by column name: SQLAlchemy's or the driver's named tuples.
    by_author: dict[tuple[str, str], list[Any]] = {}
    for row in rows:
        by_author.setdefault((row.site_id, row.author_id), []).append(row)
    result: dict[str, tuple[Earlier, ...]] = {p.id: () for p in pending}
    for p in returning:
        earliest = p.received_at - timedelta(seconds=window)
        result[p.id] = tuple(
            (r.duplicate_key, r.body)
            for r in by_author.get((p.site_id, p.author_id), ())
            if r.id != p.id and earliest <= r.received_at <= p.received_at
        )
    return result
