"""Authors: a site exports or erases a reader's data on its behalf (GDPR Art. 15 and 17)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify
from marshmallow import fields

from moderation.api.common import current_site, services
from moderation.domain.authors import erase_author, export_author
from moderation.openapi import Answer, operation
from moderation.schemas.authors import AuthorErasureOut, AuthorExportOut

bp = Blueprint("authors", __name__, url_prefix="/v1/authors")

_AUTHOR_ID = {
    "author_id": fields.String(
        metadata={"description": "The site's id of the author (one without `/`)."}
    )
}


@bp.before_request
def _authenticate() -> None:
    current_site()


@bp.get("/<author_id>/export")
@operation(
    "exportAuthor",
    {200: Answer("The author's data.", AuthorExportOut)},
    401,
    403,
    503,
    path=_AUTHOR_ID,
)
def export(author_id: str) -> Response:
    """All of an author's comments, earlier bodies, decisions and reports on this site.

    An author the service never saw has an empty export, not a 404.
    """
    return jsonify(export_author(services(), current_site().id, author_id))


@bp.delete("/<author_id>")
@operation(
    "eraseAuthor",
    {200: Answer("What was erased.", AuthorErasureOut)},
    401,
    403,
    503,
    path=_AUTHOR_ID,
)
def erase(author_id: str) -> Response:
    """Erase an author's personal data on this site.

    Bodies (current and earlier) become `[erased]`, names and duplicate keys go, decisions keep
    their reasons' rules, codes and offsets but not the words matched, nor a censored copy;
    report texts they wrote or that were written about their comments go, in reports and in the
    audit trail. Comments keep their ids, status and place in threads. The audit trail records
    the erasure (who, when, how many rows) without any erased text, and the site's webhooks
    receive `author.erased`. Erasing again changes nothing more.
    """
    return jsonify(erase_author(services(), current_site().id, author_id))
