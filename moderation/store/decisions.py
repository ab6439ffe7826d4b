"""The worker's side of the store: load a batch to decide, record its decisions in bulk."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    Connection,
    Table,
    bindparam,
    exists,
    func,
    insert,
    select,
    text,
    tuple_,
    update,
)
from sqlalchemy.orm import aliased

from moderation.store.comments import QUEUED, STATUS_FOR_ACTION
from moderation.store.models import AuditEntry, Author, Comment, Decision, Site
from moderation.store.webhooks import WebhookEndpoint

_DECISIONS = cast(Table, Decision.__table__)
_AUDIT = cast(Table, AuditEntry.__table__)
# The statements are built once: composing them per job cost more CPU than running them.
_earlier = aliased(Comment)
_LOAD = (
    select(
        Comment.id,
        Comment.site_id,
        Site.name,
        Comment.external_id,
        Comment.story_id,
        Comment.section,
        Comment.author_id,
        Comment.body,
        Comment.revision,
        Comment.received_at,
        select(func.count())
        .where(
            _earlier.site_id == Comment.site_id,
            _earlier.author_id == Comment.author_id,
            _earlier.received_at < Comment.received_at,
        )
        .scalar_subquery(),
        Author.premoderate,
        Author.banned_at,
        exists().where(WebhookEndpoint.site_id == Comment.site_id, WebhookEndpoint.enabled),
    )
    .join(Site, Site.id == Comment.site_id)
    .outerjoin(
        Author, (Author.site_id == Comment.site_id) & (Author.external_id == Comment.author_id)
    )
    .where(Comment.id.in_(bindparam("ids", expanding=True)), Comment.status == QUEUED)
    .order_by(Comment.id)
)
#: Most earlier bodies per author the duplicate check sees: a flood of thousands of comments
#: an hour must not make every decision read them all; repeats show within the latest ones.
RECENT_LIMIT = 50
_recent_ranked = (
    select(
        Comment.id,
        Comment.site_id,
        Comment.author_id,
        Comment.body,
        Comment.received_at,
        func.row_number()
        .over(
            partition_by=(Comment.site_id, Comment.author_id),
            order_by=Comment.received_at.desc(),
        )
        .label("rank"),
    )
    .where(
        tuple_(Comment.site_id, Comment.author_id).in_(bindparam("pairs", expanding=True)),
        Comment.received_at >= bindparam("since"),
        Comment.received_at <= bindparam("until"),
    )
    .subquery()
)
_RECENT = select(
    _recent_ranked.c.id,
    _recent_ranked.c.site_id,
    _recent_ranked.c.author_id,
    _recent_ranked.c.body,
    _recent_ranked.c.received_at,
).where(_recent_ranked.c.rank <= RECENT_LIMIT + 1)
_DECIDE = (
    update(Comment)
    .where(
        tuple_(Comment.id, Comment.revision).in_(bindparam("keys", expanding=True)),
        Comment.status == QUEUED,
    )
    .values(
        status=bindparam("new_status"),
        decided_at=bindparam("now"),
        categories=bindparam("new_categories"),
    )
    .returning(Comment.id)
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
    status: str = QUEUED


def load_pending(connection: Connection, ids: Iterable[str]) -> list[Pending]:
    """The still-queued comments among `ids`, in id order, with author orders and history."""
    return [
        Pending(
            id=r[0],
            site_id=r[1],
            site=r[2],
            external_id=r[3],
            story_id=r[4],
            section=r[5],
            author_id=r[6],
            body=r[7],
            revision=r[8],
            received_at=r[9],
            prior_comments=int(r[10]),
            premoderate=bool(r[11]),
            banned=r[12] is not None,
            has_webhooks=bool(r[13]),
        )
        for r in connection.execute(_LOAD, {"ids": list(ids)})
    ]


def recent_bodies(
    connection: Connection, pending: Sequence[Pending], *, window: int
) -> dict[str, tuple[str, ...]]:
    """For each comment, its author's other bodies received within `window` seconds before it.

    Only authors with earlier comments can have any, so a batch of first comments costs no query.
    """
    result: dict[str, tuple[str, ...]] = {p.id: () for p in pending}
    returning = [p for p in pending if p.prior_comments > 0]
    if not returning or window <= 0:
        return result
    pairs = list({(p.site_id, p.author_id) for p in returning})
    since = min(p.received_at for p in returning) - timedelta(seconds=window)
    by_author: dict[tuple[str, str], list[Any]] = {}
    until = max(p.received_at for p in returning)
    for row in connection.execute(_RECENT, {"pairs": pairs, "since": since, "until": until}):
        by_author.setdefault((row.site_id, row.author_id), []).append(row)
    for p in returning:
        earliest = p.received_at - timedelta(seconds=window)
        result[p.id] = tuple(
            r.body
            for r in by_author.get((p.site_id, p.author_id), ())
            if r.id != p.id and earliest <= r.received_at <= p.received_at
        )
    return result


def _categories(decision: Mapping[str, Any]) -> str:
    names = sorted({str(reason["category"]) for reason in decision["reasons"]})
    return f",{','.join(names)}," if names else ""


def _codes(decision: Mapping[str, Any]) -> str | None:
    return ",".join(sorted({str(r["code"]) for r in decision["reasons"]})) or None


def record_decisions(
    connection: Connection,
    outcomes: Sequence[tuple[Pending, Mapping[str, Any]]],
    *,
    now: datetime,
    decided_by: str,
) -> list[tuple[Pending, Mapping[str, Any]]]:
    """Record each decision once, with its audit entry; returns the outcomes recorded now.

    The status update is conditional on the comment still being queued at the same revision,
    so a comment that another worker decided, or that was edited since, is left alone and a
    rerun records nothing. Statements are per status and per table, not per comment.
    """
    if connection.dialect.name == "postgresql":
        ours = _record_in_one_statement(connection, outcomes, now=now, decided_by=decided_by)
        return [
            (replace(p, status=STATUS_FOR_ACTION[d["action"]]), d)
            for p, d in outcomes
            if p.id in ours
        ]
    groups: dict[tuple[str, str], list[Pending]] = {}
    for pending, decision in outcomes:
        key = (STATUS_FOR_ACTION[decision["action"]], _categories(decision))
        groups.setdefault(key, []).append(pending)
    won: set[str] = set()
    for (status, categories), members in groups.items():
        params = {
            "keys": [(p.id, p.revision) for p in members],
            "new_status": status,
            "now": now,
            "new_categories": categories,
        }
        won.update(connection.execute(_DECIDE, params).scalars())
    recorded = [
        (replace(p, status=STATUS_FOR_ACTION[d["action"]]), d) for p, d in outcomes if p.id in won
    ]
    if not recorded:
        return []
    connection.execute(
        insert(_DECISIONS),
        [
            {
                "comment_id": p.id,
                "revision": p.revision,
                "action": d["action"],
                "reasons": list(d["reasons"]),
                "ruleset_version": d["ruleset_version"],
                "censored": d.get("censored"),
                "decided_at": now,
                "decided_by": decided_by,
            }
            for p, d in recorded
        ],
    )
    connection.execute(
        insert(_AUDIT),
        [
            {
                "site_id": p.site_id,
                "comment_id": p.id,
                "actor_type": "engine",
                "actor_id": decided_by,
                "action": "decided",
                "from_status": QUEUED,
                "to_status": p.status,
                "reason": _codes(d),
                "note": None,
                "ruleset_version": d["ruleset_version"],
                "created_at": now,
                "data": {"action": d["action"], "revision": p.revision},
            }
            for p, d in recorded
        ],
    )
    return recorded


# On PostgreSQL the whole write is one statement and one round trip: the conditional update,
# the decisions and the audit entries, fed from one JSON document so the text never changes.
_RECORD_PG = text(
    """
