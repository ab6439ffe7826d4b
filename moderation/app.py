"""The Flask application factory."""

from __future__ import annotations

import logging

from flask import Flask, Response, g, request
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from moderation import console, errors, metrics, requestlog
from moderation.keycache import KeyCache
from moderation.services import Services, build_services
from moderation.settings import Settings


def _database_down(error: Exception) -> Response:
    # Fail closed: without the durable record nothing is accepted, and the site retries.
    logging.getLogger(__name__).error("database unavailable: %s", error)
    return errors.render(errors.Unavailable("The database cannot be reached; retry later."))


def _refuse_nul_in_url() -> None:
    # The database cannot compare text holding NUL: a lookup by such an id would fail as a 500.
    if "\x00" in request.path or b"%00" in request.query_string:
        raise errors.BadRequest("The URL holds the NUL character (U+0000).")


def _harden(response: Response) -> Response:
    # Browsers must not guess a type for a problem or a comment's text, and an answer to
    # credentials (comments, review queues) must not be kept by any cache, shared or private.
    response.headers["X-Content-Type-Options"] = "nosniff"
    if "Authorization" in request.headers:
        response.headers["Cache-Control"] = "no-store"
    # What is left of the site's budget, on every answer to a site's key within it.
    response.headers.update(g.get("rate_headers") or {})
    return response


def _count(response: Response) -> Response:
    # The route's rule, never the path: a path holds ids, and every id would be a new series.
    rule = request.url_rule.rule if request.url_rule is not None else "unmatched"
    metrics.HTTP_REQUESTS.labels(rule, str(response.status_code)).inc()
    return response


def create_app(settings: Settings | None = None, *, services: Services | None = None) -> Flask:
    """Build the web application around one set of services."""
    settings = settings or (services.settings if services else Settings.from_env())
    services = services or build_services(settings)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions["moderation"] = services
    app.extensions["moderation.keys"] = KeyCache(ttl=settings.key_cache_seconds)

    from moderation.api import (
        authors,
        check,
        comments,
        health,
        listing,
        openapi,
        reports,
        review,
        stories,
        webhooks,
    )

    modules = (
        comments,
        listing,
        stories,
        authors,
        reports,
        review,
        webhooks,
        check,
        health,
        openapi,
    )
    for module in modules:
        app.register_blueprint(module.bp)
    app.register_blueprint(openapi.docs)
    console.init_app(app)
    errors.init_app(app)
    requestlog.init_app(app)
    app.before_request(_refuse_nul_in_url)
    app.after_request(_harden)
    app.after_request(_count)
    for error_class in (OperationalError, InterfaceError, PoolTimeout):
        app.register_error_handler(error_class, _database_down)
    return app
