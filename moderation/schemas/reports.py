"""Schemas of reader reports and comment edits."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate, validates

from moderation.schemas.comments import TEXT_LIMIT, TEXT_SHAPE, check_text
from moderation.schemas.text import Text
from moderation.store.reports import REASONS

#: What a report may become.
REPORT_STATES = ("open", "upheld", "dismissed")


class ReportIn(Schema):
    """A reader's report, relayed by the site."""

    reporter_id = Text(
        required=True,
        validate=validate.Length(min=1, max=200),
        metadata={"description": "The site's id of the reader who reports."},
    )
    reason = Text(
        required=True,
        validate=validate.OneOf(REASONS),
        metadata={"description": "Why the reader reports the comment."},
    )
    text = Text(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=1000),
        metadata={"description": "The reader's own words, up to 1,000 characters."},
    )


class ReportOut(Schema):
    """A report as the site (and its reader) may see it."""

    id = fields.String()
    comment_id = fields.String(
        metadata={"description": "The service's id of the reported comment."}
    )
    reason = fields.String(validate=validate.OneOf(REASONS))
    state = fields.String(
        validate=validate.OneOf(REPORT_STATES),
        metadata={
            "description": "open until a moderator acts on the comment: a rejection upholds its "
            "reports, an approval dismisses them."
        },
    )
    public_note = fields.String(
        allow_none=True, metadata={"description": "The moderator's note for the reader."}
    )
    created_at = fields.DateTime()
    resolved_at = fields.DateTime(allow_none=True)


class EditIn(Schema):
    """The edited text of a comment."""

    body = Text(
        required=True, metadata={"description": f"The new text: {TEXT_LIMIT}.", **TEXT_SHAPE}
    )

    def __init__(self, *, max_text_chars: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_text_chars = max_text_chars

    @validates("body")
    def _check_body(self, value: str, **_: Any) -> None:
        check_text(value, self.max_text_chars)
