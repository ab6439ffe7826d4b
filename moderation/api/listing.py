"""Listing: a site's comments, filtered and paged, flat or as threads for a story page."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from moderation.api.common import current_site, schema, services
from moderation.openapi import Answer, operation
from moderation.schemas.listing import CommentPageOut, CommentsQuery
from moderation.schemas.loading import load
from moderation.store import listing as store
from moderation.store.models import CommentStatus

bp = Blueprint("listing", __name__, url_prefix="/v1/comments")


def _item(comment: store.Listed) -> dict[str, Any]:
    return {
        "id": comment.id,
        "site_comment_id": comment.external_id,
        "status": comment.status,
        "revision": comment.revision,
        "story_id": comment.story_id,
        "section": comment.section,
        "author": {"id": comment.author_id, "name": comment.author_name},
        "parent_id": comment.parent_id,
        "body": comment.body,
        "created_at": comment.created_at.isoformat() if comment.created_at else None,
        "received_at": comment.received_at.isoformat(),
        "decided_at": comment.decided_at.isoformat() if comment.decided_at else None,
    }


def _threads(roots: list[store.Listed], replies: list[store.Listed]) -> list[dict[str, Any]]:
    # Replies come level by level, so a reply's parent is placed before it is.
    root_of = {root.external_id: root.external_id for root in roots}
    below: dict[str, list[dict[str, Any]]] = {root.external_id: [] for root in roots}
    for reply in replies:
        root = root_of[reply.parent_id or ""]
        root_of[reply.external_id] = root
        below[root].append(_item(reply))
    for items in below.values():
        items.sort(key=lambda item: str(item["id"]))
    return [{**_item(root), "replies": below[root.external_id]} for root in roots]


@bp.get("")
@operation(
    "listComments",
    {200: Answer("A page of comments.", CommentPageOut)},
    401,
    403,
    422,
    503,
    query=CommentsQuery,
)
def listing() -> Response:
    """The site's comments under the filters, a page at a time; follow `next_cursor`.

    `status=approved&story_id=…` is what a story page shows; with `thread=true` the page holds
    approved top-level comments, each with its approved replies (with another status it is
    empty). Unknown query parameters are a 422.
    """
    site = current_site()
    query = load(schema(CommentsQuery), request.args.to_dict())
    if query["thread"] and query["status"] not in (None, CommentStatus.APPROVED):
        # A thread holds approved comments only: no comment is both, so the page is empty.
        return jsonify({"items": [], "next_cursor": None})
    filters = store.Listing(
        site_id=site.id,
        story_id=query["story_id"],
        status=CommentStatus.APPROVED if query["thread"] else query["status"],
        author_id=query["author_id"],
        since=query["since"],
        until=query["until"],
        q=query["q"],
    )
    # Reads only: each statement commits by itself, which saves BEGIN and COMMIT round trips.
    with services().db.autocommit() as session:
        comments, cursor = store.list_comments(
            session,
            filters,
            after=query["cursor"],
            limit=query["limit"],
            newest_first=query["order"] == "newest",
            top_level=query["thread"],
        )
        if query["thread"]:
            replies = store.approved_replies(session, site.id, comments)
            items = _threads(comments, replies)
        else:
            items = [_item(c) for c in comments]
    return jsonify({"items": items, "next_cursor": cursor})
