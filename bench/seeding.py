"""Rows the bench puts in the store before it measures: queued comments and a history."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import cast

from sqlalchemy import Table, insert

from bench.harness import maintain
from bench.loadgen import BODIES, comment_json
from moderation.engine import duplicate_key
from moderation.services import Services
from moderation.store import comments as store
from moderation.store.ids import new_id
from moderation.store.models import Comment, CommentStatus


def record_queued(services: Services, site_id: str, n: int, prefix: str) -> list[str]:
    """Store n queued comments directly (not timed), the way the intake would."""
    now = datetime.now(UTC)
    ids = []
    for i in range(n):
        raw = comment_json(f"{prefix}-{i}", i)
        intake = store.Intake(
            external_id=raw["id"],
            story_id="story-1",
            author_id=raw["author"]["id"],
            body=raw["body"],
            digest=secrets.token_hex(32),
            duplicate_key=duplicate_key(raw["body"]),
        )
        ids.append(store.record_comment(services.db, site_id, intake, now=now)[0].id)
    return ids


#: Decided comments the store holds before anything is measured, as a newsroom's would.
HISTORY = 50_000


def seed_history(services: Services, site_id: str, n: int = HISTORY) -> None:
    """Fill the store with n decided comments from the last 30 days, and gather statistics.

    A running service's tables hold months of comments, and autovacuum keeps their statistics.
    A schema seconds old and empty misleads PostgreSQL: it plans for tiny tables (a scan where
    an index is right) and keeps those plans while the bench grows them by thousands of rows a
    second. The bench's own comments come from the same readers, as a site's regulars' do.
    """
    now = datetime.now(UTC)
    insert_comments(
        services, site_id, n, prefix="history", at=lambda i: now - timedelta(days=30) * (n - i) / n
    )
    maintain(services, "ANALYZE")


def insert_comments(
    services: Services,
    site_id: str,
    n: int,
    *,
    prefix: str,
    at: Callable[[int], datetime],
    decided: bool = True,
    bodies: tuple[str, ...] = BODIES[:2],
) -> list[str]:
    """Insert n comments in bulk, received at at(i): decided (approved) or still queued.

    Bulk, not through the intake: seeding is not what any bench measures. Returns their ids.
    """
    table = cast(Table, Comment.__table__)
    ids: list[str] = []
    with services.db.engine.begin() as connection:
        for start in range(0, n, 5_000):
            rows = []
            for i in range(start, min(n, start + 5_000)):
                when = at(i)
                body = f"{bodies[i % len(bodies)]} ({i})"
                rows.append(
                    {
                        "id": new_id(),
                        "site_id": site_id,
                        "external_id": f"{prefix}-{i}",
                        "request_digest": secrets.token_hex(32),
                        "story_id": f"story-{i % 500}",
                        "author_id": f"reader-{i % 997}",
                        "body": body,
                        "duplicate_key": duplicate_key(body),
                        "received_at": when,
                        "status": CommentStatus.APPROVED if decided else CommentStatus.QUEUED,
                        "revision": 1,
                        "enqueued_at": when,
                        "decided_at": when if decided else None,
                        "categories": "",
                        "report_weight": 0.0,
                    }
                )
            connection.execute(insert(table), rows)
            ids += [str(row["id"]) for row in rows]
    return ids
