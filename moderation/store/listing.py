"""A site's comments as its pages read them: filtered, cursor-paged, optionally threaded."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, and_, select
from sqlalchemy.orm import Session

from moderation.store import paging
from moderation.store.models import Comment, CommentStatus

#: What a listing shows of a comment: columns, not the ORM's objects, which cost a page of 50
#: several times the query.
COLUMNS = (
    Comment.id,
    Comment.external_id,
    Comment.status,
    Comment.revision,
    Comment.story_id,
    Comment.section,
    Comment.author_id,
    Comment.author_name,
    Comment.parent_id,
    Comment.body,
    Comment.created_at,
    Comment.received_at,
    Comment.decided_at,
)
#: A comment as listed: a row of COLUMNS, read by name.
Listed = Row[Any]
#: How many levels of replies a thread follows below its top-level comment.
THREAD_DEPTH = 10


@dataclass(frozen=True)
class Listing:
    """What a site narrows its comments to; None leaves a filter out."""

    site_id: str
    story_id: str | None = None
    status: str | None = None
    author_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    #: Text the body contains, matched without regard to case.
    q: str | None = None


def _like(text: str) -> str:
    # The caller's text is matched as is: % and _ in it are not wildcards.
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _conditions(listing: Listing) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = [Comment.site_id == listing.site_id]
    if listing.story_id is not None:
        found.append(Comment.story_id == listing.story_id)
    if listing.status is not None:
        found.append(Comment.status == listing.status)
    if listing.author_id is not None:
        found.append(Comment.author_id == listing.author_id)
    if listing.since is not None:
        found.append(Comment.received_at >= listing.since)
    if listing.until is not None:
        found.append(Comment.received_at < listing.until)
    if listing.q is not None:
        found.append(Comment.body.ilike(_like(listing.q), escape="\\"))
    return found


def list_comments(
    session: Session,
    listing: Listing,
    *,
    after: str | None,
    limit: int,
    newest_first: bool,
    top_level: bool = False,
) -> tuple[list[Listed], str | None]:
    """One page of the site's comments under the filters, and the next page's cursor."""
    statement = select(*COLUMNS).where(and_(*_conditions(listing)))
    if top_level:
        statement = statement.where(Comment.parent_id.is_(None))
    rows, cursor = paging.page(
        session, statement, after=after, limit=limit, newest_first=newest_first
    )
    return rows, cursor


def approved_replies(session: Session, site_id: str, roots: Sequence[Listed]) -> list[Listed]:
    """Every approved reply below these comments, level by level, oldest first in each level.

    A reply names its parent by the site's comment id; a reply whose parent is not approved
    is left out with it, as the page would not show it.
    """
    found: list[Listed] = []
    parents = [c.external_id for c in roots]
    for _ in range(THREAD_DEPTH):
        if not parents:
            break
        level: list[Listed] = list(
            session.execute(
                select(*COLUMNS)
                .where(
                    Comment.site_id == site_id,
                    Comment.parent_id.in_(parents),
                    Comment.status == CommentStatus.APPROVED,
                )
                .order_by(Comment.id)
            )
        )
        found.extend(level)
        parents = [c.external_id for c in level]
    return found
