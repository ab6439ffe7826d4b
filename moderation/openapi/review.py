"""The moderators' review API: queues, comment detail, verdicts and orders about authors."""

from __future__ import annotations

from moderation.openapi.components import (
    MODERATOR,
    STATUSES,
    Json,
    array,
    body,
    field,
    nullable,
    obj,
    ok,
    op,
    path_param,
    query_param,
    ref,
)
from moderation.review import REJECTION_REASONS
from moderation.schemas.review import QUEUE_NAMES

_NULL_STRING = field("string", null=True)
_REJECTION_REASON = field(
    "string",
    "Required to reject; not recorded on approval.",
    null=True,
    enum=[*REJECTION_REASONS, None],
)
_VERDICT: Json = {
    "reason": _REJECTION_REASON,
    "note": field("string", "A note to the commenter.", null=True, maxLength=2000),
    "public_note": field(
        "string", "Shown to readers who reported the comment.", null=True, maxLength=1000
    ),
}

_COUNTS: Json = {name: field("integer", minimum=0) for name in QUEUE_NAMES}

SCHEMAS: Json = {
    "ReviewComment": obj(
        "A comment as moderators see it: text, context, decision with offsets, reports, review.",
        id=field("string", "The service's id of the comment."),
        site=field("string", "The site's name; in queue listings only, null elsewhere.", null=True),
        site_comment_id=field("string"),
        status=field("string", enum=STATUSES),
        revision=field("integer", minimum=1),
        body=field("string", "The current text."),
        story=obj(id=field("string"), url=_NULL_STRING, section=_NULL_STRING),
        author=obj(id=field("string"), name=_NULL_STRING),
        received_at=field("string", format="date-time"),
        decided_at=field("string", null=True, format="date-time"),
        decision=nullable(ref("Decision")),
        reports=obj(
            weight=field("number", "Weight of the open reports.", minimum=0),
            flagged_at=field(
                "string",
                "When reports moved it to the reported queue.",
                null=True,
                format="date-time",
            ),
        ),
        review=obj(
            "The last moderator's verdict, if any.",
            by=field("string", "The moderator's name.", null=True),
            at=field("string", null=True, format="date-time"),
            reason=field("string", "The rejection reason code.", null=True),
            note=_NULL_STRING,
        ),
    ),
    "QueueCounts": obj(
        queues=obj("Comments in each queue.", **_COUNTS),
    ),
    "QueuePage": obj(
        queue=field("string", enum=list(QUEUE_NAMES)),
        items=array(ref("ReviewComment")),
        next_cursor=field(
            "string", "Pass as `cursor` for the next page; null at the end.", null=True
        ),
    ),
    "VerdictIn": obj(
        "A moderator's verdict on one comment; send `{}` to approve without notes.",
        optional=tuple(_VERDICT),
        closed=True,
        **_VERDICT,
    ),
    "BulkVerdictIn": obj(
        "The same verdict on many comments, each applied on its own.",
        optional=tuple(_VERDICT),
        closed=True,
        action=field("string", enum=["approve", "reject"]),
        ids=array(field("string"), "Comment ids.", minItems=1, maxItems=500),
        **_VERDICT,
    ),
    "BulkResult": obj(
        results=array(
            {
                "oneOf": [
                    obj(
                        id=field("string"),
                        status={"const": 200},
                        comment_status=field("string", enum=STATUSES),
                    ),
                    obj(
                        "Not found in the moderator's sites.",
                        id=field("string"),
                        status={"const": 404},
                        detail=field("string"),
                    ),
                ]
            },
            "One per id, in order.",
        )
    ),
    "AuthorActionIn": obj(
        "An order about an author on one site.",
        optional=("reason", "reject_existing"),
        closed=True,
        site=field("string", "The site's name."),
        author_id=field("string", "The site's id of the author.", minLength=1, maxLength=200),
        action=field(
            "string",
            "premoderate: hold all their comments; ban: reject new ones; lift: undo both.",
            enum=["premoderate", "ban", "lift"],
        ),
        reason=field("string", null=True, maxLength=500),
        reject_existing=field(
            "boolean", "With ban: reject their standing comments.", default=False
        ),
    ),
    "AuthorState": obj(
        site=field("string", "The site's name."),
        author_id=field("string"),
        premoderate=field("boolean"),
        banned=field("boolean"),
    ),
}

