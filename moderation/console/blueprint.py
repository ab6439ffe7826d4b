"""The console's blueprint: its headers, and errors rendered as pages instead of JSON."""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, jsonify, redirect, render_template, request
from werkzeug.wrappers import Response as Answer

from moderation.errors import ModerationError, RateLimited

bp = Blueprint(
    "console",
    __name__,
    url_prefix="/console",
    template_folder="templates",
    static_folder="static",
)

#: Scripts and styles only from our own files: injected markup can neither run nor restyle.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


class SignInNeeded(ModerationError):
    """No live console session: the browser is sent to sign in."""

    status, slug, title = 401, "sign-in-needed", "Sign in"


@bp.after_request
def _headers(response: Response) -> Answer:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Frame-Options"] = "DENY"
    # Sign-in links carry their secret in the path: no page may pass its address on.
    response.headers["Referrer-Policy"] = "no-referrer"
    if request.endpoint != "console.static":
        response.headers["Cache-Control"] = "no-store"
    return response


def _is_fetch() -> bool:
    return request.headers.get("X-Console") == "fetch"


@bp.errorhandler(SignInNeeded)
def _sign_in(error: SignInNeeded) -> Answer:
    if _is_fetch():  # the page's script says so, rather than swapping the sign-in page in
        answer = jsonify({"detail": "Your session has ended: reload the page to sign in again."})
        answer.status_code = error.status
        return answer
    if request.method == "GET":
        return redirect(f"{bp.url_prefix}/login?next={quote(request.full_path.rstrip('?'))}")
    return redirect(f"{bp.url_prefix}/login")


@bp.errorhandler(ModerationError)
def _page(error: ModerationError) -> tuple[str | Answer, int, dict[str, str]]:
    headers = {"Retry-After": str(error.retry_after)} if isinstance(error, RateLimited) else {}
    if _is_fetch():  # the page's script shows the detail
        return jsonify({"detail": error.detail, "errors": error.errors}), error.status, headers
    page = render_template("console/error.html", error=error)
    return page, error.status, headers