WITH input AS (
    SELECT * FROM jsonb_to_recordset(CAST(:outcomes AS jsonb)) AS i(
        id text, revision int, status text, categories text, action text, reasons jsonb,
        ruleset_version text, censored text, codes text, data jsonb
    )
),
won AS (
    UPDATE comments AS c
    SET status = i.status, decided_at = :now, categories = i.categories
    FROM input AS i
    WHERE c.id = i.id AND c.revision = i.revision AND c.status = 'queued'
    RETURNING c.id, c.site_id, c.revision, i.status, i.action, i.reasons, i.ruleset_version,
        i.censored, i.codes, i.data
),
decided AS (
    INSERT INTO decisions
        (comment_id, revision, action, reasons, ruleset_version, censored, decided_at, decided_by)
    SELECT id, revision, action, CAST(reasons AS json), ruleset_version, censored, :now,
        :decided_by
    FROM won
)
INSERT INTO audit_entries (site_id, comment_id, actor_type, actor_id, action, from_status,
    to_status, reason, ruleset_version, data, created_at)
SELECT site_id, id, 'engine', :decided_by, 'decided', 'queued', status, codes,
    ruleset_version, CAST(data AS json), :now
FROM won
RETURNING comment_id
"""
)


def _record_in_one_statement(
    connection: Connection,
    outcomes: Sequence[tuple[Pending, Mapping[str, Any]]],
    *,
    now: datetime,
    decided_by: str,
) -> set[str]:
    document = [
        {
            "id": p.id,
            "revision": p.revision,
            "status": STATUS_FOR_ACTION[d["action"]],
            "categories": _categories(d),
            "action": d["action"],
            "reasons": list(d["reasons"]),
            "ruleset_version": d["ruleset_version"],
            "censored": d.get("censored"),
            "codes": _codes(d),
            "data": {"action": d["action"], "revision": p.revision},
        }
        for p, d in outcomes
    ]
    params = {"outcomes": json.dumps(document), "now": now, "decided_by": decided_by}
    return set(connection.execute(_RECORD_PG, params).scalars())
