"""The OpenAPI 3.1 description of the HTTP API, as the dict GET /v1/openapi.json serves."""

from __future__ import annotations

from typing import Any

from moderation.errors import PROBLEM_TYPE_BASE
from moderation.settings import Settings

Json = dict[str, Any]

# Limits are quoted from the settings' defaults so the text cannot drift from the code.
_DEFAULTS = Settings()
_ACTIONS = ["approve", "hold", "reject"]
_ID: Json = {"minLength": 1, "maxLength": 200}


def _ref(name: str, kind: str = "schemas") -> Json:
    return {"$ref": f"#/components/{kind}/{name}"}


def _field(type_: str, description: str = "", *, null: bool = False, **extra: Any) -> Json:
    """A scalar schema; `null` admits JSON null (3.1 spells it as a list of types)."""
    schema: Json = {"type": [type_, "null"] if null else type_, **extra}
    if description:
        schema["description"] = description
    return schema


def _obj(
    description: str = "", *, optional: tuple[str, ...] = (), closed: bool = False, **props: Json
) -> Json:
    """An object schema whose properties are all required except `optional` ones."""
    schema: Json = {"type": "object", "properties": props}
    required = [name for name in props if name not in optional]
    if required:
        schema["required"] = required
    if closed:  # marshmallow's default: unknown fields are a 422
        schema["additionalProperties"] = False
    if description:
        schema["description"] = description
    return schema


def _array(items: Json, description: str = "", **extra: Any) -> Json:
    return _field("array", description, items=items, **extra)


def _content(schema: Json, media_type: str = "application/json") -> Json:
    return {media_type: {"schema": schema}}


def _problem(description: str, **extra: Any) -> Json:
    return {
        "description": description,
        "content": _content(_ref("Problem"), "application/problem+json"),
        **extra,
    }