_FILTERS = [
    query_param("site", field("string", "A site's name.")),
    query_param("story", field("string", "A story id.")),
    query_param("section", field("string")),
    query_param("author", field("string", "The site's author id.")),
    query_param("category", field("string", "A reason category: profanity, threat, …")),
    query_param(
        "since", field("string", "Received at or after (with offset).", format="date-time")
    ),
    query_param("until", field("string", "Received before (with offset).", format="date-time")),
]
_PAGING = [
    query_param("cursor", field("string", "The previous page's next_cursor.")),
    query_param("limit", field("integer", minimum=1, maximum=200, default=50)),
    query_param(
        "order",
        field(
            "string", "By id: oldest or newest first.", enum=["oldest", "newest"], default="oldest"
        ),
    ),
]
_COMMENT_ID = path_param("comment_id", "The service's id of the comment.")
_WRITE_ERRORS = (400, 401, 403, 404, 413, 422, 503)
_DETAIL = ok(
    200, "The comment after the verdict; `decision` is null in this answer.", ref("ReviewComment")
)

PATHS: Json = {
    "/v1/review/queues": {
        "get": op(
            "countQueues",
            "How many comments wait in each queue, under the filters",
            ok(200, "Counts by queue.", ref("QueueCounts")),
            401,
            403,
            422,
            503,
            parameters=_FILTERS,
            **MODERATOR,
        )
    },
    "/v1/review/queues/{queue}": {
        "get": op(
            "listQueue",
            "One page of a queue; follow `next_cursor` for the next",
            ok(200, "A page of comments.", ref("QueuePage")),
            401,
            403,
            404,
            422,
            503,
            description="held, rejected and approved are statuses; reported holds comments "
            "whose reports reached the threshold and that no moderator has judged since. "
            "Unknown query parameters are a 422.",
            parameters=[
                path_param("queue", "The queue.", enum=list(QUEUE_NAMES)),
                *_FILTERS,
                *_PAGING,
            ],
            **MODERATOR,
        )
    },
    "/v1/review/comments/{comment_id}": {
        "get": op(
            "getReviewComment",
            "A comment with its decision, for review",
            ok(200, "The comment.", ref("ReviewComment")),
            401,
            403,
            404,
            503,
            parameters=[_COMMENT_ID],
            **MODERATOR,
        )
    },
    "/v1/review/comments/{comment_id}/approve": {
        "post": op(
            "approveComment",
            "Approve a comment; its open reports are dismissed",
            _DETAIL,
            *_WRITE_ERRORS,
            parameters=[_COMMENT_ID],
            requestBody=body("VerdictIn"),
            **MODERATOR,
        )
    },
    "/v1/review/comments/{comment_id}/reject": {
        "post": op(
            "rejectComment",
            "Reject a comment with a reason code; its open reports are upheld",
            _DETAIL,
            *_WRITE_ERRORS,
            parameters=[_COMMENT_ID],
            requestBody=body("VerdictIn"),
            **MODERATOR,
        )
    },
    "/v1/review/actions": {
        "post": op(
            "reviewComments",
            "Approve or reject many comments; one result per id, in order",
            ok(200, "A result per id; ids not found are results, not errors.", ref("BulkResult")),
            *(status for status in _WRITE_ERRORS if status != 404),
            requestBody=body("BulkVerdictIn"),
            **MODERATOR,
        )
    },
    "/v1/review/authors": {
        "post": op(
            "actOnAuthor",
            "Pre-moderate, ban (optionally rejecting standing comments) or lift an author",
            ok(200, "The author's state on the site.", ref("AuthorState")),
            *(status for status in _WRITE_ERRORS if status != 404),
            requestBody=body("AuthorActionIn"),
            **MODERATOR,
        )
    },
}
