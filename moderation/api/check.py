"""Trying rules: the decision for a text, computed now and stored nowhere."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify
from marshmallow import Schema, ValidationError, fields, pre_load, validate

from moderation.api.common import current_site, json_body, services
from moderation.engine import Context
from moderation.errors import ValidationFailed

bp = Blueprint("check", __name__, url_prefix="/v1/moderate")


class CheckIn(Schema):
    """A text to moderate as if the calling site had received it."""

    body = fields.String(required=True, validate=validate.Length(min=1))
    section = fields.String(load_default=None, allow_none=True)
    author_id = fields.String(load_default=None, allow_none=True)
    author_prior_comments = fields.Integer(
        load_default=1_000_000,
        validate=validate.Range(min=0),
        metadata={
            "description": "Comments the author posted before; small values trigger "
            "pre-moderation of new authors. Default: an established author."
        },
    )

    @pre_load
    def _text_alias(self, data: Any, **_: Any) -> Any:
        # `text` is accepted as an alias of `body`, as in `moderation check`.
        if isinstance(data, dict) and "text" in data and "body" not in data:
            data = {**data, "body": data["text"]}
            del data["text"]
        return data


@bp.post("/check")
def check() -> Response:
    """Moderate a text with the current rules; nothing is recorded or queued."""
    site = current_site()
    settings = services().settings
    raw = json_body()
    if not isinstance(raw, dict):
        raise ValidationFailed("Send a JSON object.", errors={"_schema": ["Not an object."]})
    try:
        data = CheckIn().load(raw)
    except ValidationError as error:
        raise ValidationFailed("The request breaks the schema.", errors=error.messages) from None
    if len(data["body"]) > settings.max_text_chars:
        raise ValidationFailed(
            "The text is too long.",
            errors={"body": [f"Longer than the limit of {settings.max_text_chars} characters."]},
        )
    context = Context(
        site=site.name,
        section=data["section"],
        author_id=data["author_id"],
        author_prior_comments=data["author_prior_comments"],
    )
    decision = services().rules.engine().moderate(data["body"], context)
    return jsonify(decision.to_dict())
