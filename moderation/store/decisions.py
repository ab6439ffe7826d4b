"""The worker's write: each decision recorded once, with its audit entry, in bulk."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Connection, Table, TextClause, bindparam, insert, text, tuple_, update

from moderation.engine import Decision as EngineDecision
from moderation.store import driver
from moderation.store.db import Database
from moderation.store.models import (
    ActorType,
    AuditAction,
    AuditEntry,
    Comment,
    CommentStatus,
    Decision,
)
from moderation.store.pending import Pending

_DECISIONS = cast(Table, Decision.__table__)
_AUDIT = cast(Table, AuditEntry.__table__)


#: A pending comment and the engine's decision on it.
Outcome = tuple[Pending, EngineDecision]


@dataclass(frozen=True, slots=True)
class _Written:
    """One outcome as the store writes it: the comment's new state, its decision and audit."""

    id: str
    site_id: str
    revision: int
    status: str
    categories: str
    severity: int
    action: str
    reasons: list[dict[str, Any]]
    ruleset_version: str
    censored: str | None
    scores: dict[str, float] | None
    codes: str | None

    @classmethod
    def of(cls, pending: Pending, decision: EngineDecision) -> _Written:
        """Built once per outcome; each database's writer takes it from here."""
        categories = sorted({reason.category for reason in decision.reasons})
        return cls(
            id=pending.id,
            site_id=pending.site_id,
            revision=pending.revision,
            status=CommentStatus.for_action(decision.action),
            # Delimited on both sides, so `LIKE '%,insult,%'` finds a category exactly.
            categories=f",{','.join(categories)}," if categories else "",
            # The reasons' highest severity: the console's "most severe first" sorts on it.
            severity=max((reason.severity or 0 for reason in decision.reasons), default=0),
            action=str(decision.action),
            reasons=[reason.to_dict() for reason in decision.reasons],
            ruleset_version=decision.ruleset_version,
            censored=decision.censored,
            scores=decision.scores,
            codes=",".join(sorted({reason.code for reason in decision.reasons})) or None,
        )

    def decision_row(self, *, now: datetime, decided_by: str) -> dict[str, Any]:
        """The decisions table's row."""
        return {
            "comment_id": self.id,
            "revision": self.revision,
            "action": self.action,
            "reasons": self.reasons,
            "ruleset_version": self.ruleset_version,
            "censored": self.censored,
            "scores": self.scores,
            "decided_at": now,
            "decided_by": decided_by,
        }

    def audit_row(self, *, now: datetime, decided_by: str) -> dict[str, Any]:
        """The audit trail's `decided` entry."""
        return {
            "site_id": self.site_id,
            "comment_id": self.id,
            "actor_type": ActorType.ENGINE,
            "actor_id": decided_by,
            "action": AuditAction.DECIDED,
            "from_status": CommentStatus.QUEUED,
            "to_status": self.status,
            "reason": self.codes,
            "note": None,
            "ruleset_version": self.ruleset_version,
            "created_at": now,
            "data": {"action": self.action, "revision": self.revision},
        }


def record_decisions(
    connection: Connection, outcomes: Sequence[Outcome], *, now: datetime, decided_by: str
) -> list[Outcome]:
    """Record each decision once, with its audit entry; returns the outcomes recorded now.

    The status update is conditional on the comment still being queued at the same revision,
    so a comment that another worker decided, or that was edited since, is left alone and a
    rerun records nothing. Statements are per status and per table, not per comment.
    """
    written = [_Written.of(p, d) for p, d in outcomes]
    if connection.dialect.name == "postgresql":
        params = _postgresql_params(written, now, decided_by)
        won = set(connection.execute(_RECORD_POSTGRESQL, params).scalars())
    else:
        won = _write_sqlite(connection, written, now=now, decided_by=decided_by)
    return _won(outcomes, won)


def _won(outcomes: Sequence[Outcome], won: set[str]) -> list[Outcome]:
    return [
        (replace(p, status=CommentStatus.for_action(d.action)), d)
        for p, d in outcomes
        if p.id in won
    ]


def record_alone(
    db: Database, outcomes: Sequence[Outcome], *, now: datetime, decided_by: str
) -> list[Outcome]:
    """record_decisions when nothing else must commit with them.

    On PostgreSQL the write is one statement on the driver (store.driver), committing by
    itself: no BEGIN and no COMMIT round trips. On SQLite it is several, in a transaction.
    """
    if not db.is_postgresql:
        with db.engine.begin() as connection:
            return record_decisions(connection, outcomes, now=now, decided_by=decided_by)
    params = _postgresql_params([_Written.of(p, d) for p, d in outcomes], now, decided_by)
    one = len(outcomes) == 1
    statement = _RECORD_ONE_POSTGRESQL_DRIVER if one else _RECORD_POSTGRESQL_DRIVER
    with db.driver() as connection:
        won = {row.comment_id for row in statement.run(connection, params).rows}
    return _won(outcomes, won)


