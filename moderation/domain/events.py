"""Comment events for sites' webhooks, written to the outbox inside the caller's transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.orm import Session

from moderation.webhooks.outbox import record_event

DECIDED = "comment.decided"
STATUS_CHANGED = "comment.status_changed"
REPORTED = "comment.reported"


class CommentLike(Protocol):
    """What an event needs of a comment: a stored Comment or a worker's Pending row."""

    @property
    def id(self) -> str: ...
    @property
    def site_id(self) -> str: ...
    @property
    def external_id(self) -> str: ...
    @property
    def story_id(self) -> str: ...
    @property
    def author_id(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def revision(self) -> int: ...


def comment_summary(comment: CommentLike) -> dict[str, Any]:
    """The comment fields every event carries."""
    return {
        "id": comment.id,
        "site_comment_id": comment.external_id,
        "story_id": comment.story_id,
        "author_id": comment.author_id,
        "status": comment.status,
        "revision": comment.revision,
    }


def emit(
    session: Session, comment: CommentLike, event_type: str, *, now: datetime, **data: Any
) -> list[str]:
    """Queue an event about a comment for the site's subscribed endpoints; returns delivery ids."""
    return record_event(
        session,
        site_id=comment.site_id,
        event_type=event_type,
        data={"comment": comment_summary(comment), **data},
        now=now,
    )
