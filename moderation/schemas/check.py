"""Schema of a rules check: a text to moderate as if the calling site had received it."""

from __future__ import annotations

from typing import Any, ClassVar

from marshmallow import Schema, ValidationError, pre_load, validate, validates

from moderation.schemas.comments import TEXT_LIMIT, TEXT_SHAPE, check_text
from moderation.schemas.count import Count
from moderation.schemas.text import Text


class CheckIn(Schema):
    """A text to moderate as if the calling site had received it.

    Send `body` or its alias `text`, not both.
    """

    class Meta:
        # What the document says beyond the fields: `body` or `text`, which _text_alias folds.
        json_schema: ClassVar[dict[str, Any]] = {
            "required": [],
            "oneOf": [{"required": ["body"]}, {"required": ["text"]}],
        }

    body = Text(
        required=True,
        metadata={
            "description": f"The text to moderate: {TEXT_LIMIT}.",
            "examples": ["You absolute shit."],
            **TEXT_SHAPE,
        },
    )
    # Never loaded (_text_alias renames it first); declared so the document shows the alias.
    text = Text(
        load_only=True,
        metadata={"description": "Alias of `body`, as in `moderation check`.", **TEXT_SHAPE},
    )
    section = Text(load_default=None, allow_none=True)
    author_id = Text(load_default=None, allow_none=True)
    author_prior_comments = Count(
        load_default=1_000_000,
        validate=validate.Range(min=0),
        metadata={
            "description": "Comments the author posted before; small values trigger "
            "pre-moderation of new authors. Default: an established author."
        },
    )

    def __init__(self, *, max_text_chars: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_text_chars = max_text_chars

    @pre_load
    def _text_alias(self, data: Any, **_: Any) -> Any:
        # `text` is accepted as an alias of `body`, as in `moderation check`.
        if isinstance(data, dict) and "text" in data:
            if "body" in data:
                raise ValidationError("Send `body` or its alias `text`, not both.", "text")
            data = {("body" if k == "text" else k): v for k, v in data.items()}
        return data

    @validates("body")
    def _check_body(self, value: str, **_: Any) -> None:
        check_text(value, self.max_text_chars)