_SCHEMAS: Json = {
    "Story": _obj(
        "The story a comment was posted under.",
        optional=("url", "section", "title"),
        closed=True,
        id=_field("string", "The site's story id.", **_ID),
        url=_field("string", "Public URL of the story.", null=True, format="uri", maxLength=2000),
        section=_field(
            "string",
            "Section (politics, sport, …); rules may differ by it.",
            null=True,
            maxLength=200,
        ),
        title=_field("string", "Headline, for moderators' context.", null=True, maxLength=500),
    ),
    "Author": _obj(
        "The commenter as the site knows them.",
        optional=("name",),
        closed=True,
        id=_field("string", "The site's user id.", **_ID),
        name=_field("string", "Display name.", null=True, maxLength=200),
    ),
    "CommentIn": _obj(
        "A comment posted by a site for moderation.",
        optional=("parent_id", "created_at", "language"),
        closed=True,
        id=_field("string", "The site's own comment id; posting it again is a replay.", **_ID),
        story=_ref("Story"),
        author=_ref("Author"),
        body=_field(
            "string",
            "The comment text: not blank, at most MODERATION_MAX_TEXT_CHARS characters "
            f"(default {_DEFAULTS.max_text_chars}).",
            minLength=1,
            pattern=r"\S",
        ),
        parent_id=_field("string", "The site's id of the comment replied to.", null=True, **_ID),
        created_at=_field(
            "string",
            "When the reader posted it (RFC 3339 with offset).",
            null=True,
            format="date-time",
        ),
        language=_field("string", "BCP 47 language tag.", null=True, minLength=2, maxLength=35),
    ),
    "BatchIn": _obj(
        closed=True,
        comments=_array(
            _field("object", "Shaped as CommentIn; validated one by one."),
            f"At most MODERATION_BATCH_MAX comments (default {_DEFAULTS.batch_max}).",
            minItems=1,
        ),
    ),
    "Reason": _obj(
        "One rule hit; start/end are offsets into the original text.",
        rule_id=_field("string", "The rule that hit."),
        code=_field("string", "Machine-readable reason code."),
        category=_field("string", "Category of the hit (profanity, spam, …)."),
        severity=_field("integer"),
        action=_field("string", "What this hit alone asks for.", enum=_ACTIONS),
        term=_field("string", "The matched term, for rules that match terms.", null=True),
        start=_field("integer", "Offset of the first matched character.", null=True),
        end=_field("integer", "Offset just past the match.", null=True),
    ),
    "Decision": _obj(
        "The recorded decision on a comment.",
        action=_field("string", enum=_ACTIONS),
        reasons=_array(_ref("Reason")),
        ruleset_version=_field("string", "Content hash of the rules used."),
        decided_at=_field("string", format="date-time"),
    ),
    "Comment": _obj(
        "A comment's state as its site sees it.",
        optional=("replayed",),
        id=_field("string", "The service's id of the comment."),
        site_comment_id=_field("string", "The site's own id, as posted in `id`."),
        status=_field(
            "string",
            "queued until a worker decides.",
            enum=["queued", "approved", "held", "rejected"],
        ),
        revision=_field("integer", minimum=1),
        story_id=_field("string"),
        section=_field("string", null=True),
        author_id=_field("string"),
        received_at=_field("string", format="date-time"),
        decided_at=_field("string", null=True, format="date-time"),
        decision={"oneOf": [_ref("Decision"), {"type": "null"}]},
        links=_obj(self=_field("string", "Path of this comment.")),
        replayed=_field("boolean", "In answers to POSTs only: true when nothing was created."),
    ),
    "BatchItemAccepted": _obj(
        index=_field("integer", minimum=0), status={"const": 202}, comment=_ref("Comment")
    ),
    "BatchItemRejected": _obj(
        "A problem for one item; type and instance are not repeated per item.",
        optional=("errors", "existing_id"),
        index=_field("integer", minimum=0),
        status=_field("integer", "422 for every rejected item."),
        title=_field("string"),
        detail=_field("string"),
        errors=_ref("FieldErrors"),
        existing_id=_field("string", "For an id reused with another body: who holds it."),
    ),
    "BatchResult": _obj(
        accepted=_field("integer", minimum=0),
        rejected=_field("integer", minimum=0),
        results=_array(
            {"oneOf": [_ref("BatchItemAccepted"), _ref("BatchItemRejected")]},
            "One per posted comment, in order.",
        ),
    ),
    "CheckIn": {
        **_obj(
            "A text to moderate as if the calling site had received it.",
            optional=("body", "text", "section", "author_id", "author_prior_comments"),
            closed=True,
            body=_field("string", "The text to moderate.", minLength=1),
            text=_field("string", "Alias of `body`, as in `moderation check`.", minLength=1),
            section=_field("string", null=True),
            author_id=_field("string", null=True),
            author_prior_comments=_field(
                "integer",
                "Comments the author posted before; small values trigger pre-moderation "
                "of new authors. Default: an established author.",
                minimum=0,
                default=1_000_000,
            ),
        ),
        "oneOf": [{"required": ["body"]}, {"required": ["text"]}],
    },
    "CheckResult": _obj(
        "The engine's decision, computed now and recorded nowhere.",
        action=_field("string", enum=_ACTIONS),
        reasons=_array(_ref("Reason")),
        ruleset_version=_field("string", "Content hash of the rules used."),
        censored=_field("string", "The text with matched terms masked.", null=True),
    ),
    "FieldErrors": _field(
        "object",
        "Messages by field, nested like the body; `_schema` is the body as a whole.",
        additionalProperties=True,
    ),
    "Problem": _obj(
        "RFC 9457 problem details; extra members (such as existing_id) may appear.",
        optional=("errors",),
        type=_field("string", f"{PROBLEM_TYPE_BASE}<slug>, naming the kind.", format="uri"),
        title=_field("string"),
        status=_field("integer"),
        detail=_field("string"),
        instance=_field("string", "The request path.", format="uri-reference"),
        errors=_ref("FieldErrors"),
    ),
    "Health": _obj(status={"const": "ok"}),
    "Readiness": _obj(
        status=_field("string", enum=["ok", "unavailable"]),
        checks=_obj(database=_field("boolean"), redis=_field("boolean")),
    ),
}

_RESPONSES: Json = {
    "400": _problem("The body is not JSON, or not sent as application/json."),
    "401": _problem("No API key, or one that is unknown or revoked."),
    "404": _problem("No such comment on the calling site."),
    "413": _problem(
        f"The body exceeds MODERATION_MAX_BODY_BYTES (default {_DEFAULTS.max_body_bytes})."
    ),
    "422": _problem(
        "The JSON breaks the schema (`errors` names each field), or an id or "
        "Idempotency-Key is reused with another body."
    ),
    "503": _problem(
        "The database cannot be reached; nothing was recorded. Retry later.",
        headers={"Retry-After": {"description": "Seconds.", "schema": {"type": "integer"}}},
    ),
}


