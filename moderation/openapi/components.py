"""Builders of OpenAPI fragments, and the schemas and problem responses every part shares."""

from __future__ import annotations

from typing import Any

from moderation.errors import PROBLEM_TYPE_BASE
from moderation.settings import Settings

Json = dict[str, Any]

# Limits are quoted from the settings' defaults so the text cannot drift from the code.
DEFAULTS = Settings()
ACTIONS = ["approve", "hold", "reject"]
STATUSES = ["queued", "approved", "held", "rejected"]
ID: Json = {"minLength": 1, "maxLength": 200}


def ref(name: str, kind: str = "schemas") -> Json:
    """A reference to a component."""
    return {"$ref": f"#/components/{kind}/{name}"}


def field(type_: str, description: str = "", *, null: bool = False, **extra: Any) -> Json:
    """A scalar schema; `null` admits JSON null (3.1 spells it as a list of types)."""
    schema: Json = {"type": [type_, "null"] if null else type_, **extra}
    if description:
        schema["description"] = description
    return schema


def obj(
    doc: str = "", /, *, optional: tuple[str, ...] = (), closed: bool = False, **props: Json
) -> Json:
    """An object schema whose properties are all required except `optional` ones.

    `doc` is positional-only so that a property may itself be called `description`.
    """
    schema: Json = {"type": "object", "properties": props}
    required = [name for name in props if name not in optional]
    if required:
        schema["required"] = required
    if closed:  # marshmallow's default: unknown fields are a 422
        schema["additionalProperties"] = False
    if doc:
        schema["description"] = doc
    return schema


def array(items: Json, description: str = "", **extra: Any) -> Json:
    """An array schema."""
    return field("array", description, items=items, **extra)


def nullable(schema: Json) -> Json:
    """A referenced or composite schema, or null."""
    return {"oneOf": [schema, {"type": "null"}]}


def content(schema: Json, media_type: str = "application/json") -> Json:
    """A response or request body of one media type."""
    return {media_type: {"schema": schema}}


def problem(description: str, *slugs: str, **extra: Any) -> Json:
    """A problem response whose `type` is one of the slugs."""
    types = [PROBLEM_TYPE_BASE + slug for slug in slugs]
    narrowed = {"properties": {"type": {"enum": types} if len(types) > 1 else {"const": types[0]}}}
    return {
        "description": description,
        "content": content({"allOf": [ref("Problem"), narrowed]}, "application/problem+json"),
        **extra,
    }


def ok(status: int, description: str, schema: Json, **extra: Any) -> Json:
    """A success response, keyed by its status."""
    return {str(status): {"description": description, "content": content(schema), **extra}}


def op(operation_id: str, summary: str, answers: Json, *errors: int, **extra: Any) -> Json:
    """One operation: its own responses, then the shared problems it may answer with."""
    shared = {str(status): ref(str(status), "responses") for status in sorted(errors)}
    responses = {**answers, **shared}
    return {"operationId": operation_id, "summary": summary, "responses": responses, **extra}


def body(name: str) -> Json:
    """A required JSON request body shaped as a component schema."""
    return {"required": True, "content": content(ref(name))}


def path_param(name: str, description: str, **schema: Any) -> Json:
    """A path parameter, for an operation's or a path's `parameters`."""
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "string", **schema},
    }


def query_param(name: str, schema: Json) -> Json:
    """An optional query parameter; its description is the schema's."""
    return {"name": name, "in": "query", "required": False, "schema": schema}


def location(description: str) -> Json:
    """A Location response header."""
    return {"Location": {"description": description, "schema": {"type": "string"}}}


# Security requirements; the document's default is the site key.
PUBLIC: Json = {"security": []}
MODERATOR: Json = {"security": [{"moderatorToken": []}]}
SITE_OR_MODERATOR: Json = {"security": [{"siteKey": []}, {"moderatorToken": []}]}

SECURITY_SCHEMES: Json = {
    "siteKey": {
        "type": "http",
        "scheme": "bearer",
        "description": "The site's API key (`msk_…`), from `moderation sites create`.",
    },
    "moderatorToken": {
        "type": "http",
        "scheme": "bearer",
        "description": "A moderator's token (`mmt_…`), for the review API. A moderator sees "
        "only the sites they moderate (an admin sees all).",
    },
}

