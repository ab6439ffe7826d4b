"""Schemas of reader reports and comment edits."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate, validates

from moderation.schemas.comments import check_text
from moderation.store.reports import REASONS


class ReportIn(Schema):
    """A reader's report, relayed by the site."""

    reporter_id = fields.String(
        required=True,
        validate=validate.Length(min=1, max=200),
        metadata={"description": "The site's id of the reader who reports."},
    )
    reason = fields.String(
        required=True,
        validate=validate.OneOf(REASONS),
        metadata={"description": "One of: " + ", ".join(REASONS) + "."},
    )
    text = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=1000),
        metadata={"description": "The reader's own words, up to 1,000 characters."},
    )


class ReportOut(Schema):
    """A report as the site (and its reader) may see it."""

    id = fields.String()
    comment_id = fields.String()
    reason = fields.String()
    state = fields.String(metadata={"description": "open, upheld or dismissed."})
    public_note = fields.String(allow_none=True, metadata={"description": "The moderator's note."})
    created_at = fields.DateTime()
    resolved_at = fields.DateTime(allow_none=True)


class EditIn(Schema):
    """A new body for an edited comment."""

    body = fields.String(required=True)

    def __init__(self, *, max_text_chars: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_text_chars = max_text_chars

    @validates("body")
    def _check_body(self, value: str, **_: Any) -> None:
        check_text(value, self.max_text_chars)
