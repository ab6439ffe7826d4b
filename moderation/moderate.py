"""Moderating stored comments: read a batch, run the engine, record every decision at once."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime

from moderation.engine import Context
from moderation.services import Services
from moderation.store import comments as store

log = logging.getLogger(__name__)


def moderate_batch(services: Services, ids: Sequence[str], *, decided_by: str) -> int:
    """Decide the still-queued comments among `ids`; returns how many decisions were recorded.

    Reading and writing are two short transactions, not one: the engine runs in between, and
    on SQLite a read transaction that turns into a write fails at once if another worker wrote
    meanwhile. The write is conditional on the comment still being queued, so a comment decided
    by another worker in between is skipped, and a rerun records nothing twice.
    """
    if not ids:
        return 0
    engine = services.rules.engine()
    with services.db.session() as session:
        rows = store.queued_with_site(session, ids)
        if not rows:
            return 0
        recent = store.recent_bodies(
            session, [comment for comment, _ in rows], window=engine.duplicate_window_seconds
        )
    outcomes = []
    for comment, site_name in rows:
        context = Context(
            site=site_name,
            section=comment.section,
            author_id=comment.author_id,
            author_prior_comments=comment.author_seq - 1,
            author_recent_bodies=recent[comment.id],
            now=comment.received_at,
        )
        outcomes.append((comment, engine.moderate(comment.body, context).to_dict()))
    with services.db.session() as session:
        recorded = store.record_decisions(
            session, outcomes, now=datetime.now(UTC), decided_by=decided_by
        )
    log.debug("decided %d of %d comment(s)", recorded, len(ids))
    return recorded
