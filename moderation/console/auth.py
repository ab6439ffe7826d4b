"""Console sign-in by one-time link or password, sessions in cookies, CSRF, sign-out."""

from __future__ import annotations

import hmac
import secrets
from datetime import UTC, datetime, timedelta
from typing import cast

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import g, make_response, redirect, render_template, request
from redis.exceptions import RedisError
from werkzeug.wrappers import Response as Answer

from moderation.api.common import services
from moderation.console.blueprint import SignInNeeded, bp
from moderation.errors import Forbidden, RateLimited
from moderation.store import console as store
from moderation.store.console import SignedIn
from moderation.store.models import Moderator

SESSION_COOKIE = "console_session"
#: Double-submit token of the sign-in forms, which no session protects yet (login CSRF).
PRE_COOKIE = "console_pre"
#: The window sign-in attempts are counted over.
ATTEMPT_WINDOW = 15 * 60

_hasher = PasswordHasher()  # Argon2id with argon2-cffi's RFC 9106 low-memory profile
#: Verified when the name is unknown, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


def hash_password(password: str) -> str:
    """An Argon2id hash of a console password."""
    return _hasher.hash(password)


def current() -> SignedIn:
    """The signed-in moderator of this request; sends the browser to sign in otherwise."""
    found: SignedIn | None = g.get("console")
    if found is None:
        cookie = request.cookies.get(SESSION_COOKIE)
        if not cookie:
            raise SignInNeeded()
        # Reads only: autocommit spares the BEGIN and COMMIT round trips on every page.
        with services().db.autocommit() as session:
            found = store.signed_in(session, cookie, now=datetime.now(UTC))
        if found is None:
            raise SignInNeeded()
        g.console = found
    return found


def check_csrf() -> SignedIn:
    """The signed-in moderator, once the request carries their session's CSRF token."""
    signed = current()
    sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token") or ""
    if not hmac.compare_digest(sent.encode(), signed.csrf_token.encode()):
        raise Forbidden("The form's security token is missing or stale: reload the page.")
    return signed


def _check_pre() -> None:
    sent = request.form.get("csrf_token", "")
    cookie = request.cookies.get(PRE_COOKIE, "")
    if not cookie or not hmac.compare_digest(sent.encode(), cookie.encode()):
        raise Forbidden("The form's security token is missing or stale: reload the page.")


def _cookie_args(max_age: int) -> dict[str, object]:
    return {"max_age": max_age, "path": "/console", "secure": True, "httponly": True}


def _form(template: str, status: int = 200, **context: object) -> Answer:
    token = request.cookies.get(PRE_COOKIE) or secrets.token_urlsafe(32)
    response = make_response(render_template(template, csrf_token=token, **context), status)
    response.set_cookie(PRE_COOKIE, token, samesite="Strict", **_cookie_args(3600))  # type: ignore[arg-type]
    return response


def _safe_next(target: str | None) -> str:
    # Only our own pages: a crafted ?next= must not send a moderator elsewhere after sign-in.
    if target and target.startswith("/console/") and not target.startswith("/console//"):
        return target
    return "/console/"


def _signed_in_response(moderator_id: str, target: str) -> Answer:
    settings = services().settings
    lifetime = timedelta(hours=settings.console_session_hours)
    with services().db.session() as session:
        moderator = session.get(Moderator, moderator_id)
        if moderator is None:  # pragma: no cover - it was just read in another transaction
            raise SignInNeeded()
        cookie = store.open_session(session, moderator, now=datetime.now(UTC), lifetime=lifetime)
    response = redirect(_safe_next(target), 303)
    # Lax: a moderator following a link to a comment from chat arrives signed in; every
    # change still needs the session's CSRF token.
    response.set_cookie(
        SESSION_COOKIE,
        cookie,
        samesite="Lax",
        **_cookie_args(int(lifetime.total_seconds())),  # type: ignore[arg-type]
    )
    response.delete_cookie(PRE_COOKIE, path="/console", secure=True, httponly=True)
    return response


@bp.get("/login")
def login_page() -> Answer:
    """The password sign-in form."""
    return _form("console/login.html", next=_safe_next(request.args.get("next")))


def _count_attempt(name: str) -> None:
    settings = services().settings
    redis = services().redis
    keys = (
        f"moderation:console:login:name:{name.lower()}",
        f"moderation:console:login:addr:{request.remote_addr}",
    )
    try:
        with redis.pipeline() as pipe:
            for key in keys:
                pipe.incr(key)
                pipe.expire(key, ATTEMPT_WINDOW, nx=True)
            counts = pipe.execute()[::2]
            wait = max(cast(int, redis.ttl(key)) for key in keys)
    except RedisError:
        # Fail closed: without the counter, guessing would be unlimited.
        raise RateLimited("Sign-in is unavailable for a moment; retry later.") from None
    if max(counts) > settings.console_login_attempts:
        raise RateLimited("Too many sign-in attempts; wait and retry.", retry_after=max(wait, 1))


@bp.post("/login")
def login() -> Answer:
    """Sign in with name and password; attempts are limited per name and per address."""
    _check_pre()
    name = request.form.get("name", "")[:100]
    password = request.form.get("password", "")[:1000]
    _count_attempt(name)
    with services().db.session() as session:
        moderator = store.moderator_named(session, name)
        stored = moderator.password_hash if moderator is not None else None
        moderator_id = moderator.id if moderator is not None else None
    try:
        _hasher.verify(stored or _DUMMY_HASH, password)
        good = stored is not None
    except (VerificationError, InvalidHashError):
        good = False
    if not good or moderator_id is None:
        return _form(
            "console/login.html",
            401,
            next=_safe_next(request.form.get("next")),
            failed=True,
        )
    return _signed_in_response(moderator_id, request.form.get("next", ""))


@bp.get("/link/<secret>")
def link_page(secret: str) -> Answer:
    """A sign-in link's page: one button, so a mail scanner fetching the link does not spend it."""
    return _form("console/link.html", secret=secret)


@bp.post("/link/<secret>")
def link(secret: str) -> Answer:
    """Spend a one-time sign-in link and open a session."""
    _check_pre()
    with services().db.session() as session:
        moderator = store.redeem_login_link(session, secret, now=datetime.now(UTC))
        moderator_id = moderator.id if moderator is not None else None
    if moderator_id is None:
        return _form("console/link.html", 410, secret=secret, spent=True)
    return _signed_in_response(moderator_id, "/console/")


@bp.post("/logout")
def logout() -> Answer:
    """Sign out: the session ends on the server, not only in this browser."""
    check_csrf()
    with services().db.session() as session:
        store.end_session(session, request.cookies.get(SESSION_COOKIE, ""))
    response = redirect("/console/login", 303)
    response.delete_cookie(SESSION_COOKIE, path="/console", secure=True, httponly=True)
    return response
