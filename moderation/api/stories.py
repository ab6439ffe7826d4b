"""Stories: a site opens, pre-moderates or closes a story's comments and describes it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Response, jsonify
from marshmallow import fields

from moderation.api.common import current_site, json_body, schema, services
from moderation.errors import NotFound, ValidationFailed
from moderation.openapi import Answer, operation
from moderation.schemas.loading import load
from moderation.schemas.stories import StoryOut, StoryUpdateIn
from moderation.store import stories as store
from moderation.store.models import Story

bp = Blueprint("stories", __name__, url_prefix="/v1/stories")

#: Longest story id the store keeps, as comments carry it.
STORY_ID_MAX = 200
_STORY_ID = {
    "story_id": fields.String(
        metadata={"description": f"The site's story id (at most {STORY_ID_MAX} characters)."}
    )
}


@bp.before_request
def _authenticate() -> None:
    current_site()


def _present(story: Story) -> dict[str, Any]:
    return {
        "id": story.id,
        "comments": story.comments,
        "title": story.title,
        "url": story.url,
        "section": story.section,
        "updated_at": story.updated_at.isoformat(),
    }


@bp.put("/<path:story_id>")
@operation(
    "updateStory",
    {200: Answer("The story as it now stands.", StoryOut)},
    400,
    401,
    403,
    413,
    422,
    503,
    body=StoryUpdateIn,
    path=_STORY_ID,
)
def update(story_id: str) -> Response:
    """Open, pre-moderate or close a story's comments, or describe the story.

    A story the site never described is open. Closing refuses new comments with 409
    `story-closed`; pre-moderating holds each new comment for a moderator (reason
    `story_premoderated`). Comments already decided keep their status. Every change is in the
    audit trail.
    """
    site = current_site()
    if len(story_id) > STORY_ID_MAX:
        raise ValidationFailed(
            "The story id is too long.",
            errors={"story_id": [f"At most {STORY_ID_MAX} characters."]},
        )
    changes = load(schema(StoryUpdateIn), json_body())
    with services().db.session() as session:
        story = store.update_story(session, site.id, story_id, changes, now=datetime.now(UTC))
        return jsonify(_present(story))


@bp.get("/<path:story_id>")
@operation("getStory", {200: Answer("The story.", StoryOut)}, 401, 403, 404, 503, path=_STORY_ID)
def read(story_id: str) -> Response:
    """A story as the site described it; one never described is not found (and open)."""
    site = current_site()
    with services().db.session() as session:
        story = store.find_story(session, site.id, story_id)
        if story is None:
            raise NotFound(f"No story {story_id} described on this site.")
        return jsonify(_present(story))
