"""Moderating stored comments: read a batch, run the engine, record every decision at once."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime

from moderation.domain import events
from moderation.engine import Action, Context, Decision, Reason, duplicate_key
from moderation.engine.decision import most_severe
from moderation.services import Services
from moderation.store import decisions as store

log = logging.getLogger(__name__)

_BANNED = Reason(
    rule_id="author.banned",
    code="author_banned",
    category="author",
    severity=4,
    action=Action.REJECT,
)
_PREMODERATED = Reason(
    rule_id="author.premoderate",
    code="author_premoderated",
    category="premoderation",
    severity=1,
    action=Action.HOLD,
)


def apply_author_policy(decision: Decision, *, premoderate: bool, banned: bool) -> Decision:
    """Fold a moderator's standing orders on the author into the engine's decision."""
    extra = ((_BANNED,) if banned else ()) + ((_PREMODERATED,) if premoderate else ())
    if not extra:
        return decision
    action = most_severe([decision.action, *(reason.action for reason in extra)])
    return replace(decision, action=action, reasons=decision.reasons + extra)


def moderate_batch(services: Services, ids: Sequence[str], *, decided_by: str) -> int:
    """Decide the still-queued comments among `ids`; returns how many decisions were recorded.

    Reading and writing are separate, not one transaction: the engine runs in between, and
    on SQLite a read transaction that turns into a write fails at once if another worker wrote
    meanwhile. The write is conditional on the comment still being queued, so a comment decided
    by another worker in between is skipped, and a rerun records nothing twice.
    """
    if not ids:
        return 0
    engine = services.rules.engine()
    pending, recent = store.load_batch(
        services.db,
        ids,
        window=engine.duplicate_window_seconds,
        prior_limit=engine.new_author_hold_max,
    )
    if not pending:
        return 0
    items = [
        (
            p.body,
            Context(
                site=p.site,
                section=p.section,
                author_id=p.author_id,
                author_prior_comments=p.prior_comments,
                # Comments stored before keys were give their body instead.
                author_recent_keys=tuple(k or duplicate_key(b or "") for k, b in recent[p.id]),
                now=p.received_at,
            ),
        )
        for p in pending
    ]
    # The whole batch at once: the model scores it in one pass over its tables.
    outcomes = [
        (p, apply_author_policy(d, premoderate=p.premoderate, banned=p.banned).to_dict())
        for p, d in zip(pending, engine.moderate_many(items), strict=True)
    ]
    now = datetime.now(UTC)
    if not any(p.has_webhooks for p in pending):
        recorded = store.record_decisions_alone(
            services.db, outcomes, now=now, decided_by=decided_by
        )
    else:  # the events go to the outbox in the decisions' own transaction
        deliveries: list[str] = []
        with services.db.session() as session:
            recorded = store.record_decisions(
                session.connection(), outcomes, now=now, decided_by=decided_by
            )
            for p, outcome in recorded:
                if p.has_webhooks:
                    deliveries += events.emit(
                        session,
                        p,
                        events.DECIDED,
                        now=now,
                        decision={
                            **{k: outcome[k] for k in ("action", "reasons", "ruleset_version")},
                            "scores": outcome.get("scores"),
                        },
                    )
        services.webhooks.enqueue(deliveries)
    log.debug("decided %d of %d comment(s)", len(recorded), len(ids))
    return len(recorded)
