"""Schemas of a site's comment listing: its filters (…Query) and its pages (…Out)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from moderation.schemas.base import OPTIONAL
from moderation.schemas.decisions import STATUSES
from moderation.schemas.text import Text

_ID = validate.Length(min=1, max=200)


class CommentsQuery(Schema):
    """Filters, order and paging of a site's comments (query string)."""

    story_id = Text(load_default=None, validate=_ID, metadata={"description": "A story id."})
    status = Text(
        load_default=None,
        validate=validate.OneOf(STATUSES),
        metadata={"description": "approved is what a story page shows."},
    )
    author_id = Text(
        load_default=None, validate=_ID, metadata={"description": "The site's author id."}
    )
    since = fields.AwareDateTime(
        load_default=None, metadata={"description": "Received at or after (with offset)."}
    )
    until = fields.AwareDateTime(
        load_default=None, metadata={"description": "Received before (with offset)."}
    )
    q = Text(
        load_default=None,
        validate=validate.Length(min=1, max=200),
        metadata={"description": "Text the body contains, in any case."},
    )
    thread = fields.Boolean(
        load_default=False,
        metadata={
            "description": "Approved top-level comments, each with its approved replies; "
            "with a status other than approved, none."
        },
    )
    cursor = Text(load_default=None, metadata={"description": "The previous page's next_cursor."})
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    order = Text(
        load_default="oldest",
        validate=validate.OneOf(("oldest", "newest")),
        metadata={"description": "By when received: oldest or newest first."},
    )


class _ListedAuthorOut(Schema):
    id = fields.String()
    name = fields.String(allow_none=True)


class ReplyOut(Schema):
    """A comment as a story page shows it."""

    id = fields.String(metadata={"description": "The service's id of the comment."})
    site_comment_id = fields.String()
    status = fields.String(validate=validate.OneOf(STATUSES))
    revision = fields.Integer(validate=validate.Range(min=1))
    story_id = fields.String()
    section = fields.String(allow_none=True)
    author = fields.Nested(_ListedAuthorOut)
    parent_id = fields.String(
        allow_none=True, metadata={"description": "The site's id of the comment replied to."}
    )
    body = fields.String(metadata={"description": "The current text."})
    created_at = fields.DateTime(allow_none=True)
    received_at = fields.DateTime()
    decided_at = fields.DateTime(allow_none=True)


class ListedCommentOut(ReplyOut):
    """A comment as a story page shows it; in a thread, with its replies."""

    replies = fields.List(
        fields.Nested(ReplyOut),
        metadata={
            "description": "With thread=true: approved replies at any depth (each names its "
            "parent), oldest first.",
            **OPTIONAL,
        },
    )


class CommentPageOut(Schema):
    """One page of a site's comments."""

    items = fields.List(fields.Nested(ListedCommentOut))
    next_cursor = fields.String(
        allow_none=True,
        metadata={"description": "Pass as `cursor` for the next page; null at the end."},
    )
