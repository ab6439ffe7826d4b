"""The worker's side of the store: load a batch to decide, record its decisions in bulk."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    Select,
    String,
    Table,
    any_,
    bindparam,
    case,
    exists,
    func,
    insert,
    select,
    text,
    true,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import aliased

from moderation.store import driver
from moderation.store.comments import QUEUED, STATUS_FOR_ACTION
from moderation.store.db import Database
from moderation.store.models import (
    AuditEntry,
    Author,
    Comment,
    Decision,
    Site,
    Story,
    StoryComments,
)
from moderation.store.webhooks import WebhookEndpoint

_DECISIONS = cast(Table, Decision.__table__)
_AUDIT = cast(Table, AuditEntry.__table__)
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
            Site.name,
            Comment.external_id,
            Comment.story_id,
            Comment.section,
            Comment.author_id,
            Comment.body,
            Comment.revision,
            Comment.received_at,
            select(func.count()).select_from(_prior).scalar_subquery(),
            Author.premoderate,
            Author.banned_at,
            exists().where(WebhookEndpoint.site_id == Comment.site_id, WebhookEndpoint.enabled),
            Comment.status,
            Story.comments,
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
_LOAD_PG = driver.Statement.of(_load(Comment.id == any_(bindparam("ids", type_=_TEXTS))))
# One id, the usual job when the queue is short: PostgreSQL plans `id = ANY(array)` anew each
# time (it cannot know the array is short), but keeps one plan for `id = value`.
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


_RECENT = _recent(
    tuple_(Comment.site_id, Comment.author_id).in_(bindparam("pairs", expanding=True))
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


_RECENT_PG = driver.Statement.of(_recent_lateral())
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
        severity=bindparam("new_severity"),
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
    #: The site pre-moderates the comment's story: it is held whatever the engine says.
    story_premoderated: bool = False
    status: str = QUEUED


def _pending(r: Sequence[Any]) -> Pending:
    return Pending(
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
        story_premoderated=r[15] == StoryComments.PREMODERATED,
    )


def _still_queued(rows: Iterable[Sequence[Any]]) -> list[Pending]:
    # The status is column 14, between the author's and the story's.
    return [_pending(r) for r in rows if r[14] == QUEUED]


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
    limit = {"prior_limit": max(1, prior_limit)}
    if db.is_postgresql:
        with db.driver() as connection:
            found = (
                _LOAD_ONE_PG.run(connection, {"id": ids[0], **limit})
                if len(ids) == 1
                else _LOAD_PG.run(connection, {"ids": list(ids), **limit})
            ).rows
            pending = _still_queued(found)
            returning, params = _recent_params(pending, window)
            rows: list[Any] = []
            if returning:
                pairs = params.pop("pairs")
                params |= {"sites": [s for s, _ in pairs], "authors": [a for _, a in pairs]}
                rows = _RECENT_PG.run(connection, params).rows
    else:
        with db.autocommit() as session:
            connection = session.connection()
            pending = _still_queued(connection.execute(_LOAD, {"ids": list(ids), **limit}))
            returning, params = _recent_params(pending, window)
            rows = list(connection.execute(_RECENT, params)) if returning else []
    return pending, _history(pending, returning, rows, window)


def _recent_params(pending: Sequence[Pending], window: int) -> tuple[list[Pending], dict[str, Any]]:
    returning = [p for p in pending if p.prior_comments > 0] if window > 0 else []
    if not returning:
        return [], {}
    return returning, {
        "pairs": list({(p.site_id, p.author_id) for p in returning}),
        "since": min(p.received_at for p in returning) - timedelta(seconds=window),
        "until": max(p.received_at for p in returning),
    }


def _history(
    pending: Sequence[Pending],
    returning: Sequence[Pending],
    rows: Iterable[Sequence[Any]],
    window: int,
) -> dict[str, tuple[Earlier, ...]]:
    by_author: dict[tuple[str, str], list[Sequence[Any]]] = {}
    for row in rows:  # as _EARLIER: id, site_id, author_id, duplicate_key, body, received_at
        by_author.setdefault((row[1], row[2]), []).append(row)
    result: dict[str, tuple[Earlier, ...]] = {p.id: () for p in pending}
    for p in returning:
        earliest = p.received_at - timedelta(seconds=window)
        result[p.id] = tuple(
            (r[3], r[4])
            for r in by_author.get((p.site_id, p.author_id), ())
            if r[0] != p.id and earliest <= r[5] <= p.received_at
        )
    return result


def _categories(decision: Mapping[str, Any]) -> str:
    names = sorted({str(reason["category"]) for reason in decision["reasons"]})
    return f",{','.join(names)}," if names else ""


def _severity(decision: Mapping[str, Any]) -> int:
    # The reasons' highest severity: the console's "most severe first" sorts on it.
    return max((int(reason.get("severity") or 0) for reason in decision["reasons"]), default=0)


def _codes(decision: Mapping[str, Any]) -> str | None:
    return ",".join(sorted({str(r["code"]) for r in decision["reasons"]})) or None


def record_decisions_alone(
    db: Database,
    outcomes: Sequence[tuple[Pending, Mapping[str, Any]]],
    *,
    now: datetime,
    decided_by: str,
) -> list[tuple[Pending, Mapping[str, Any]]]:
    """record_decisions when nothing else must commit with them.

    On PostgreSQL that is one statement on the driver, committing by itself: no BEGIN and no
    COMMIT round trips. Elsewhere it is a transaction of its own.
    """
    if db.is_postgresql:
        params = _record_params(outcomes, now=now, decided_by=decided_by)
        with db.driver() as connection:
            statement = _RECORD_ONE_PG_DRIVER if len(outcomes) == 1 else _RECORD_PG_DRIVER
            won = {row[0] for row in statement.run(connection, params).rows}
        return _won(outcomes, won)
    with db.session() as session:
        return record_decisions(session.connection(), outcomes, now=now, decided_by=decided_by)


def _won(
    outcomes: Sequence[tuple[Pending, Mapping[str, Any]]], won: set[str]
) -> list[tuple[Pending, Mapping[str, Any]]]:
    return [
        (replace(p, status=STATUS_FOR_ACTION[d["action"]]), d) for p, d in outcomes if p.id in won
    ]


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
        params = _record_params(outcomes, now=now, decided_by=decided_by)
        return _won(outcomes, set(connection.execute(_RECORD_PG, params).scalars()))
    groups: dict[tuple[str, str, int], list[Pending]] = {}
    for pending, decision in outcomes:
        key = (STATUS_FOR_ACTION[decision["action"]], _categories(decision), _severity(decision))
        groups.setdefault(key, []).append(pending)
    won: set[str] = set()
    for (status, categories, severity), members in groups.items():
        params = {
            "keys": [(p.id, p.revision) for p in members],
            "new_status": status,
            "now": now,
            "new_categories": categories,
            "new_severity": severity,
        }
        won.update(connection.execute(_DECIDE, params).scalars())
    recorded = _won(outcomes, won)
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
                "scores": d.get("scores"),
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
# The comments are reached through their ids: the status they must still have comes from the
# document, not the text, so no plan can pick the index of queued comments instead and read
# the whole backlog (a plan that did made every batch slower as the backlog grew).
_RECORD_PG_SQL = """
WITH input AS (
    SELECT * FROM jsonb_to_recordset(CAST(:outcomes AS jsonb)) AS i(
        id text, revision int, from_status text, status text, categories text, severity int,
        action text, reasons jsonb, ruleset_version text, censored text, scores jsonb,
        codes text, data jsonb
    )
),
won AS (
    UPDATE comments AS c
    SET status = i.status, decided_at = :now, categories = i.categories, severity = i.severity
    FROM input AS i
    WHERE c.id = ANY(CAST(:ids AS text[])) AND c.id = i.id AND c.revision = i.revision
        AND c.status = i.from_status
    RETURNING c.id, c.site_id, c.revision, i.from_status, i.status, i.action, i.reasons,
        i.ruleset_version, i.censored, i.scores, i.codes, i.data
),
decided AS (
    INSERT INTO decisions
        (comment_id, revision, action, reasons, ruleset_version, censored, scores, decided_at,
        decided_by)
    SELECT id, revision, action, CAST(reasons AS json), ruleset_version, censored,
        CAST(scores AS json), :now, :decided_by
    FROM won
)
INSERT INTO audit_entries (site_id, comment_id, actor_type, actor_id, action, from_status,
    to_status, reason, ruleset_version, data, created_at)
