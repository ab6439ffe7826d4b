"""Cursor paging by comment id: ids are time-ordered, so a page's last id is the next cursor."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select
from sqlalchemy.orm import Session

from moderation.store.models import Comment

_S = TypeVar("_S", bound="Select[*tuple[Any, ...]]")


def by_id(statement: _S, *, after: str | None, newest_first: bool) -> _S:
    """The statement ordered by comment id, past the cursor (an id) in that direction."""
    if after is not None:
        statement = statement.where(Comment.id < after if newest_first else Comment.id > after)
    return statement.order_by(Comment.id.desc() if newest_first else Comment.id.asc())


def page(
    session: Session,
    statement: Select[*tuple[Any, ...]],
    *,
    after: str | None,
    limit: int,
    newest_first: bool,
) -> tuple[list[Any], str | None]:
    """One page of rows, and the next page's cursor (or None).

    A row's first column is a Comment, or a comment's id.
    """
    ordered = by_id(statement, after=after, newest_first=newest_first)
    rows = list(session.execute(ordered.limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    if not more:
        return rows, None
    last = rows[-1][0]
    return rows, (last if isinstance(last, str) else last.id)
