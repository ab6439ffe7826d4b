"""Problem answers (RFC 9457) in the document, worded by the docstrings of the errors."""

from __future__ import annotations

from typing import Any

from moderation import errors
from moderation.openapi.operation import Problem
from moderation.openapi.text import prose
from moderation.schemas.base import COMPONENTS

Json = dict[str, Any]

#: The kinds of problem every operation may share, by status.
SHARED: tuple[type[errors.ModerationError], ...] = (
    errors.BadRequest,
    errors.Unauthorized,
    errors.Forbidden,
    errors.NotFound,
    errors.Conflict,
    errors.PayloadTooLarge,
    errors.ValidationFailed,
    errors.RateLimited,
    errors.Unavailable,
)

# errors.render and errors.problem send Retry-After with these, and only these.
_RETRY_AFTER = (errors.RateLimited, errors.Unavailable)


def problem_response(problem: Problem) -> Json:
    """A response whose problem `type` is one of the problem's kinds."""
    types = [errors.PROBLEM_TYPE_BASE + kind.slug for kind in problem.kinds]
    narrowed = {"properties": {"type": {"enum": types} if len(types) > 1 else {"const": types[0]}}}
    response: Json = {
        "description": problem.description,
        "content": {
            "application/problem+json": {
                "schema": {"allOf": [{"$ref": f"{COMPONENTS}Problem"}, narrowed]}
            }
        },
    }
    if any(issubclass(kind, _RETRY_AFTER) for kind in problem.kinds):
        response["headers"] = {
            "Retry-After": {
                "description": "Seconds to wait before trying again.",
                "required": True,
                "schema": {"type": "integer", "minimum": 0},
            }
        }
    return response


def shared_responses() -> dict[str, Json]:
    """The shared problem answers, keyed by status as components."""
    return {
        str(kind.status): problem_response(Problem(prose(kind.__doc__), (kind,))) for kind in SHARED
    }
