"""Schemas of stories: what a site says of one (…In) and what it reads back (…Out)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from moderation.schemas.text import Text, Url
from moderation.store.models import StoryComments

COMMENT_STATES = tuple(state.value for state in StoryComments)
_COMMENTS = (
    "open: comments are moderated as usual; premoderated: every new comment is held for a "
    "moderator; closed: new comments are refused with 409 story-closed."
)


class StoryUpdateIn(Schema):
    """A story's comment state and details; fields left out keep their value."""

    comments = Text(validate=validate.OneOf(COMMENT_STATES), metadata={"description": _COMMENTS})
    title = Text(allow_none=True, validate=validate.Length(max=500))
    url = Url(allow_none=True, validate=validate.Length(max=2000))
    section = Text(allow_none=True, validate=validate.Length(max=200))


class StoryOut(Schema):
    """A story as the site described it."""

    id = fields.String(metadata={"description": "The site's story id."})
    comments = fields.String(
        validate=validate.OneOf(COMMENT_STATES), metadata={"description": _COMMENTS}
    )
    title = fields.String(allow_none=True)
    url = fields.String(allow_none=True)
    section = fields.String(allow_none=True)
    updated_at = fields.DateTime()
