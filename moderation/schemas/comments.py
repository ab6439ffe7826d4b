"""Schemas of comments: what a site posts (…In) and what it reads back (…Out)."""

from __future__ import annotations

import re
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates

from moderation.schemas.base import OPTIONAL, one_of
from moderation.schemas.decisions import STATUSES, DecisionOut
from moderation.schemas.instant import Instant
from moderation.schemas.text import Text, Url

_ID = validate.Length(min=1, max=200)
#: How every text that enters is checked (check_text), for readers of the document.
TEXT_LIMIT = "not blank, at most MODERATION_MAX_TEXT_CHARS characters"
# Blank characters, spelt out: JSON Schema's \s is not Python's (which also counts U+001C to
# U+001F and U+0085), and a text of one U+001F passed the document but not the check.
_BLANK = (
    r"\t\n\u000b\u000c\r\u001c-\u001f \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
)
#: The same, as JSON Schema can say it: a character not blank, and (as every Text) no NUL.
TEXT_SHAPE: dict[str, Any] = {
    "minLength": 1,
    "pattern": rf"^[^\u0000]*[^{_BLANK}\u0000][^\u0000]*$",
}
_FILLED = re.compile(rf"[^{_BLANK}\u0000]")


def check_text(value: str, limit: int) -> None:
    """A comment's text: not blank, not longer than the limit (the same wherever text enters)."""
    if _FILLED.search(value) is None:
        raise ValidationError("Must not be empty.")
    if len(value) > limit:
        raise ValidationError(f"Longer than the limit of {limit} characters.")


class StoryIn(Schema):
    """The story a comment was posted under."""

    id = Text(
        required=True,
        validate=_ID,
        metadata={"description": "The site's story id.", "examples": ["s-17"]},
    )
    url = Url(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=2000),
        metadata={"description": "Public URL of the story."},
    )
    section = Text(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=200),
        metadata={
            "description": "Section of the site (politics, sport, …); rules may differ by it.",
            "examples": ["politics"],
        },
    )
    title = Text(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=500),
        metadata={"description": "Headline, for moderators' context."},
    )


class AuthorIn(Schema):
    """The commenter as the site knows them."""

    id = Text(
        required=True,
        validate=_ID,
        metadata={"description": "The site's user id.", "examples": ["u-5"]},
    )
    name = Text(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=200),
        metadata={"description": "Display name."},
    )


class CommentIn(Schema):
    """A comment posted by a site for moderation."""

    id = Text(
        required=True,
        validate=_ID,
        metadata={
            "description": "The site's own comment id; posting it again is a replay.",
            "examples": ["c-1001"],
        },
    )
    story = fields.Nested(StoryIn, required=True)
    author = fields.Nested(AuthorIn, required=True)
    body = Text(
        required=True,
        metadata={
            "description": f"The comment text: {TEXT_LIMIT}.",
            "examples": ["Thanks for a fair piece on the bypass."],
            **TEXT_SHAPE,
        },
    )
    parent_id = Text(
        load_default=None,
        allow_none=True,
        validate=_ID,
        metadata={"description": "The site's id of the comment this one replies to."},
    )
    created_at = Instant(
        load_default=None,
        allow_none=True,
        metadata={"description": "When the reader posted it (RFC 3339 with offset)."},
    )
    language = Text(
        load_default=None,
        allow_none=True,
        validate=validate.Length(min=2, max=35),
        metadata={"description": "BCP 47 language tag, if the site knows it."},
    )

    def __init__(self, *, max_text_chars: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_text_chars = max_text_chars

    @validates("body")
    def _check_body(self, value: str, **_: Any) -> None:
        check_text(value, self.max_text_chars)


class BatchIn(Schema):
    """Many comments at once; each item is validated on its own."""

    comments = fields.List(
        fields.Dict(),
        required=True,
        metadata={
            "description": "Comments shaped as CommentIn, validated one by one; at most "
            "MODERATION_BATCH_MAX.",
            "minItems": 1,
        },
    )

    def __init__(self, *, batch_max: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.batch_max = batch_max

    @validates("comments")
    def _check_count(self, value: list[Any], **_: Any) -> None:
        if not value:
            raise ValidationError("Must hold at least one comment.")
        if len(value) > self.batch_max:
            raise ValidationError(f"At most {self.batch_max} comments per batch.")


class _LinksOut(Schema):
    self = fields.String(metadata={"description": "Path of this comment."})


class CommentOut(Schema):
    """A comment's state as its site sees it."""

    id = fields.String(
        metadata={"description": "The service's id of the comment.", "examples": ["01J9Z6K3"]}
    )
    site_comment_id = fields.String(
        metadata={"description": "The site's own id, as posted in `id`."}
    )
    status = fields.String(
        validate=validate.OneOf(STATUSES),
        metadata={"description": "queued until a worker decides."},
    )
    revision = fields.Integer(
        validate=validate.Range(min=1), metadata={"description": "1, plus one per edit."}
    )
    story_id = fields.String()
    section = fields.String(allow_none=True)
    author_id = fields.String()
    received_at = fields.DateTime()
    decided_at = fields.DateTime(allow_none=True)
    decision = fields.Nested(DecisionOut, allow_none=True)
    links = fields.Nested(_LinksOut)
    replayed = fields.Boolean(
        metadata={
            "description": "In answers to POSTs only: true when nothing was created.",
            **OPTIONAL,
        }
    )


class BatchItemAcceptedOut(Schema):
    """One item of a batch, recorded and queued (or a replay)."""

    index = fields.Integer(validate=validate.Range(min=0))
    status = fields.Integer(metadata={"enum": [202]})
    comment = fields.Nested(CommentOut)


class BatchItemRejectedOut(Schema):
    """A problem for one item: validation-failed, idempotency-mismatch or story-closed."""

    index = fields.Integer(validate=validate.Range(min=0))
    type = fields.String(metadata={"format": "uri"})
    status = fields.Integer(metadata={"enum": [409, 422]})
    title = fields.String()
    detail = fields.String()
    errors = fields.Dict(
        metadata={
            "description": "Messages by field, nested like the item; `_schema` is the item as a "
            "whole.",
            **OPTIONAL,
        }
    )
    existing_id = fields.String(
        metadata={"description": "For an id reused with another body: who holds it.", **OPTIONAL}
    )


class BatchResultOut(Schema):
    """One result per posted comment, in order: each accepted or rejected on its own."""

    accepted = fields.Integer(validate=validate.Range(min=0))
    rejected = fields.Integer(validate=validate.Range(min=0))
    results = fields.List(
        fields.Raw(metadata=one_of(BatchItemAcceptedOut, BatchItemRejectedOut)),
        metadata={"description": "One per posted comment, in order."},
    )
