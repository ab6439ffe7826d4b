"""The moderators' review API: queues, counts, verdicts and orders about authors."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request
from marshmallow import fields, validate
from sqlalchemy.orm import Session

from moderation.api.common import current_moderator, json_body, schema, services
from moderation.domain.review import act_on_author, review_comments, visible_comment
from moderation.errors import NotFound
from moderation.openapi import MODERATOR, Answer, operation
from moderation.presenters import comment_detail
from moderation.schemas.loading import load
from moderation.schemas.review import (
    QUEUE_NAMES,
    AuthorActionIn,
    AuthorStateOut,
    BulkResultOut,
    BulkVerdictIn,
    CountsQuery,
    QueueCountsOut,
    QueuePageOut,
    QueueQuery,
    RejectionIn,
    ReviewCommentOut,
    VerdictIn,
)
from moderation.store import review as queues
from moderation.store.models import Comment

bp = Blueprint("review", __name__, url_prefix="/v1/review")


@bp.before_request
def _authenticate() -> None:
    # Credentials first, so an anonymous caller learns nothing from validation errors.
    current_moderator()


_COMMENT_ID = {
    "comment_id": fields.String(metadata={"description": "The service's id of the comment."})
}
_WRITE_ERRORS = (400, 401, 403, 404, 413, 422, 503)
_DETAIL = {
    200: Answer(
        "The comment after the verdict; `decision` is null in this answer.", ReviewCommentOut
    )
}


def _filters(query: dict[str, Any], site_ids: frozenset[str] | None) -> queues.Filters:
    keys = ("site", "story", "section", "author", "category", "since", "until")
    return queues.Filters(site_ids=site_ids, **{k: query[k] for k in keys})


@bp.get("/queues")
@operation(
    "countQueues",
    {200: Answer("Counts by queue.", QueueCountsOut)},
    401,
    403,
    422,
    503,
    query=CountsQuery,
    security=MODERATOR,
)
def counts() -> Response:
    """How many comments wait in each queue, under the filters."""
    scope = current_moderator()
    query = load(schema(CountsQuery), request.args.to_dict())
    with services().db.session() as session:
        return jsonify({"queues": queues.queue_counts(session, _filters(query, scope.site_ids))})


@bp.get("/queues/<queue>")
@operation(
    "listQueue",
    {200: Answer("A page of comments.", QueuePageOut)},
    401,
    403,
    404,
    422,
    503,
    query=QueueQuery,
    path={
        "queue": fields.String(
            validate=validate.OneOf(QUEUE_NAMES), metadata={"description": "The queue."}
        )
    },
    security=MODERATOR,
)
def listing(queue: str) -> Response:
    """One page of a queue; follow `next_cursor` for the next.

    held, rejected and approved are statuses; reported holds comments whose reports reached
    the threshold and that no moderator has judged since. Unknown query parameters are a 422.
    """
    if queue not in QUEUE_NAMES:
        raise NotFound(f"No queue {queue}; queues are {', '.join(QUEUE_NAMES)}.")
    scope = current_moderator()
    query = load(schema(QueueQuery), request.args.to_dict())
    with services().db.session() as session:
        rows, cursor = queues.list_queue(
            session,
            queue,
            _filters(query, scope.site_ids),
            after=query["cursor"],
            limit=query["limit"],
            newest_first=query["order"] == "newest",
            most_severe=query["order"] == "severe",
        )
        decisions = queues.decisions_for(session, [comment for comment, _ in rows])
        items = [comment_detail(c, site, decisions.get(c.id)) for c, site in rows]
    return jsonify({"queue": queue, "items": items, "next_cursor": cursor})


@bp.get("/comments/<comment_id>")
@operation(
    "getReviewComment",
    {200: Answer("The comment.", ReviewCommentOut)},
    401,
    403,
    404,
    503,
    path=_COMMENT_ID,
    security=MODERATOR,
)
def read(comment_id: str) -> Response:
    """A comment with its decision, for review."""
    scope = current_moderator()
    with services().db.session() as session:
        return jsonify(_detail(session, visible_comment(session, comment_id, scope.site_ids)))


def _detail(session: Session, comment: Comment) -> dict[str, Any]:
    decision = queues.decisions_for(session, [comment]).get(comment.id)
    return comment_detail(comment, queues.site_name(session, comment.site_id), decision)


def _verdict(
    comment_ids: list[str], *, approve: bool, data: dict[str, Any]
) -> list[Comment | NotFound]:
    scope = current_moderator()
    return review_comments(
        services(),
        scope.moderator,
        scope.site_ids,
        comment_ids,
        approve=approve,
        reason=data["reason"],
        note=data["note"],
        public_note=data["public_note"],
    )


def _single(comment_id: str, *, approve: bool) -> Response:
    data = load(schema(VerdictIn if approve else RejectionIn), json_body(empty={}))
    (outcome,) = _verdict([comment_id], approve=approve, data=data)
    if isinstance(outcome, NotFound):
        raise outcome
    with services().db.session() as session:
        return jsonify(_detail(session, outcome))


@bp.post("/comments/<comment_id>/approve")
@operation(
    "approveComment",
    _DETAIL,
    *_WRITE_ERRORS,
    body=VerdictIn,
    body_required=False,
    path=_COMMENT_ID,
    security=MODERATOR,
)
def approve(comment_id: str) -> Response:
    """Approve a comment; its open reports are dismissed."""
    return _single(comment_id, approve=True)


@bp.post("/comments/<comment_id>/reject")
@operation(
    "rejectComment",
    _DETAIL,
    *_WRITE_ERRORS,
    body=RejectionIn,
    path=_COMMENT_ID,
    security=MODERATOR,
)
def reject(comment_id: str) -> Response:
    """Reject a comment with a reason code; its open reports are upheld."""
    return _single(comment_id, approve=False)


@bp.post("/actions")
@operation(
    "reviewComments",
    {200: Answer("A result per id; ids not found are results, not errors.", BulkResultOut)},
    *(status for status in _WRITE_ERRORS if status != 404),
    body=BulkVerdictIn,
    security=MODERATOR,
)
def bulk() -> Response:
    """Approve or reject many comments; one result per id, in order."""
    data = load(schema(BulkVerdictIn), json_body())
    outcomes = _verdict(data["ids"], approve=data["action"] == "approve", data=data)
    results = [
        {"id": cid, "status": 404, "detail": o.detail}
        if isinstance(o, NotFound)
        else {"id": cid, "status": 200, "comment_status": o.status}
        for cid, o in zip(data["ids"], outcomes, strict=True)
    ]
    return jsonify({"results": results})


@bp.post("/authors")
@operation(
    "actOnAuthor",
    {200: Answer("The author's state on the site.", AuthorStateOut)},
    *(status for status in _WRITE_ERRORS if status != 404),
    body=AuthorActionIn,
    security=MODERATOR,
)
def author() -> Response:
    """Pre-moderate, ban (optionally rejecting standing comments) or lift an author."""
    scope = current_moderator()
    data = load(schema(AuthorActionIn), json_body())
    found = act_on_author(
        services(),
        scope.moderator,
        scope.site_ids,
        site_name=data["site"],
        author_id=data["author_id"],
        action=data["action"],
        reason=data["reason"],
        reject_existing=data["reject_existing"],
    )
    return jsonify(
        {
            "site": data["site"],
            "author_id": found.external_id,
            "premoderate": found.premoderate,
            "banned": found.banned_at is not None,
        }
    )
