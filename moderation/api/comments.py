"""Comments: sites post them for moderation and read back their decisions."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, jsonify, request
from marshmallow import fields, validate
from werkzeug.routing import BaseConverter

from moderation import presenters
from moderation.api.common import (
    current_moderator,
    current_site,
    is_moderator_request,
    json_body,
    refuse_nul,
    schema,
    services,
)
from moderation.domain.intake import (
    Submitted,
    revise,
    submit,
    submit_many,
    to_intake,
    to_intake_or_error,
)
from moderation.domain.review import visible_comment
from moderation.errors import (
    IdempotencyMismatch,
    NotFound,
    PayloadTooLarge,
    StoryClosed,
    ValidationFailed,
)
from moderation.openapi import SITE_OR_MODERATOR, Answer, Problem, operation
from moderation.schemas.comments import BatchIn, BatchResultOut, CommentIn, CommentOut
from moderation.schemas.history import HistoryOut
from moderation.schemas.loading import load
from moderation.schemas.reports import EditIn
from moderation.store import audit
from moderation.store import comments as store
from moderation.store.models import Comment, CommentStatus

bp = Blueprint("comments", __name__, url_prefix="/v1/comments")


class CommentIdConverter(BaseConverter):
    """A comment id in a path: any segment but `batch`.

    So /v1/comments/batch is the batch's alone: a GET there is a 405 allowing POST, as the
    document says, not a lookup of a comment called "batch".
    """

    regex = r"(?!batch$)[^/]+"


# Converters are the app's; the rules below need this one when they are added, so it comes first.
bp.record_once(lambda state: state.app.url_map.converters.update(comment_id=CommentIdConverter))
#: Longest Idempotency-Key the store keeps: the column's width.
IDEMPOTENCY_KEY_MAX: int = Comment.__table__.c.idempotency_key.type.length  # type: ignore[attr-defined]

_WRITE_ERRORS = (400, 401, 403, 413, 422, 503)
_READ_ERRORS = (401, 403, 404, 503)
_COMMENT_ID = {
    "comment_id": fields.String(
        metadata={"description": "The service's id, as the POST returned it."}
    )
}
_SELF = {"Location": "Path of the comment."}
_COMMENT = {200: Answer("The comment.", CommentOut)}


@bp.before_request
def _authenticate() -> None:
    # Credentials first; the history also admits moderators and checks for itself.
    if request.endpoint != "comments.history":
        current_site()


def _comment_schema() -> CommentIn:
    return schema(CommentIn, max_text_chars=services().settings.max_text_chars)


def _location(comment_id: str) -> str:
    # What url_for("comments.read", ...) builds, without the routing map's work on every
    # intake: the service's ids are URL-safe as they are.
    return f"{request.script_root}{bp.url_prefix}/{comment_id}"


#: What an Idempotency-Key may hold, as the document says it: ASCII from space to tilde.
_KEY_CHARS = re.compile(r"[\x20-\x7e]*")


def _idempotency_key() -> str | None:
    key = request.headers.get("Idempotency-Key") or None
    if key is not None and (len(key) > IDEMPOTENCY_KEY_MAX or not _KEY_CHARS.fullmatch(key)):
        raise ValidationFailed(
            "The Idempotency-Key header is invalid.",
            errors={
                "Idempotency-Key": [f"At most {IDEMPOTENCY_KEY_MAX} visible ASCII characters."]
            },
        )
    return key


def _present(comment: store.Stored) -> dict[str, Any]:
    decision = None
    if comment.status != CommentStatus.QUEUED:
        with services().db.session() as session:
            decision = store.latest_decision(session, comment)
    return presenters.comment_status(comment, decision, _location(comment.id))


def _accepted(submitted: Submitted) -> dict[str, Any]:
    body = _present(submitted.comment)
    body["replayed"] = not submitted.created
    return body


@bp.post("")
@operation(
    "createComment",
    {202: Answer("Recorded and queued, or a replay.", CommentOut, _SELF)},
    *(status for status in _WRITE_ERRORS if status != 422),
    body=CommentIn,
    problems={
        422: Problem(
            "The JSON breaks the schema (`errors` names each field), or the id or "
            "Idempotency-Key was used for another body (`existing_id` names the comment).",
            (ValidationFailed, IdempotencyMismatch),
        ),
        409: Problem("The story is closed to comments; nothing was recorded.", (StoryClosed,)),
    },
    headers={
        "Idempotency-Key": fields.String(
            validate=[
                validate.Length(max=IDEMPOTENCY_KEY_MAX),
                validate.Regexp(f"^{_KEY_CHARS.pattern}$"),
            ],
            metadata={
                "description": "A retry with the same key and body answers as the original did; "
                "the same key with another body is a 422. Optional: the comment's `id` already "
                "deduplicates."
            },
        )
    },
)
def create() -> tuple[Response, int, dict[str, str]]:
    """Record a comment and queue it for moderation.

    A replay (the same `id`, or the same Idempotency-Key, with the same body) answers as the
    original did, with `"replayed": true`, and creates nothing.
    """
    site = current_site()
    intake = to_intake(json_body(), schema=_comment_schema(), idempotency_key=_idempotency_key())
    submitted = submit(services(), site, intake)
    body = _accepted(submitted)
    return jsonify(body), 202, {"Location": body["links"]["self"]}


def _batch_item(raw: Any, schema: CommentIn) -> store.Intake | ValidationFailed:
    # A NUL sinks its own item only, as any other error in it does: the batch answers the rest.
    try:
        refuse_nul(raw)
    except ValidationFailed as error:
        return error
    return to_intake_or_error(raw, schema=schema)


@bp.post("/batch")
@operation(
    "createComments",
    {200: Answer("One result per item, in order.", BatchResultOut)},
    *(status for status in _WRITE_ERRORS if status != 413),
    body=BatchIn,
    problems={
        413: Problem("The body exceeds MODERATION_MAX_BATCH_BYTES.", (PayloadTooLarge,)),
    },
)
def create_batch() -> tuple[Response, int]:
    """Record many comments; each is accepted or rejected on its own.

    Each item gets its own result, in order; all the new ones go to the queue in one job.
    """
    site = current_site()
    settings = services().settings
    # A batch may be as large as its items together; the single-comment limit would refuse it.
    request.max_content_length = settings.max_batch_bytes
    batch = schema(BatchIn, batch_max=settings.batch_max)
    envelope = load(batch, json_body(items_checked=True), "The batch is invalid.")
    item = _comment_schema()
    intakes = [_batch_item(raw, item) for raw in envelope["comments"]]
    results = []
    for index, outcome in enumerate(submit_many(services(), site, intakes)):
        if isinstance(outcome, Submitted):
            results.append({"index": index, "status": 202, "comment": _accepted(outcome)})
        else:
            results.append({"index": index, **outcome.members()})
    accepted = sum(1 for r in results if r["status"] == 202)
    return jsonify(
        {"accepted": accepted, "rejected": len(results) - accepted, "results": results}
    ), 200


@bp.get("/<comment_id:comment_id>")
@operation("getComment", _COMMENT, *_READ_ERRORS, path=_COMMENT_ID)
def read(comment_id: str) -> Response:
    """A comment's status and decision.

    Another site's comment is not found.
    """
    site = current_site()
    with services().db.session() as session:
        comment = store.find_comment(session, site.id, comment_id)
    if comment is None:
        raise NotFound(f"No comment {comment_id} on this site.")
    return jsonify(_present(comment))


@bp.get("/by-site-id/<path:external_id>")
@operation(
    "getCommentBySiteId",
    _COMMENT,
    *_READ_ERRORS,
    path={
        "external_id": fields.String(
            metadata={
                "description": "The site's own comment id (`id` in CommentIn, `site_comment_id` "
                "in Comment); it may contain `/`, sent as is or percent-encoded."
            }
        )
    },
)
def read_by_site_id(external_id: str) -> Response:
    """A comment looked up by the site's own id."""
    site = current_site()
    with services().db.session() as session:
        comment = store.find_by_external_id(session, site.id, external_id)
    if comment is None:
        raise NotFound(f"No comment with site id {external_id} on this site.")
    return jsonify(_present(comment))


