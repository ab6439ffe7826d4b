"""Comments: sites post them for moderation and read back their decisions."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from moderation import presenters
from moderation.api.common import (
    current_moderator,
    current_site,
    is_moderator_request,
    json_body,
    load,
    schema,
    services,
)
from moderation.errors import PROBLEM_TYPE_BASE, ModerationError, NotFound, ValidationFailed
from moderation.intake import Submitted, revise, submit, submit_many, to_intake, to_intake_or_error
from moderation.review import visible_comment
from moderation.schemas.comments import BatchIn, CommentIn
from moderation.schemas.reports import EditIn
from moderation.store import audit
from moderation.store import comments as store
from moderation.store.models import Comment

bp = Blueprint("comments", __name__, url_prefix="/v1/comments")
#: Longest Idempotency-Key the store keeps: the column's width.
IDEMPOTENCY_KEY_MAX: int = Comment.__table__.c.idempotency_key.type.length  # type: ignore[attr-defined]


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


def _idempotency_key() -> str | None:
    key = request.headers.get("Idempotency-Key") or None
    if key is not None and (len(key) > IDEMPOTENCY_KEY_MAX or not key.isprintable()):
        raise ValidationFailed(
            "The Idempotency-Key header is invalid.",
            errors={"Idempotency-Key": [f"At most {IDEMPOTENCY_KEY_MAX} printable characters."]},
        )
    return key


def _present(comment: store.Stored) -> dict[str, Any]:
    decision = None
    if comment.status != store.QUEUED:
        with services().db.session() as session:
            decision = store.latest_decision(session, comment)
    return presenters.comment_status(comment, decision, _location(comment.id))


def _accepted(submitted: Submitted) -> dict[str, Any]:
    body = _present(submitted.comment)
    body["replayed"] = not submitted.created
    return body


@bp.post("")
def create() -> tuple[Response, int, dict[str, str]]:
    """Record a comment and queue it for moderation; a replay answers as the original did."""
    site = current_site()
    intake = to_intake(json_body(), schema=_comment_schema(), idempotency_key=_idempotency_key())
    submitted = submit(services(), site.id, intake)
    body = _accepted(submitted)
    return jsonify(body), 202, {"Location": body["links"]["self"]}


def _problem_item(error: ModerationError) -> dict[str, Any]:
    item: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + error.slug,
        "status": error.status,
        "title": error.title,
        "detail": error.detail,
    }
    if error.errors is not None:
        item["errors"] = error.errors
    item.update(error.extra)
    return item


@bp.post("/batch")
def create_batch() -> tuple[Response, int]:
    """Record many comments; each item gets its own result, in order."""
    site = current_site()
    settings = services().settings
    # A batch may be as large as its items together; the single-comment limit would refuse it.
    request.max_content_length = settings.max_batch_bytes
    batch = schema(BatchIn, batch_max=settings.batch_max)
    envelope = load(batch, json_body(), "The batch is invalid.")
    item = _comment_schema()
    intakes = [to_intake_or_error(raw, schema=item) for raw in envelope["comments"]]
    results = []
    for index, outcome in enumerate(submit_many(services(), site.id, intakes)):
        if isinstance(outcome, Submitted):
            results.append({"index": index, "status": 202, "comment": _accepted(outcome)})
        else:
            results.append({"index": index, **_problem_item(outcome)})
    accepted = sum(1 for r in results if r["status"] == 202)
    return jsonify(
        {"accepted": accepted, "rejected": len(results) - accepted, "results": results}
    ), 200


@bp.get("/<comment_id>")
def read(comment_id: str) -> Response:
    """A comment's status and decision; another site's comment is not found."""
    site = current_site()
    with services().db.session() as session:
        comment = store.find_comment(session, site.id, comment_id)
    if comment is None:
        raise NotFound(f"No comment {comment_id} on this site.")
    return jsonify(_present(comment))


@bp.get("/by-site-id/<path:external_id>")
def read_by_site_id(external_id: str) -> Response:
    """A comment looked up by the site's own id."""
    site = current_site()
    with services().db.session() as session:
        comment = store.find_by_external_id(session, site.id, external_id)
    if comment is None:
        raise NotFound(f"No comment with site id {external_id} on this site.")
    return jsonify(_present(comment))


@bp.put("/<comment_id>")
def edit(comment_id: str) -> tuple[Response, int, dict[str, str]]:
    """Replace an edited comment's body: a new revision, moderated again; history is kept."""
    site = current_site()
    data = load(schema(EditIn, max_text_chars=services().settings.max_text_chars), json_body())
    comment = revise(services(), site.id, comment_id, data["body"])
    body = _present(comment)
    return jsonify(body), 202, {"Location": body["links"]["self"]}


@bp.get("/<comment_id>/history")
def history(comment_id: str) -> Response:
    """Every step of a comment: receipt, decisions, reports, moderator actions, edits."""
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
