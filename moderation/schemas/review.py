"""Schemas of the moderators' review API."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from moderation.review import REJECTION_REASONS
from moderation.store.review import QUEUES


class QueueQuery(Schema):
    """Filters and paging of a queue listing (query string)."""

    site = fields.String(load_default=None, metadata={"description": "A site's name."})
    story = fields.String(load_default=None)
    section = fields.String(load_default=None)
    author = fields.String(load_default=None, metadata={"description": "The site's author id."})
    category = fields.String(
        load_default=None, metadata={"description": "A reason category: profanity, threat, …"}
    )
    since = fields.AwareDateTime(load_default=None, metadata={"description": "Received from."})
    until = fields.AwareDateTime(load_default=None, metadata={"description": "Received before."})
    cursor = fields.String(load_default=None, metadata={"description": "The last next_cursor."})
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    order = fields.String(load_default="oldest", validate=validate.OneOf(("oldest", "newest")))


class CountsQuery(Schema):
    """Filters of the per-queue counts."""

    site = fields.String(load_default=None)
    story = fields.String(load_default=None)
    section = fields.String(load_default=None)
    author = fields.String(load_default=None)
    category = fields.String(load_default=None)
    since = fields.AwareDateTime(load_default=None)
    until = fields.AwareDateTime(load_default=None)


class ActionIn(Schema):
    """A moderator's verdict on one comment."""

    reason = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(REJECTION_REASONS),
        metadata={"description": "Required to reject: " + ", ".join(REJECTION_REASONS) + "."},
    )
    note = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=2000),
        metadata={"description": "A note to the commenter."},
    )
    public_note = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=1000),
        metadata={"description": "Shown to readers who reported the comment."},
    )


class BulkActionIn(ActionIn):
    """The same verdict on many comments."""

    action = fields.String(required=True, validate=validate.OneOf(("approve", "reject")))
    ids = fields.List(
        fields.String(),
        required=True,
        validate=validate.Length(min=1, max=500),
        metadata={"description": "Comment ids, at most 500."},
    )


class AuthorActionIn(Schema):
    """An order about an author on one site."""

    site = fields.String(required=True, metadata={"description": "The site's name."})
    author_id = fields.String(required=True, validate=validate.Length(min=1, max=200))
    action = fields.String(
        required=True,
        validate=validate.OneOf(("premoderate", "ban", "lift")),
        metadata={
            "description": "premoderate: hold all their comments; ban: reject new ones; "
            "lift: undo both."
        },
    )
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))
    reject_existing = fields.Boolean(
        load_default=False,
        metadata={"description": "With ban: reject their standing comments."},
    )


QUEUE_NAMES = tuple(QUEUES)