SELECT site_id, id, 'engine', :decided_by, 'decided', from_status, status, codes,
    ruleset_version, CAST(data AS json), :now
FROM won
RETURNING comment_id
"""


_RECORD_PG = text(_RECORD_PG_SQL)
_RECORD_PG_DRIVER = driver.Statement.of(_RECORD_PG)
# One comment, the usual job when the queue is short: as for _LOAD_ONE_PG, `id = value` keeps
# one plan where `id = ANY(array)` is planned anew each time.
_RECORD_ONE_PG_DRIVER = driver.Statement.of(
    text(_RECORD_PG_SQL.replace("c.id = ANY(CAST(:ids AS text[]))", "c.id = :id"))
)


def _record_params(
    outcomes: Sequence[tuple[Pending, Mapping[str, Any]]], *, now: datetime, decided_by: str
) -> dict[str, Any]:
    document = [
        {
            "id": p.id,
            "revision": p.revision,
            "from_status": QUEUED,
            "status": STATUS_FOR_ACTION[d["action"]],
            "categories": _categories(d),
            "severity": _severity(d),
            "action": d["action"],
            "reasons": list(d["reasons"]),
            "ruleset_version": d["ruleset_version"],
            "censored": d.get("censored"),
            "scores": d.get("scores"),
            "codes": _codes(d),
            "data": {"action": d["action"], "revision": p.revision},
        }
        for p, d in outcomes
    ]
    return {
        "outcomes": json.dumps(document),
        # The ids again as an array: the planner cannot see into the document, and without
        # them it may scan the whole comments table to join it.
        "ids": [p.id for p, _ in outcomes],
        "id": outcomes[0][0].id,
        "now": now,
        "decided_by": decided_by,
    }
