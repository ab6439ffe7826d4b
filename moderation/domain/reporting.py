"""Reader reports: file one, weigh it, and move a comment to the reported queue at the threshold."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError

from moderation import metrics
from moderation.domain import events
from moderation.errors import NotFound, RateLimited
from moderation.services import Services
from moderation.store import audit, reports
from moderation.store.comments import find_comment
from moderation.store.ids import new_id
from moderation.store.models import ActorType, AuditAction, CommentStatus, Report, Site


@dataclass(frozen=True)
class Filed:
    """The report a request produced, and whether it was new."""

    report: Report
    created: bool


def file_report(
    services: Services,
    site: Site,
    comment_id: str,
    *,
    reporter_id: str,
    reason: str,
    text: str | None,
) -> Filed:
    """Record a report once per reporter and comment; flag (and maybe hide) at the threshold."""
    now = datetime.now(UTC)
    deliveries: list[str] = []
    with services.db.session() as session:
        comment = find_comment(session, site.id, comment_id)
        if comment is None:
            raise NotFound(f"No comment {comment_id} on this site.")
        existing = reports.existing_report(session, comment.id, reporter_id)
        if existing is not None:
            return Filed(existing, False)
        limit = services.settings.reports_per_hour
        window_start = reports.hour_ago(now)
        count, oldest = reports.reports_since(session, site.id, reporter_id, window_start)
        if count >= limit:
            wait = (oldest or window_start) - window_start
            raise RateLimited(
                f"A reporter may file at most {limit} reports an hour.",
                retry_after=max(1, math.ceil(wait.total_seconds())),
            )
        report = Report(
            id=new_id(),
            site_id=site.id,
            comment_id=comment.id,
            reporter_id=reporter_id,
            reason=reason,
            text=text,
            weight=reports.reporter_weight(session, site.id, reporter_id),
            state="open",
            created_at=now,
        )
        try:
            with session.begin_nested():
                session.add(report)
                session.flush()
        except IntegrityError:
            # The same reporter's concurrent request won: answer with its report.
            raced = reports.existing_report(session, comment.id, reporter_id)
            if raced is None:
                raise
            return Filed(raced, False)
        weighed = reports.add_weight(session, comment.id, report.weight)
        total = weighed.total
        audit.append(
            session,
            site_id=site.id,
            comment_id=comment.id,
            actor_type=ActorType.REPORTER,
            actor_id=reporter_id,
            action=AuditAction.REPORTED,
            reason=reason,
            note=text,
            now=now,
            data={"report_id": report.id, "weight": report.weight, "total_weight": total},
        )
        deliveries += events.emit(
            session,
            comment,
            events.REPORTED,
            now=now,
            report={"id": report.id, "reason": reason, "weight": report.weight},
        )
        threshold = site.report_threshold or services.settings.report_threshold
        # The row as it stands under this transaction's lock, not as first read: of reports
        # filed at once, only the first to cross the threshold flags the comment.
        if (
            weighed.flagged_at is None
            and weighed.status != CommentStatus.REJECTED
            and total >= threshold
        ):
            comment.flagged_at = now
            before = comment.status = weighed.status
            hide = site.hide_on_report and before == CommentStatus.APPROVED
            if hide:
                comment.status = CommentStatus.HELD
            audit.append(
                session,
                site_id=site.id,
                comment_id=comment.id,
                actor_type=ActorType.SYSTEM,
                actor_id=None,
                action=AuditAction.FLAGGED_BY_REPORTS,
                from_status=before,
                to_status=comment.status,
                reason=f"reports weigh {total:g} ≥ {threshold}",
                now=now,
            )
            if hide:
                deliveries += events.emit(
                    session,
                    comment,
                    events.STATUS_CHANGED,
                    now=now,
                    from_status=before,
                    to_status=comment.status,
                    reason="reported",
                )
    services.webhooks.enqueue(deliveries)
    metrics.REPORTS.labels(reason).inc()
    return Filed(report, True)