@bp.put("/<comment_id:comment_id>")
@operation(
    "editComment",
    {
        202: Answer(
            "Queued as a new revision; the same text as now changes nothing.", CommentOut, _SELF
        )
    },
    *_WRITE_ERRORS,
    404,
    body=EditIn,
    path=_COMMENT_ID,
)
def edit(comment_id: str) -> tuple[Response, int, dict[str, str]]:
    """Replace an edited comment's text: a new revision, queued and moderated again.

    Earlier bodies are kept in the comment's history.
    """
    site = current_site()
    data = load(schema(EditIn, max_text_chars=services().settings.max_text_chars), json_body())
    comment = revise(services(), site.id, comment_id, data["body"])
    body = _present(comment)
    return jsonify(body), 202, {"Location": body["links"]["self"]}


@bp.get("/<comment_id>/history")
@operation(
    "getCommentHistory",
    {200: Answer("The history.", HistoryOut)},
    401,
    404,
    503,
    path=_COMMENT_ID,
    security=SITE_OR_MODERATOR,
)
def history(comment_id: str) -> Response:
    """Every step of a comment: receipt, decisions, reports, moderator actions, edits.

    For a site key, the site's own comments; for a moderator token, comments of the sites they
    moderate.
    """
    with services().db.session() as session:
        if is_moderator_request():
            comment = visible_comment(session, comment_id, current_moderator().site_ids)
        else:
            found = store.find_comment(session, current_site().id, comment_id)
            if found is None:
                raise NotFound(f"No comment {comment_id} on this site.")
            comment = found
        entries = list(audit.history(session, comment.id))
        revisions = list(store.revisions(session, comment.id))
        return jsonify(presenters.history(comment, entries, revisions))