SCORES: Json = {
    "description": "Calibrated probabilities from the toxicity model (0 to 1, 4 decimals); "
    "null when the site's rules do not run it, and on decisions recorded before it.",
    **nullable(
        obj(
            toxicity=field("number", minimum=0, maximum=1),
            insult=field("number", minimum=0, maximum=1),
            threat=field("number", minimum=0, maximum=1),
            identity_attack=field("number", minimum=0, maximum=1),
            obscene=field("number", minimum=0, maximum=1),
        )
    ),
}

SCHEMAS: Json = {
    "Reason": obj(
        "One rule or term, however often it hit; offsets are into the original text. A term "
        "found many times (in any spelling) is one reason with its count. Decisions recorded "
        "before count and spans existed lack them (read: one occurrence, at start/end).",
        optional=("count", "spans", "attribute", "score"),
        rule_id=field("string", "The rule that hit."),
        code=field("string", "Machine-readable reason code."),
        category=field("string", "Category of the hit (profanity, spam, …)."),
        severity=field("integer"),
        action=field("string", "What this hit alone asks for.", enum=ACTIONS),
        term=field(
            "string",
            "The first occurrence's text, for rules that match (at most 100 characters).",
            null=True,
        ),
        start=field("integer", "Offset of the first occurrence's first character.", null=True),
        end=field("integer", "Offset just past the first occurrence.", null=True),
        count=field("integer", "How many times this term or rule hit.", minimum=1),
        spans=array(
            array(field("integer"), minItems=2, maxItems=2),
            "[start, end] of the first occurrences, at most 10, the first being start/end "
            "(for highlighting); empty when the reason has no place in the text. For the "
            "toxicity model's reasons: the words and word pairs that drove the score, "
            "strongest first.",
            maxItems=10,
        ),
        attribute=field(
            "string",
            "The toxicity model's reasons only: the attribute whose band was reached.",
            enum=["toxicity", "insult", "threat", "identity_attack", "obscene"],
        ),
        score=field(
            "number", "The toxicity model's reasons only: the attribute's score.", minimum=0
        ),
    ),
    "Decision": obj(
        "The engine's recorded decision on a comment's current revision.",
        action=field("string", enum=ACTIONS),
        reasons=array(ref("Reason")),
        ruleset_version=field("string", "Content hash of the rules used."),
        censored=field(
            "string",
            "The text with matched terms masked, when the site's policy asks for it.",
            null=True,
        ),
        scores=SCORES,
        decided_at=field("string", format="date-time"),
    ),
    "FieldErrors": field(
        "object",
        "Messages by field, nested like the body; `_schema` is the body as a whole.",
        additionalProperties=True,
    ),
    "Problem": obj(
        "RFC 9457 problem details; extra members (such as existing_id) may appear.",
        optional=("errors",),
        type=field("string", f"{PROBLEM_TYPE_BASE}<slug>, naming the kind.", format="uri"),
        title=field("string"),
        status=field("integer"),
        detail=field("string"),
        instance=field("string", "The request path.", format="uri-reference"),
        errors=ref("FieldErrors"),
    ),
}

RESPONSES: Json = {
    "400": problem("The body is not JSON, or not sent as application/json.", "bad-request"),
    "401": problem(
        "No bearer credentials, or a site key or moderator token that is unknown, revoked or "
        "disabled.",
        "unauthorized",
    ),
    "403": problem(
        "Known credentials that may not do this: a moderator token on a site endpoint, a site "
        "key on a review endpoint, or a site the moderator does not moderate.",
        "forbidden",
    ),
    "404": problem(
        "No such resource for the caller: another site's, or one outside the moderator's "
        "sites, is not found either.",
        "not-found",
    ),
    "409": problem(
        "The request clashes with the resource's state (too many endpoints, or testing a "
        "disabled one).",
        "conflict",
    ),
    "413": problem(
        f"The body exceeds MODERATION_MAX_BODY_BYTES (default {DEFAULTS.max_body_bytes}).",
        "payload-too-large",
    ),
    "422": problem(
        "The JSON body or the query string breaks the schema; `errors` names each field "
        "(unknown fields included).",
        "validation-failed",
    ),
    "429": problem(
        "Too many requests: a reporter may file at most MODERATION_REPORTS_PER_HOUR reports "
        f"an hour on a site (default {DEFAULTS.reports_per_hour}).",
        "rate-limited",
    ),
    "503": problem(
        "The database cannot be reached; nothing was recorded. Retry later.",
        "service-unavailable",
        headers={"Retry-After": {"description": "Seconds.", "schema": {"type": "integer"}}},
    ),
}
