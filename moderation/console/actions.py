"""The console's forms: verdicts on one or many comments and orders about authors.

Each calls the review services the API calls (moderation.domain.review), with the same schemas: the
console adds no second way to approve, reject, ban or pre-moderate.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, redirect, request
from werkzeug.wrappers import Response as Answer

from moderation.api.common import schema, services
from moderation.console import claims
from moderation.console.auth import check_csrf
from moderation.console.blueprint import bp
from moderation.domain.review import act_on_author, review_comments
from moderation.errors import NotFound
from moderation.schemas.loading import load
from moderation.schemas.review import AuthorActionIn, BulkVerdictIn, VerdictIn


def _fields(*names: str) -> dict[str, Any]:
    # An empty form field means "not given", as an absent JSON key does in the API.
    return {n: v for n in names if (v := request.form.get(n, "").strip())}


def _is_fetch() -> bool:
    return request.headers.get("X-Console") == "fetch"


def _back() -> str:
    target = request.form.get("back", "")
    return target if target.startswith("/console/") and "//" not in target else "/console/"


def _answer(payload: dict[str, Any]) -> Answer:
    # The page's script reads JSON and moves on without a page load; a plain form goes back.
    return jsonify(payload) if _is_fetch() else redirect(_back(), 303)


def _verdict(comment_ids: list[str], *, approve: bool, data: dict[str, Any]) -> list[Any]:
    signed = check_csrf()
    outcomes = review_comments(
        services(),
        signed.moderator,
        signed.site_ids,
        comment_ids,
        approve=approve,
        reason=data["reason"],
        note=data["note"],
        public_note=data["public_note"],
    )
    claims.release(services().redis, comment_ids)
    return outcomes


def _single(comment_id: str, *, approve: bool) -> Answer:
    check_csrf()
    data = load(schema(VerdictIn), _fields("reason", "note", "public_note"))
    (outcome,) = _verdict([comment_id], approve=approve, data=data)
    if isinstance(outcome, NotFound):
        raise outcome
    return _answer({"id": comment_id, "status": outcome.status})


@bp.post("/comments/<comment_id>/approve")
def approve(comment_id: str) -> Answer:
    """Approve a comment (its open reports are dismissed)."""
    return _single(comment_id, approve=True)


@bp.post("/comments/<comment_id>/reject")
def reject(comment_id: str) -> Answer:
    """Reject a comment with a reason code and an optional note."""
    return _single(comment_id, approve=False)


@bp.post("/bulk")
def bulk() -> Answer:
    """The same verdict on every selected comment."""
    check_csrf()
    data = load(
        schema(BulkVerdictIn),
        {**_fields("action", "reason", "note"), "ids": request.form.getlist("ids")},
        "Select comments and a verdict.",
    )
    outcomes = _verdict(data["ids"], approve=data["action"] == "approve", data=data)
    pairs = zip(data["ids"], outcomes, strict=True)
    done = [cid for cid, outcome in pairs if not isinstance(outcome, NotFound)]
    return _answer({"done": done})


@bp.post("/authors")
def author() -> Answer:
    """Pre-moderate, ban or lift an author on one site."""
    signed = check_csrf()
    data = load(
        schema(AuthorActionIn),
        {
            **_fields("site", "author_id", "action", "reason"),
            "reject_existing": request.form.get("reject_existing") == "on",
        },
    )
    found = act_on_author(
        services(),
        signed.moderator,
        signed.site_ids,
        site_name=data["site"],
        author_id=data["author_id"],
        action=data["action"],
        reason=data["reason"],
        reject_existing=data["reject_existing"],
    )
    return _answer({"premoderate": found.premoderate, "banned": found.banned_at is not None})
