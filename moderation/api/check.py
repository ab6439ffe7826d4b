"""Trying rules: the decision for a text, computed now and stored nowhere."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from moderation.api.common import current_site, json_body, schema, services
from moderation.engine import Context
from moderation.openapi import Answer, operation
from moderation.schemas.check import CheckIn
from moderation.schemas.decisions import CheckResultOut
from moderation.schemas.loading import load

bp = Blueprint("check", __name__, url_prefix="/v1/moderate")


@bp.post("/check")
@operation(
    "checkText",
    {200: Answer("The decision.", CheckResultOut)},
    400,
    401,
    403,
    413,
    422,
    503,
    body=CheckIn,
)
def check() -> Response:
    """Moderate a text with the current rules; nothing is recorded or queued."""
    site = current_site()
    data = load(schema(CheckIn, max_text_chars=services().settings.max_text_chars), json_body())
    context = Context(
        site=site.name,
        section=data["section"],
        author_id=data["author_id"],
        author_prior_comments=data["author_prior_comments"],
    )
    decision = services().rules.engine().moderate(data["body"], context)
    return jsonify(decision.to_dict())