_DECIDE = (
    update(Comment)
    .where(
        tuple_(Comment.id, Comment.revision).in_(bindparam("keys", expanding=True)),
        Comment.status == CommentStatus.QUEUED,
    )
    .values(
        status=bindparam("new_status"),
        decided_at=bindparam("now"),
        categories=bindparam("new_categories"),
        severity=bindparam("new_severity"),
    )
    .returning(Comment.id)
)


def _write_sqlite(
    connection: Connection, written: Sequence[_Written], *, now: datetime, decided_by: str
) -> set[str]:
    # One update per (status, categories, severity), not per comment; then the rows of those won.
    groups: dict[tuple[str, str, int], list[_Written]] = {}
    for w in written:
        groups.setdefault((w.status, w.categories, w.severity), []).append(w)
    won: set[str] = set()
    for (status, categories, severity), members in groups.items():
        params = {
            "keys": [(w.id, w.revision) for w in members],
            "new_status": status,
            "now": now,
            "new_categories": categories,
            "new_severity": severity,
        }
        won.update(connection.execute(_DECIDE, params).scalars())
    recorded = [w for w in written if w.id in won]
    if recorded:
        connection.execute(
            insert(_DECISIONS), [w.decision_row(now=now, decided_by=decided_by) for w in recorded]
        )
        connection.execute(
            insert(_AUDIT), [w.audit_row(now=now, decided_by=decided_by) for w in recorded]
        )
    return won


#: _Written's fields, the JSON document's keys (dataclasses.asdict deep-copies: slower).
_FIELDS = tuple(f.name for f in fields(_Written))


def _recordset_columns() -> str:
    # The document's fields as jsonb_to_recordset must name them, from _Written itself.
    types = {"int": "int", "str": "text", "str | None": "text"}
    types |= {"list[dict[str, Any]]": "jsonb", "dict[str, float] | None": "jsonb"}
    return ", ".join(f"{f.name} {types[str(f.type)]}" for f in fields(_Written))


# On PostgreSQL the whole write is one statement and one round trip: the conditional update,
# the decisions and the audit entries, fed from one JSON document of _Written rows, so the
# text never changes. The comments are reached through their ids: the status they must still
# have comes from the document's rows, not the text, so no plan can pick the index of queued
# comments instead and read the whole backlog (one that did made batches slower as it grew).
_RECORD_TEMPLATE = """
WITH input AS (
    SELECT * FROM jsonb_to_recordset(CAST(:outcomes AS jsonb)) AS i({columns})
),
won AS (
    UPDATE comments AS c
    SET status = i.status, decided_at = :now, categories = i.categories, severity = i.severity
    FROM input AS i
    WHERE {chosen} AND c.id = i.id AND c.revision = i.revision
        AND c.status = :queued
    RETURNING c.id, c.site_id, c.revision, i.status, i.action, i.reasons,
        i.ruleset_version, i.censored, i.scores, i.codes
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
SELECT site_id, id, :engine, :decided_by, :decided, :queued, status, codes, ruleset_version,
    CAST(json_build_object('action', action, 'revision', revision) AS json), :now
FROM won
RETURNING comment_id
"""


def _record_postgresql(chosen: str) -> TextClause:
    """The write for the comments `chosen` names (SQL over `c`, the comments row)."""
    sql = _RECORD_TEMPLATE.format(columns=_recordset_columns(), chosen=chosen)
    return text(sql)


_RECORD_POSTGRESQL = _record_postgresql("c.id = ANY(CAST(:ids AS text[]))")


#: The same statement prepared on the driver, for a write that commits by itself. One comment,
#: the usual job when the queue is short, has its own: as for pending._LOAD_ONE_PG,
#: `id = value` keeps one plan where `id = ANY(array)` is planned anew each time.
_RECORD_POSTGRESQL_DRIVER = driver.Statement.of(_RECORD_POSTGRESQL)
_RECORD_ONE_POSTGRESQL_DRIVER = driver.Statement.of(_record_postgresql("c.id = :id"))


def _postgresql_params(
    written: Sequence[_Written], now: datetime, decided_by: str
) -> dict[str, Any]:
    return {
        "outcomes": json.dumps([{f: getattr(w, f) for f in _FIELDS} for w in written]),
        # The ids again as an array: the planner cannot see into the document, and without
        # them it may scan the whole comments table to join it.
        "ids": [w.id for w in written],
        "id": written[0].id,
        "now": now,
        "decided_by": decided_by,
        "queued": CommentStatus.QUEUED,
        "engine": ActorType.ENGINE,
        "decided": AuditAction.DECIDED,
    }
