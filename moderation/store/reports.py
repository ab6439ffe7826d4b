"""Repository functions for reader reports and reporters' track records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from moderation.store.models import Comment, Report

#: The reasons a reader may give, as the site's report form offers them.
REASONS = (
    "offensive",
    "harassment",
    "hate",
    "spam",
    "personal_data",
    "misinformation",
    "off_topic",
    "other",
)


def find_report(session: Session, site_id: str, report_id: str) -> Report | None:
    """A site's report by id."""
    return session.scalar(select(Report).where(Report.site_id == site_id, Report.id == report_id))


def existing_report(session: Session, comment_id: str, reporter_id: str) -> Report | None:
    """The report this reporter already filed on this comment, if any."""
    return session.scalar(
        select(Report).where(Report.comment_id == comment_id, Report.reporter_id == reporter_id)
    )


def reports_since(
    session: Session, site_id: str, reporter_id: str, since: datetime
) -> tuple[int, datetime | None]:
    """How many reports a reporter filed on a site since a moment, and the oldest one's time."""
    count, oldest = session.execute(
        select(func.count(), func.min(Report.created_at)).where(
            Report.site_id == site_id,
            Report.reporter_id == reporter_id,
            Report.created_at >= since,
        )
    ).one()
    if oldest is not None and oldest.tzinfo is None:  # SQLite hands aggregates back naive
        oldest = oldest.replace(tzinfo=UTC)
    return int(count), oldest


def reporter_weight(session: Session, site_id: str, reporter_id: str) -> float:
    """How much a new report of this reporter counts, from how their past reports ended.

    A reporter with at least 3 upheld reports and at least twice as many upheld as dismissed
    counts double; one with at least 3 dismissed and at least twice as many dismissed as upheld
    counts half; everyone else counts once.
    """
    rows = session.execute(
        select(Report.state, func.count())
        .where(
            Report.site_id == site_id,
            Report.reporter_id == reporter_id,
            Report.state.in_(("upheld", "dismissed")),
        )
        .group_by(Report.state)
    ).all()
    counts = {state: int(count) for state, count in rows}
    upheld, dismissed = counts.get("upheld", 0), counts.get("dismissed", 0)
    if upheld >= 3 and upheld >= 2 * dismissed:
        return 2.0
    if dismissed >= 3 and dismissed >= 2 * upheld:
        return 0.5
    return 1.0


@dataclass(frozen=True)
class Weighed:
    """A comment's row as it stands once a report's weight is added, its row locked."""

    total: float
    flagged_at: datetime | None
    status: str


def add_weight(session: Session, comment_id: str, weight: float) -> Weighed:
    """Add a report's weight to its comment atomically; returns the row as it now stands.

    The update locks the row until the transaction ends, and the row is read after it: a
    concurrent report's flag, committed meanwhile, is seen here, so the threshold is crossed
    once however many reports arrive at once.
    """
    session.execute(
        update(Comment)
        .where(Comment.id == comment_id)
        .values(report_weight=Comment.report_weight + weight)
        .execution_options(synchronize_session=False)
    )
    row = session.execute(
        select(Comment.report_weight, Comment.flagged_at, Comment.status).where(
            Comment.id == comment_id
        )
    ).one()
    return Weighed(float(row.report_weight or 0), row.flagged_at, row.status)


def resolve_open(
    session: Session, comment_id: str, *, state: str, public_note: str | None, now: datetime
) -> int:
    """Close a comment's open reports as upheld or dismissed; returns how many."""
    result = session.execute(
        update(Report)
        .where(Report.comment_id == comment_id, Report.state == "open")
        .values(state=state, public_note=public_note, resolved_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def hour_ago(now: datetime) -> datetime:
    """The start of the rate-limit window."""
    return now - timedelta(hours=1)
