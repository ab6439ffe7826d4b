"""One root error for the service and its rendering as RFC 9457 problem details."""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import quote

from flask import Flask, Response, current_app, json, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

PROBLEM_TYPE_BASE = "https://moderation.example/problems/"
#: What a URI's path keeps unencoded besides letters, digits and `-._~` (RFC 3986 `pchar`, `/`).
_PATH_SAFE = "/:@!$&'()*+,;="


class ModerationError(Exception):
    """Root of every error the service raises on purpose; carries its HTTP rendering."""

    status: ClassVar[int] = 500
    slug: ClassVar[str] = "internal-error"
    title: ClassVar[str] = "Internal error"

    def __init__(self, detail: str | None = None, *, errors: Any = None, **extra: Any) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.errors = errors
        self.extra = extra

    def members(self) -> dict[str, Any]:
        """This error as a problem's members but `instance` (what a batch item carries)."""
        return members(
            self.status, self.title, self.detail, slug=self.slug, errors=self.errors, **self.extra
        )


class BadRequest(ModerationError):
    """The request cannot be read.

    The body is not JSON or not sent as application/json, repeats a key in one object, or nests
    deeper than 32 arrays and objects; or the URL holds NUL.
    """

    status, slug, title = 400, "bad-request", "Bad request"


class Unauthorized(ModerationError):
    """No bearer credentials, or a site key or moderator token unknown, revoked or disabled."""

    status, slug, title = 401, "unauthorized", "Unauthorized"


class Forbidden(ModerationError):
    """Known credentials that may not do this.

    A moderator token on a site endpoint, a site key on a review endpoint, or a site the
    moderator does not moderate.
    """

    status, slug, title = 403, "forbidden", "Forbidden"


class NotFound(ModerationError):
    """Nothing by that id that the caller may see.

    Another site's, or one outside the moderator's sites, is not found either.
    """

    status, slug, title = 404, "not-found", "Not found"


class Conflict(ModerationError):
    """The request clashes with the resource's state.

    Too many endpoints, or testing a disabled one.
    """

    status, slug, title = 409, "conflict", "Conflict"


class PayloadTooLarge(ModerationError):
    """The body exceeds MODERATION_MAX_BODY_BYTES."""

    status, slug, title = 413, "payload-too-large", "Payload too large"


class ValidationFailed(ModerationError):
    """The JSON body or the query string breaks the schema; `errors` names each field.

    Unknown fields are errors too.
    """

    status, slug, title = 422, "validation-failed", "Validation failed"


class IdempotencyMismatch(ModerationError):
    """An id or Idempotency-Key already used for a different body."""

    status, slug, title = 422, "idempotency-mismatch", "Comment id or Idempotency-Key reused"


class RateLimited(ModerationError):
    """Too many requests; `Retry-After` says in how many seconds to retry.

    A reporter may file at most MODERATION_REPORTS_PER_HOUR reports an hour on a site.
    """

    status, slug, title = 429, "rate-limited", "Too many requests"

    def __init__(self, detail: str | None = None, *, retry_after: int = 60) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class Unavailable(ModerationError):
    """The database cannot be reached; nothing was recorded. Retry after `Retry-After` seconds."""

    status, slug, title = 503, "service-unavailable", "Service unavailable"


def members(
    status: int, title: str, detail: str, *, slug: str, errors: Any = None, **extra: Any
) -> dict[str, Any]:
    """A problem's members but `instance`: a response's document, or an item of a batch's."""
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    body.update(extra)
    return body


def problem(
    status: int, title: str, detail: str, *, slug: str, errors: Any = None, **extra: Any
) -> Response:
    """Render one problem-details document."""
    return document(members(status, title, detail, slug=slug, errors=errors, **extra))


def document(body: dict[str, Any]) -> Response:
    """A problem's members as the response: `instance` added, 503 with Retry-After."""
    status = body["status"]
    # The decoded path, encoded again: a space or `é` in it would not be a URI reference.
    body["instance"] = quote(request.path, safe=_PATH_SAFE)
    response = Response(json.dumps(body), status=status, mimetype="application/problem+json")
    if status == 503:
        response.headers["Retry-After"] = "5"
    return response


def render(error: ModerationError) -> Response:
    """Render one of our errors as problem details."""
    response = document(error.members())
    if isinstance(error, RateLimited):
        response.headers["Retry-After"] = str(error.retry_after)
    return response


def _render_http(error: HTTPException) -> Response:
    if isinstance(error, RequestEntityTooLarge):
        limit = request.max_content_length
        return render(PayloadTooLarge(f"The body is larger than the limit of {limit} bytes."))
    status = error.code or 500
    slug = (error.name or "error").lower().replace(" ", "-")
    response = problem(status, error.name, error.description or error.name, slug=slug)
    if status == 405 and error.response is None:
        allowed = getattr(error, "valid_methods", None)
        if allowed:
            response.headers["Allow"] = ", ".join(allowed)
    return response


def _render_unexpected(error: Exception) -> Response:
    # The handler of last resort: log the traceback, tell the client nothing internal.
    current_app.logger.exception("unhandled error", exc_info=error)
    return problem(
        500, "Internal error", "The service failed; the error was logged.", slug="internal-error"
    )


def init_app(app: Flask) -> None:
    """Render every error, ours or Werkzeug's, as application/problem+json."""
    app.register_error_handler(ModerationError, render)
    app.register_error_handler(HTTPException, _render_http)
    app.register_error_handler(Exception, _render_unexpected)
