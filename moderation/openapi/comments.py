"""Comments as sites post, edit and read them, their history, and the rules check."""

from __future__ import annotations

from moderation.openapi.components import (
    ACTIONS,
    DEFAULTS,
    ID,
    SCORES,
    SITE_OR_MODERATOR,
    STATUSES,
    Json,
    array,
    body,
    field,
    location,
    nullable,
    obj,
    ok,
    op,
    path_param,
    problem,
    ref,
)

_TEXT_LIMIT = (
    f"not blank, at most MODERATION_MAX_TEXT_CHARS characters (default {DEFAULTS.max_text_chars})"
)
_TEXT: Json = {"minLength": 1, "pattern": r"\S"}

SCHEMAS: Json = {
    "Story": obj(
        "The story a comment was posted under.",
        optional=("url", "section", "title"),
        closed=True,
        id=field("string", "The site's story id.", **ID),
        url=field("string", "Public URL of the story.", null=True, format="uri", maxLength=2000),
        section=field(
            "string",
            "Section (politics, sport, …); rules may differ by it.",
            null=True,
            maxLength=200,
        ),
        title=field("string", "Headline, for moderators' context.", null=True, maxLength=500),
    ),
    "Author": obj(
        "The commenter as the site knows them.",
        optional=("name",),
        closed=True,
        id=field("string", "The site's user id.", **ID),
        name=field("string", "Display name.", null=True, maxLength=200),
    ),
    "CommentIn": obj(
        "A comment posted by a site for moderation.",
        optional=("parent_id", "created_at", "language"),
        closed=True,
        id=field("string", "The site's own comment id; posting it again is a replay.", **ID),
        story=ref("Story"),
        author=ref("Author"),
        body=field("string", f"The comment text: {_TEXT_LIMIT}.", **_TEXT),
        parent_id=field("string", "The site's id of the comment replied to.", null=True, **ID),
        created_at=field(
            "string",
            "When the reader posted it (RFC 3339 with offset).",
            null=True,
            format="date-time",
        ),
        language=field("string", "BCP 47 language tag.", null=True, minLength=2, maxLength=35),
    ),
    "EditIn": obj(
        "The edited text of a comment.",
        closed=True,
        body=field("string", f"The new text: {_TEXT_LIMIT}.", **_TEXT),
    ),
    "BatchIn": obj(
        closed=True,
        comments=array(
            field("object", "Shaped as CommentIn; validated one by one."),
            f"At most MODERATION_BATCH_MAX comments (default {DEFAULTS.batch_max}).",
            minItems=1,
        ),
    ),
    "Comment": obj(
        "A comment's state as its site sees it.",
        optional=("replayed",),
        id=field("string", "The service's id of the comment."),
        site_comment_id=field("string", "The site's own id, as posted in `id`."),
        status=field("string", "queued until a worker decides.", enum=STATUSES),
        revision=field("integer", "1, plus one per edit.", minimum=1),
        story_id=field("string"),
        section=field("string", null=True),
        author_id=field("string"),
        received_at=field("string", format="date-time"),
        decided_at=field("string", null=True, format="date-time"),
        decision=nullable(ref("Decision")),
        links=obj(self=field("string", "Path of this comment.")),
        replayed=field("boolean", "In answers to POSTs only: true when nothing was created."),
    ),
    "BatchItemAccepted": obj(
        index=field("integer", minimum=0), status={"const": 202}, comment=ref("Comment")
    ),
    "BatchItemRejected": obj(
        "A problem for one item (type validation-failed or idempotency-mismatch); no instance.",
        optional=("errors", "existing_id"),
        index=field("integer", minimum=0),
        type=field("string", format="uri"),
        status={"const": 422},
        title=field("string"),
        detail=field("string"),
        errors=ref("FieldErrors"),
        existing_id=field("string", "For an id reused with another body: who holds it."),
    ),
    "BatchResult": obj(
        accepted=field("integer", minimum=0),
        rejected=field("integer", minimum=0),
        results=array(
            {"oneOf": [ref("BatchItemAccepted"), ref("BatchItemRejected")]},
            "One per posted comment, in order.",
        ),
    ),
    "HistoryEntry": obj(
        "One step: `received` (always first), `decided`, `reported`, `flagged_by_reports`, "
        "`approved`, `rejected`, `rejected_by_ban`, `edited`, ….",
        at=field("string", format="date-time"),
        actor=obj(
            type=field("string", "Who acted: site, engine, reporter, moderator, system, …"),
            id=field("string", "The moderator's name, reporter's id, …", null=True),
        ),
        action=field("string"),
        from_status=field("string", null=True),
        to_status=field("string", null=True),
        reason=field("string", "A reason code, or the rule that decided.", null=True),
        note=field("string", null=True),
        ruleset_version=field("string", "For engine decisions.", null=True),
        data=field("object", "Details of the step (revision, report id, weights, …).", null=True),
    ),
    "History": obj(
        "Everything that happened to a comment, oldest first.",
        comment_id=field("string"),
        status=field("string", enum=STATUSES),
        revision=field("integer", minimum=1),
        entries=array(ref("HistoryEntry")),
        revisions=array(
            obj(
                revision=field("integer", minimum=1),
                body=field("string"),
                replaced_at=field("string", "When an edit replaced it.", format="date-time"),
            ),
            "Earlier bodies, oldest first; the current one is not repeated.",
        ),
    ),
    "CheckIn": {
        **obj(
            "A text to moderate as if the calling site had received it; send `body` or its "
            "alias `text`, not both.",
            optional=("body", "text", "section", "author_id", "author_prior_comments"),
            closed=True,
            body=field("string", f"The text to moderate: {_TEXT_LIMIT}.", **_TEXT),
            text=field("string", "Alias of `body`, as in `moderation check`.", **_TEXT),
            section=field("string", null=True),
            author_id=field("string", null=True),
            author_prior_comments=field(
                "integer",
                "Comments the author posted before; small values trigger pre-moderation "
                "of new authors. Default: an established author.",
                minimum=0,
                default=1_000_000,
            ),
        ),
        "oneOf": [{"required": ["body"]}, {"required": ["text"]}],
    },
    "CheckResult": obj(
        "The engine's decision, computed now and recorded nowhere.",
        action=field("string", enum=ACTIONS),
        reasons=array(ref("Reason")),
        ruleset_version=field("string", "Content hash of the rules used."),
        censored=field("string", "The text with matched terms masked.", null=True),
        scores=SCORES,
    ),
}