def _ok(status: int, description: str, schema: Json, **extra: Any) -> Json:
    return {str(status): {"description": description, "content": _content(schema), **extra}}


def _op(operation_id: str, summary: str, ok: Json, *errors: int, **extra: Any) -> Json:
    """One operation: its success response(s), then the problems it may answer with."""
    responses = {**ok, **{str(status): _ref(str(status), "responses") for status in errors}}
    return {"operationId": operation_id, "summary": summary, "responses": responses, **extra}


def _body(name: str) -> Json:
    return {"required": True, "content": _content(_ref(name))}


_PUBLIC: Json = {"security": []}  # no API key needed
_IDEMPOTENCY_KEY: Json = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "A retry with the same key and body answers as the original did; the same "
    "key with another body is a 422. Optional: the comment's `id` already deduplicates.",
    "schema": {"type": "string", "maxLength": 200},
}
_LOCATION = {"Location": {"description": "Path of the comment.", "schema": {"type": "string"}}}
_COMMENT = _ok(200, "The comment.", _ref("Comment"))
_WRITE_ERRORS = (400, 401, 413, 422, 503)


def _by(name: str, description: str) -> Json:
    """A comment read by the path parameter `name`."""
    param = {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
    return {"parameters": [{**param, "description": description}]}


_PATHS: Json = {
    "/v1/comments": {
        "post": _op(
            "createComment",
            "Record a comment and queue it for moderation",
            _ok(202, "Recorded and queued, or a replay.", _ref("Comment"), headers=_LOCATION),
            *_WRITE_ERRORS,
            parameters=[_IDEMPOTENCY_KEY],
            requestBody=_body("CommentIn"),
        )
    },
    "/v1/comments/batch": {
        "post": _op(
            "createComments",
            "Record many comments; each is accepted or rejected on its own",
            _ok(200, "One result per item, in order.", _ref("BatchResult")),
            *_WRITE_ERRORS,
            requestBody=_body("BatchIn"),
        )
    },
    "/v1/comments/{comment_id}": {
        "get": _op(
            "getComment",
            "A comment's status and decision",
            _COMMENT,
            401,
            404,
            503,
            **_by("comment_id", "The service's id, as the POST returned it."),
        )
    },
    "/v1/comments/by-site-id/{external_id}": {
        "get": _op(
            "getCommentBySiteId",
            "A comment looked up by the site's own id",
            _COMMENT,
            401,
            404,
            503,
            **_by(
                "external_id",
                "The site's own comment id (`id` in CommentIn, `site_comment_id` in Comment); "
                "it may contain `/`, sent as is or percent-encoded.",
            ),
        )
    },
    "/v1/moderate/check": {
        "post": _op(
            "checkText",
            "Moderate a text with the current rules; nothing is recorded or queued",
            _ok(200, "The decision.", _ref("CheckResult")),
            *_WRITE_ERRORS,
            requestBody=_body("CheckIn"),
        )
    },
    "/healthz": {
        "get": _op("live", "The process answers", _ok(200, "Alive.", _ref("Health")), **_PUBLIC)
    },
    "/readyz": {
        "get": _op(
            "ready",
            "The database and Redis answer",
            {
                **_ok(200, "Ready.", _ref("Readiness")),
                **_ok(503, "Not ready: a balancer should stop sending traffic.", _ref("Readiness")),
            },
            **_PUBLIC,
        )
    },
    "/v1/openapi.json": {
        "get": _op(
            "openapi", "This document", _ok(200, "OpenAPI 3.1.", {"type": "object"}), **_PUBLIC
        )
    },
}

SPEC: Json = {
    "openapi": "3.1.0",
    "info": {
        "title": "Comment moderation",
        "version": "1",
        "summary": "Sites post readers' comments; workers moderate them; sites read decisions.",
        "license": {"name": "MIT", "identifier": "MIT"},
    },
    "security": [{"siteKey": []}],
    "paths": _PATHS,
    "components": {
        "securitySchemes": {
            "siteKey": {
                "type": "http",
                "scheme": "bearer",
                "description": "The site's API key, from `moderation sites create`.",
            }
        },
        "schemas": _SCHEMAS,
        "responses": _RESPONSES,
    },
}
