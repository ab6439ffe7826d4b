"""Moderators' queues: filtered, cursor-paginated views over comments, and their counts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from moderation.store import paging
from moderation.store.models import Author, Comment, CommentStatus, Decision, Site

#: Each queue as a condition on comments.
QUEUES: dict[str, ColumnElement[bool]] = {
    "held": Comment.status == CommentStatus.HELD,
    "reported": Comment.flagged_at.is_not(None),
    "rejected": Comment.status == CommentStatus.REJECTED,
    "approved": Comment.status == CommentStatus.APPROVED,
}


_S = TypeVar("_S", bound="Select[*tuple[Any, ...]]")


@dataclass(frozen=True)
class Filters:
    """What a moderator narrows a queue to; `site_ids` None means every site (an admin)."""

    site_ids: frozenset[str] | None
    site: str | None = None
    story: str | None = None
    section: str | None = None
    author: str | None = None
    category: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    #: Words the comment's text holds, case folded (the console's search).
    text: str | None = None


def _conditions(filters: Filters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.site_ids is not None:
        conditions.append(Comment.site_id.in_(filters.site_ids))
    if filters.site is not None:
        conditions.append(Site.name == filters.site)
    if filters.story is not None:
        conditions.append(Comment.story_id == filters.story)
    if filters.section is not None:
        conditions.append(Comment.section == filters.section)
    if filters.author is not None:
        conditions.append(Comment.author_id == filters.author)
    if filters.category is not None:
        conditions.append(Comment.categories.contains(f",{filters.category},"))
    if filters.since is not None:
        conditions.append(Comment.received_at >= filters.since)
    if filters.until is not None:
        conditions.append(Comment.received_at < filters.until)
    if filters.text:
        # The words as typed: % and _ match themselves, not any text.
        escaped = filters.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(Comment.body.ilike(f"%{escaped}%", escape="\\"))
    return conditions


def _base(statement: _S, filters: Filters) -> _S:
    return statement.join(Site, Site.id == Comment.site_id).where(and_(True, *_conditions(filters)))


def list_queue(
    session: Session,
    queue: str,
    filters: Filters,
    *,
    after: str | None,
    limit: int,
    newest_first: bool,
    most_severe: bool = False,
) -> tuple[list[tuple[Comment, str]], str | None]:
    """One page of a queue, oldest first by default; returns rows and the next page's cursor.

    most_severe orders by the decision's severity, highest first, then oldest first; its cursor
    is `severity:id`.
    """
    statement = _base(select(Comment, Site.name), filters).where(QUEUES[queue])
    if most_severe:
        return _by_severity(session, statement, after=after, limit=limit)
    rows, cursor = paging.page(
        session, statement, after=after, limit=limit, newest_first=newest_first
    )
    return [(r[0], r[1]) for r in rows], cursor


def _by_severity(
    session: Session, statement: Select[Comment, str], *, after: str | None, limit: int
) -> tuple[list[tuple[Comment, str]], str | None]:
    order = (Comment.severity.desc(), Comment.id.asc())
    if after is not None:
        level, _, last_id = after.partition(":")
        # A cursor is opaque, so any string is one: one this order never gave is past the end
        # (no severity is below -1), as an unknown id past the last is in the other orders.
        worst = int(level) if level.isascii() and level.isdigit() else -1
        statement = statement.where(
            or_(Comment.severity < worst, and_(Comment.severity == worst, Comment.id > last_id))
        )
    # The page's ids first, from the index alone (status, site, severity, id), then their rows:
    # sorting whole rows would read every comment of the queue from the table.
    page = statement.with_only_columns(Comment.id).order_by(*order).limit(limit + 1)
    ordered = statement.where(Comment.id.in_(page.scalar_subquery())).order_by(*order)
    rows = [(r[0], r[1]) for r in session.execute(ordered)]
    more = len(rows) > limit
    rows = rows[:limit]
    if not more:
        return rows, None
    return rows, f"{rows[-1][0].severity}:{rows[-1][0].id}"


def queue_counts(session: Session, filters: Filters) -> dict[str, int]:
    """How many comments each queue holds under the filters."""
    return {
        name: int(
            session.scalar(
                _base(select(func.count()).select_from(Comment), filters).where(condition)
            )
            or 0
        )
        for name, condition in QUEUES.items()
    }


def decisions_for(session: Session, comments: Sequence[Comment]) -> dict[str, Decision]:
    """The engine decision on each comment's current revision, by comment id."""
    if not comments:
        return {}
    rows = session.scalars(
        select(Decision).where(Decision.comment_id.in_([c.id for c in comments]))
    ).all()
    current = {c.id: c.revision for c in comments}
    return {d.comment_id: d for d in rows if current.get(d.comment_id) == d.revision}


def site_name(session: Session, site_id: str) -> str | None:
    """A site's name by id."""
    return session.scalar(select(Site.name).where(Site.id == site_id))


def site_named(session: Session, name: str) -> Site | None:
    """A site by name."""
    return session.scalar(select(Site).where(Site.name == name))


def author_for_order(session: Session, site_id: str, author_id: str) -> Author:
    """A site's author, added if the site has not seen them yet (an order may come first)."""
    author = session.scalar(
        select(Author).where(Author.site_id == site_id, Author.external_id == author_id)
    )
    if author is None:
        author = Author(site_id=site_id, external_id=author_id, comment_count=0)
        session.add(author)
    return author


def standing_comments(session: Session, site_id: str, author_id: str) -> Sequence[Comment]:
    """An author's comments that are queued, approved or held: those a ban may reject."""
    return session.scalars(
        select(Comment).where(
            Comment.site_id == site_id,
            Comment.author_id == author_id,
            Comment.status.in_((CommentStatus.QUEUED, CommentStatus.APPROVED, CommentStatus.HELD)),
        )
    ).all()