_WRITE_ERRORS = (400, 401, 403, 413, 422, 503)
_READ_ERRORS = (401, 403, 404, 503)
_COMMENT = ok(200, "The comment.", ref("Comment"))
_COMMENT_ID = path_param("comment_id", "The service's id, as the POST returned it.")
_SELF = location("Path of the comment.")

PATHS: Json = {
    "/v1/comments": {
        "post": op(
            "createComment",
            "Record a comment and queue it for moderation",
            {
                **ok(202, "Recorded and queued, or a replay.", ref("Comment"), headers=_SELF),
                "422": problem(
                    "The JSON breaks the schema (`errors` names each field), or the id or "
                    "Idempotency-Key was used for another body (`existing_id` names the comment).",
                    "validation-failed",
                    "idempotency-mismatch",
                ),
            },
            *(status for status in _WRITE_ERRORS if status != 422),
            parameters=[
                {
                    "name": "Idempotency-Key",
                    "in": "header",
                    "required": False,
                    "description": "A retry with the same key and body answers as the original "
                    "did; the same key with another body is a 422. Optional: the comment's `id` "
                    "already deduplicates.",
                    "schema": {"type": "string", "maxLength": 200},
                }
            ],
            requestBody=body("CommentIn"),
        )
    },
    "/v1/comments/batch": {
        "post": op(
            "createComments",
            "Record many comments; each is accepted or rejected on its own",
            {
                **ok(200, "One result per item, in order.", ref("BatchResult")),
                "413": problem(
                    "The body exceeds MODERATION_MAX_BATCH_BYTES "
                    f"(default {DEFAULTS.max_batch_bytes}).",
                    "payload-too-large",
                ),
            },
            *(status for status in _WRITE_ERRORS if status != 413),
            requestBody=body("BatchIn"),
        )
    },
    "/v1/comments/{comment_id}": {
        "parameters": [_COMMENT_ID],
        "get": op("getComment", "A comment's status and decision", _COMMENT, *_READ_ERRORS),
        "put": op(
            "editComment",
            "Replace an edited comment's text: a new revision, queued and moderated again",
            ok(
                202,
                "Queued as a new revision; the same text as now changes nothing.",
                ref("Comment"),
                headers=_SELF,
            ),
            *_WRITE_ERRORS,
            404,
            requestBody=body("EditIn"),
        ),
    },
    "/v1/comments/{comment_id}/history": {
        "get": op(
            "getCommentHistory",
            "Every step of a comment: receipt, decisions, reports, moderator actions, edits",
            ok(200, "The history.", ref("History")),
            401,
            404,
            503,
            description="For a site key, the site's own comments; for a moderator token, "
            "comments of the sites they moderate.",
            parameters=[_COMMENT_ID],
            **SITE_OR_MODERATOR,
        )
    },
    "/v1/comments/by-site-id/{external_id}": {
        "get": op(
            "getCommentBySiteId",
            "A comment looked up by the site's own id",
            _COMMENT,
            *_READ_ERRORS,
            parameters=[
                path_param(
                    "external_id",
                    "The site's own comment id (`id` in CommentIn, `site_comment_id` in "
                    "Comment); it may contain `/`, sent as is or percent-encoded.",
                )
            ],
        )
    },
    "/v1/moderate/check": {
        "post": op(
            "checkText",
            "Moderate a text with the current rules; nothing is recorded or queued",
            ok(200, "The decision.", ref("CheckResult")),
            *_WRITE_ERRORS,
            requestBody=body("CheckIn"),
        )
    },
}
