"""Schemas of the moderators' review API: filters, verdicts, orders (…In) and answers (…Out)."""

from __future__ import annotations

from typing import Any, ClassVar

from marshmallow import Schema, fields, validate

from moderation.domain.review import REJECTION_REASONS
from moderation.schemas.base import OPTIONAL
from moderation.schemas.decisions import STATUSES, DecisionOut
from moderation.schemas.instant import Instant
from moderation.schemas.text import Text
from moderation.store.review import QUEUES

QUEUE_NAMES = tuple(QUEUES)


class CountsQuery(Schema):
    """Filters of the per-queue counts (query string)."""

    site = Text(load_default=None, metadata={"description": "A site's name."})
    story = Text(load_default=None, metadata={"description": "A story id."})
    section = Text(load_default=None)
    author = Text(load_default=None, metadata={"description": "The site's author id."})
    category = Text(
        load_default=None, metadata={"description": "A reason category: profanity, threat, …"}
    )
    since = Instant(
        load_default=None, metadata={"description": "Received at or after (with offset)."}
    )
    until = Instant(load_default=None, metadata={"description": "Received before (with offset)."})


class QueueQuery(CountsQuery):
    """Filters and paging of a queue listing (query string)."""

    cursor = Text(load_default=None, metadata={"description": "The previous page's next_cursor."})
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    order = Text(
        load_default="oldest",
        validate=validate.OneOf(("oldest", "newest", "severe")),
        metadata={
            "description": "Oldest or newest first, or severe: the decision's highest reason "
            "severity first, then oldest."
        },
    )


class VerdictIn(Schema):
    """A moderator's verdict on one comment; an empty body (or `{}`) approves without notes."""

    reason = Text(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(REJECTION_REASONS),
        metadata={"description": "Required to reject; not recorded on approval."},
    )
    note = Text(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=2000),
        metadata={"description": "A note to the commenter."},
    )
    public_note = Text(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=1000),
        metadata={"description": "Shown to readers who reported the comment."},
    )


class RejectionIn(VerdictIn):
    """A moderator's rejection of one comment, with its reason code."""

    reason = Text(
        required=True,
        validate=validate.OneOf(REJECTION_REASONS),
        metadata={"description": "Why the comment is rejected."},
    )


class BulkVerdictIn(VerdictIn):
    """The same verdict on many comments, each applied on its own."""

    class Meta:
        # What the document says beyond the fields: a rejection names its reason.
        json_schema: ClassVar[dict[str, Any]] = {
            "if": {"properties": {"action": {"const": "reject"}}, "required": ["action"]},
            "then": {"properties": {"reason": {"type": "string"}}, "required": ["reason"]},
        }

    action = Text(required=True, validate=validate.OneOf(("approve", "reject")))
    ids = fields.List(
        Text(),
        required=True,
        validate=validate.Length(min=1, max=500),
        metadata={"description": "Comment ids, at most 500."},
    )


class AuthorActionIn(Schema):
    """An order about an author on one site."""

    site = Text(required=True, metadata={"description": "The site's name."})
    author_id = Text(
        required=True,
        validate=validate.Length(min=1, max=200),
        metadata={"description": "The site's id of the author."},
    )
    action = Text(
        required=True,
        validate=validate.OneOf(("premoderate", "ban", "lift")),
        metadata={
            "description": "premoderate: hold all their comments; ban: reject new ones; "
            "lift: undo both."
        },
    )
    reason = Text(load_default=None, allow_none=True, validate=validate.Length(max=500))
    reject_existing = fields.Boolean(
        load_default=False,
        metadata={"description": "With ban: reject their standing comments."},
    )


class _StoryOut(Schema):
    id = fields.String()
    url = fields.String(allow_none=True)
    section = fields.String(allow_none=True)


class _AuthorOut(Schema):
    id = fields.String()
    name = fields.String(allow_none=True)


class _ReportsOut(Schema):
    weight = fields.Float(
        validate=validate.Range(min=0), metadata={"description": "Weight of the open reports."}
    )
    flagged_at = fields.DateTime(
        allow_none=True,
        metadata={"description": "When reports moved it to the reported queue."},
    )


class _ReviewOut(Schema):
    """The last moderator's verdict, if any."""

    by = fields.String(allow_none=True, metadata={"description": "The moderator's name."})
    at = fields.DateTime(allow_none=True)
    reason = fields.String(allow_none=True, metadata={"description": "The rejection reason code."})
    note = fields.String(allow_none=True)


class ReviewCommentOut(Schema):
    """A comment as moderators see it: text, context, decision with offsets, reports, review."""

    id = fields.String(metadata={"description": "The service's id of the comment."})
    site = fields.String(
        allow_none=True,
        metadata={"description": "The site's name; in queue listings only, null elsewhere."},
    )
    site_comment_id = fields.String()
    status = fields.String(validate=validate.OneOf(STATUSES))
    revision = fields.Integer(validate=validate.Range(min=1))
    body = fields.String(metadata={"description": "The current text."})
    story = fields.Nested(_StoryOut)
    author = fields.Nested(_AuthorOut)
    received_at = fields.DateTime()
    decided_at = fields.DateTime(allow_none=True)
    decision = fields.Nested(DecisionOut, allow_none=True)
    reports = fields.Nested(_ReportsOut)
    review = fields.Nested(_ReviewOut)


_QueueSizesOut = Schema.from_dict(
    {name: fields.Integer(validate=validate.Range(min=0)) for name in QUEUE_NAMES},
    name="_QueueSizesOut",
)


class QueueCountsOut(Schema):
    """How many comments wait in each queue."""

    queues = fields.Nested(_QueueSizesOut, metadata={"description": "Comments in each queue."})


class QueuePageOut(Schema):
    """One page of a queue."""

    queue = fields.String(validate=validate.OneOf(QUEUE_NAMES))
    items = fields.List(fields.Nested(ReviewCommentOut))
    next_cursor = fields.String(
        allow_none=True,
        metadata={"description": "Pass as `cursor` for the next page; null at the end."},
    )


class _BulkItemOut(Schema):
    """The verdict's outcome on one id: 200 with the new status, or 404 (not in your sites)."""

    id = fields.String()
    status = fields.Integer(metadata={"enum": [200, 404]})
    comment_status = fields.String(
        validate=validate.OneOf(STATUSES), metadata={"description": "With 200.", **OPTIONAL}
    )
    detail = fields.String(
        metadata={"description": "With 404: not found in the moderator's sites.", **OPTIONAL}
    )


class BulkResultOut(Schema):
    """A result per id; ids not found are results, not errors."""

    results = fields.List(
        fields.Nested(_BulkItemOut), metadata={"description": "One per id, in order."}
    )


class AuthorStateOut(Schema):
    """The author's state on the site."""

    site = fields.String(metadata={"description": "The site's name."})
    author_id = fields.String()
    premoderate = fields.Boolean()
    banned = fields.Boolean()
