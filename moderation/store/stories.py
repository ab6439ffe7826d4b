"""Repository functions for stories: their comment state and what the site says of them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.store import audit
from moderation.store.models import ActorType, AuditAction, Story, StoryComments

#: What a site may set on a story.
FIELDS = ("comments", "title", "url", "section")


def find_story(session: Session, site_id: str, story_id: str) -> Story | None:
    """A site's story by its id, if the site ever described it."""
    return session.get(Story, (site_id, story_id))


def is_closed(session: Session, site_id: str, story_id: str) -> bool:
    """Whether the story takes no new comments."""
    state = session.scalar(
        select(Story.comments).where(Story.site_id == site_id, Story.id == story_id)
    )
    return state == StoryComments.CLOSED


def update_story(
    session: Session, site_id: str, story_id: str, changes: Mapping[str, Any], *, now: datetime
) -> Story:
    """Create or change a story; a change of any field is audited with its before and after."""
    story = find_story(session, site_id, story_id)
    before: dict[str, Any] = {name: None for name in FIELDS}
    if story is None:
        story = Story(site_id=site_id, id=story_id, comments=StoryComments.OPEN, updated_at=now)
        session.add(story)
    else:
        before = {name: getattr(story, name) for name in FIELDS}
    for name, value in changes.items():
        setattr(story, name, value)
    after = {name: getattr(story, name) for name in FIELDS}
    changed = {name: [before[name], after[name]] for name in FIELDS if before[name] != after[name]}
    if changed:
        story.updated_at = now
        audit.append(
            session,
            site_id=site_id,
            comment_id=None,
            actor_type=ActorType.SITE,
            actor_id=None,
            action=AuditAction.STORY_UPDATED,
            from_status=before["comments"],
            to_status=after["comments"],
            now=now,
            data={"story_id": story_id, "changes": changed},
        )
    session.flush()
    return story
