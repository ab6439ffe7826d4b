"""The intake service: record a site's comments durably, then hand their ids to the workers."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from moderation import logs, metrics
from moderation.engine import duplicate_key
from moderation.errors import IdempotencyMismatch, NotFound, StoryClosed, ValidationFailed
from moderation.schemas.comments import CommentIn
from moderation.schemas.loading import load
from moderation.services import Services
from moderation.store import audit
from moderation.store import comments as store
from moderation.store.models import ActorType, AuditAction, Comment, Site


@dataclass(frozen=True)
class Submitted:
    """The comment a submission produced, and whether this request created it."""

    comment: store.Stored
    created: bool


def request_digest(raw: Mapping[str, Any]) -> str:
    """A digest of the request as sent, independent of key order and white space."""
    canonical = json.dumps(raw, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def to_intake(raw: Any, *, schema: CommentIn, idempotency_key: str | None) -> store.Intake:
    """Validate one posted comment; raise ValidationFailed naming each bad field."""
    data = load(schema, raw, "The comment breaks the schema.")
    return store.Intake(
        external_id=data["id"],
        story_id=data["story"]["id"],
        story_url=data["story"]["url"],
        story_title=data["story"]["title"],
        section=data["story"]["section"],
        author_id=data["author"]["id"],
        author_name=data["author"]["name"],
        body=data["body"],
        parent_id=data["parent_id"],
        language=data["language"],
        created_at=data["created_at"],
        idempotency_key=idempotency_key,
        digest=request_digest(raw),
        duplicate_key=duplicate_key(data["body"]),
    )


def to_intake_or_error(raw: Any, *, schema: CommentIn) -> store.Intake | ValidationFailed:
    """Validate one item of a batch; its error is its result, not the request's."""
    try:
        return to_intake(raw, schema=schema, idempotency_key=None)
    except ValidationFailed as error:
        return error


def _mismatch(error: store.DuplicateMismatch) -> IdempotencyMismatch:
    return IdempotencyMismatch(
        f"This {error.field} was already used for a different comment ({error.existing_id}).",
        existing_id=error.existing_id,
    )


def _closed(error: store.StoryIsClosed) -> StoryClosed:
    return StoryClosed(f"Story {error} is closed to comments.")


def submit(services: Services, site: Site, intake: store.Intake) -> Submitted:
    """Record one comment (or find its earlier copy) and enqueue it if new."""
    try:
        comment, created = store.record_comment(services.db, site.id, intake, now=datetime.now(UTC))
    except store.DuplicateMismatch as error:
        raise _mismatch(error) from None
    except store.StoryIsClosed as error:
        raise _closed(error) from None
    logs.bind(comment_id=comment.id)  # the request's lines name the comment from here on
    if created:
        metrics.COMMENTS_RECEIVED.labels(site.name).inc()
        services.handoff.add([comment.id])
    return Submitted(comment, created)


def submit_many(
    services: Services, site: Site, intakes: Sequence[store.Intake | ValidationFailed]
) -> list[Submitted | ValidationFailed | IdempotencyMismatch | StoryClosed]:
    """Record a batch in one statement, each item on its own; enqueue the new ones together."""
    valid = [item for item in intakes if isinstance(item, store.Intake)]
    if valid:
        recorded = iter(store.record_many(services.db, site.id, valid, now=datetime.now(UTC)))
    results: list[Submitted | ValidationFailed | IdempotencyMismatch | StoryClosed] = []
    for item in intakes:
        if isinstance(item, ValidationFailed):
            results.append(item)
            continue
        outcome = next(recorded)
        if isinstance(outcome, store.DuplicateMismatch):
            results.append(_mismatch(outcome))
        elif isinstance(outcome, store.StoryIsClosed):
            results.append(_closed(outcome))
        else:
            results.append(Submitted(*outcome))
    new_ids = [r.comment.id for r in results if isinstance(r, Submitted) and r.created]
    if new_ids:
        metrics.COMMENTS_RECEIVED.labels(site.name).inc(len(new_ids))
    services.handoff.add(new_ids)
    return results


def revise(services: Services, site_id: str, comment_id: str, body: str) -> Comment:
    """Replace a comment's body with an edit: a new revision that the engine decides again.

    The earlier body is kept as a revision and the audit trail notes the edit; an edit with
    the same body changes nothing.
    """
    now = datetime.now(UTC)
    with services.db.session() as session:
        comment = store.find_comment(session, site_id, comment_id)
        if comment is None:
            raise NotFound(f"No comment {comment_id} on this site.")
        if comment.body == body:
            return comment
        before = comment.status
        store.add_revision(session, comment, body=body, duplicate_key=duplicate_key(body), now=now)
        audit.append(
            session,
            site_id=site_id,
            comment_id=comment.id,
            actor_type=ActorType.SITE,
            actor_id=None,
            action=AuditAction.EDITED,
            from_status=before,
            to_status=comment.status,
            now=now,
            data={"revision": comment.revision},
        )
    services.handoff.add([comment.id])
    return comment
