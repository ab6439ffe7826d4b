"""Schemas of comments: what a site posts (…In) and what it reads back (…Out)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates

_ID = validate.Length(min=1, max=200)


def check_text(value: str, limit: int) -> None:
    """A comment's text: not blank, not longer than the limit (the same wherever text enters)."""
    if not value.strip():
        raise ValidationError("Must not be empty.")
    if len(value) > limit:
        raise ValidationError(f"Longer than the limit of {limit} characters.")


class StoryIn(Schema):
    """The story a comment was posted under."""

    id = fields.String(
        required=True, validate=_ID, metadata={"description": "The site's story id."}
    )
    url = fields.Url(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=2000),
        metadata={"description": "Public URL of the story."},
    )
    section = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=200),
        metadata={
            "description": "Section of the site (politics, sport, …); rules may differ by it."
        },
    )
    title = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=500),
        metadata={"description": "Headline, for moderators' context."},
    )


class AuthorIn(Schema):
    """The commenter as the site knows them."""

    id = fields.String(required=True, validate=_ID, metadata={"description": "The site's user id."})
    name = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=200),
        metadata={"description": "Display name."},
    )


class CommentIn(Schema):
    """A comment posted by a site for moderation."""

    id = fields.String(
        required=True,
        validate=_ID,
        metadata={"description": "The site's own comment id; posting it again is a replay."},
    )
    story = fields.Nested(StoryIn, required=True)
    author = fields.Nested(AuthorIn, required=True)
    body = fields.String(required=True, metadata={"description": "The comment text."})
    parent_id = fields.String(
        load_default=None,
        allow_none=True,
        validate=_ID,
        metadata={"description": "The site's id of the comment this one replies to."},
    )
    created_at = fields.AwareDateTime(
        load_default=None,
        allow_none=True,
        metadata={"description": "When the reader posted it (RFC 3339 with offset)."},
    )
    language = fields.String(
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
        metadata={"description": "Comments shaped as for POST /v1/comments."},
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
