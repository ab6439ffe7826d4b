"""What the console shows beside a comment: counts per site, the author's record, reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, literal, select, union_all
from sqlalchemy.orm import Session

from moderation.store.models import Author, Comment, CommentRevision, Report, Site
from moderation.store.review import QUEUES

#: The queues whose counts the console shows per site: the work still to do.
COUNTED = ("held", "reported")


@dataclass(frozen=True)
class SiteCounts:
    """How many comments wait in the held and reported queues of one site."""

    site: str
    held: int
    reported: int


def counts_by_site(session: Session, site_ids: frozenset[str] | None) -> list[SiteCounts]:
    """Held and reported counts of every site the moderator sees, by site name.

    One count per queue, joined by UNION ALL: each reads its own index (status and site, or
    the partial index of flagged comments), where one pass with OR read the whole table.
    """
    sites = select(Site.id, Site.name).order_by(Site.name)
    if site_ids is not None:
        sites = sites.where(Site.id.in_(site_ids))
    names = {row.id: row.name for row in session.execute(sites)}
    if not names:
        return []
    tallies = union_all(
        *(
            select(Comment.site_id, literal(queue).label("queue"), func.count().label("n"))
            .where(QUEUES[queue], Comment.site_id.in_(names))
            .group_by(Comment.site_id)
            for queue in COUNTED
        )
    )
    found = {(row.site_id, row.queue): int(row.n) for row in session.execute(tallies)}
    return [
        SiteCounts(name, **{queue: found.get((site_id, queue), 0) for queue in COUNTED})
        for site_id, name in names.items()
    ]


@dataclass(frozen=True)
class Earlier:
    """One of the author's comments, as their record shows it."""

    id: str
    status: str
    body: str
    received_at: datetime


@dataclass(frozen=True)
class AuthorRecord:
    """The author's standing orders on the site and their latest comments."""

    premoderate: bool
    banned: bool
    recent: list[Earlier]


def author_record(session: Session, comment: Comment, *, limit: int = 8) -> AuthorRecord:
    """The author's orders and most recent comments on the comment's site."""
    author = session.scalar(
        select(Author).where(
            Author.site_id == comment.site_id, Author.external_id == comment.author_id
        )
    )
    rows = session.execute(
        select(Comment.id, Comment.status, Comment.body, Comment.received_at)
        .where(Comment.site_id == comment.site_id, Comment.author_id == comment.author_id)
        .order_by(Comment.received_at.desc())
        .limit(limit)
    )
    return AuthorRecord(
        premoderate=bool(author and author.premoderate),
        banned=bool(author and author.banned_at is not None),
        recent=[Earlier(r.id, r.status, r.body, r.received_at) for r in rows],
    )


def reports_on(session: Session, comment_id: str, *, limit: int = 50) -> list[Report]:
    """The readers' reports on a comment, oldest first."""
    return list(
        session.scalars(
            select(Report)
            .where(Report.comment_id == comment_id)
            .order_by(Report.created_at)
            .limit(limit)
        )
    )


def revisions_of(session: Session, comment: Comment) -> list[CommentRevision]:
    """A comment's earlier bodies, oldest first (none, without a query, if never edited)."""
    if comment.revision == 1:
        return []
    return list(
        session.scalars(
            select(CommentRevision)
            .where(CommentRevision.comment_id == comment.id)
            .order_by(CommentRevision.revision)
        )
    )
