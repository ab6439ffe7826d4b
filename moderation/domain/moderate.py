"""Moderating stored comments: read a batch, run the engine, record every decision at once."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime

from moderation import logs, metrics
from moderation.domain import events
from moderation.engine import Action, Context, Decision, Reason, duplicate_key
from moderation.engine.decision import most_severe
from moderation.services import Services
from moderation.store import decisions as store
from moderation.store.pending import load_batch

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


_STORY_PREMODERATED = Reason(
    rule_id="story.premoderated",
    code="story_premoderated",
    category="premoderation",
    severity=1,
    action=Action.HOLD,
)


def apply_author_policy(
    decision: Decision, *, premoderate: bool, banned: bool, story_premoderated: bool = False
) -> Decision:
    """Fold standing orders on the author, and the site's on the story, into the decision."""
    extra = (
        ((_BANNED,) if banned else ())
        + ((_PREMODERATED,) if premoderate else ())
        + ((_STORY_PREMODERATED,) if story_premoderated else ())
    )
    if not extra:
        return decision
    action = most_severe([decision.action, *(reason.action for reason in extra)])
    return replace(decision, action=action, reasons=decision.reasons + extra)


def moderate_batch(
    services: Services,
    ids: Sequence[str],
    *,
    decided_by: str,
    origins: Mapping[str, str | None] | None = None,
) -> int:
    """Decide the still-queued comments among `ids`; returns how many decisions were recorded.

    Logs one line per id: its decision (action and rule ids), or that it was not queued.
    `origins` maps ids to the request id that brought each, for those lines.

    Reading and writing are separate, not one transaction: the engine runs in between, and
    on SQLite a read transaction that turns into a write fails at once if another worker wrote
    meanwhile. The write is conditional on the comment still being queued, so a comment decided
    by another worker in between is skipped, and a rerun records nothing twice.
    """
    if not ids:
        return 0
    recorded = _decide(services, ids, decided_by=decided_by)
    _log(ids, recorded, origins or {})
    return len(recorded)


def _log(
    ids: Sequence[str],
    recorded: Sequence[store.Outcome],
    origins: Mapping[str, str | None],
) -> None:
    """One line per comment: ids and rule ids only, never the text."""
    decided = set()
    for p, decision in recorded:
        decided.add(p.id)
        log.info(
            "comment decided: %s",
            decision.action,
            extra={
                "comment_id": p.id,
                "site": p.site,
                "request_id": origins.get(p.id) or logs.request_id(),
                "action": str(decision.action),
                "rule_ids": sorted({reason.rule_id for reason in decision.reasons}),
                "ruleset_version": decision.ruleset_version,
            },
        )
    for comment_id in dict.fromkeys(ids):
        if comment_id not in decided:
            log.info(
                "comment not decided: no longer queued (decided before, or unknown)",
                extra={
                    "comment_id": comment_id,
                    "request_id": origins.get(comment_id) or logs.request_id(),
                },
            )


def _decide(services: Services, ids: Sequence[str], *, decided_by: str) -> list[store.Outcome]:
    engine = services.rules.engine()
    pending, recent = load_batch(
        services.db,
        ids,
        window=engine.duplicate_window_seconds,
        prior_limit=engine.new_author_hold_max,
    )
    if not pending:
        return []
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
        (
            p,
            apply_author_policy(
                d,
                premoderate=p.premoderate,
                banned=p.banned,
                story_premoderated=p.story_premoderated,
            ),
        )
        for p, d in zip(pending, engine.moderate_many(items), strict=True)
    ]
    now = datetime.now(UTC)
    if not any(p.has_webhooks for p in pending):
        recorded = store.record_alone(services.db, outcomes, now=now, decided_by=decided_by)
    else:  # the events go to the outbox in the decisions' own transaction
        deliveries: list[str] = []
        with services.db.session() as session:
            recorded = store.record_decisions(
                session.connection(), outcomes, now=now, decided_by=decided_by
            )
            for p, decision in recorded:
                if p.has_webhooks:
                    shown = decision.to_dict()
                    deliveries += events.emit(
                        session,
                        p,
                        events.DECIDED,
                        now=now,
                        decision={
                            k: shown[k] for k in ("action", "reasons", "ruleset_version", "scores")
                        },
                    )
        services.webhooks.enqueue(deliveries)
    metrics.count_decisions(recorded, now=now)
    return recorded
