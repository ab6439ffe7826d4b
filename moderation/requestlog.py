"""The web's log lines: a request id per request, echoed back, and one line per request."""

from __future__ import annotations

import logging
import time
from typing import Any

from flask import Flask, Response, g, request
from gunicorn.glogging import Logger as _GunicornLogger

from moderation import logs
from moderation.settings import Settings, SettingsError

log = logging.getLogger("moderation.request")

#: The header a caller (or a proxy) may send its request id in, and that every answer carries.
HEADER = "X-Request-Id"

#: Health checks, logged at DEBUG while they pass.
_PROBES = frozenset({"/healthz", "/readyz"})


def _begin() -> None:
    g.log_token = logs.bind(request_id=logs.request_id_from(request.headers.get(HEADER)))
    g.log_started = time.monotonic()
    # A path naming a comment names the comment of every line the request logs.
    if request.view_args and "comment_id" in request.view_args:
        logs.bind(comment_id=request.view_args["comment_id"])


def _finish(response: Response) -> Response:
    request_id = logs.request_id()
    if request_id is not None:
        response.headers[HEADER] = request_id
    started = g.get("log_started")
    # Probes come every few seconds from every balancer: their answers matter when they fail.
    quiet = request.path in _PROBES and response.status_code < 400
    # Path without the query: filters may name authors, and a line needs no more to be found.
    log.log(
        logging.DEBUG if quiet else logging.INFO,
        "%s %s %d",
        request.method,
        request.path,
        response.status_code,
        extra={
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": round((time.monotonic() - started) * 1000, 1) if started else None,
        },
    )
    return response


def _end(error: BaseException | None) -> None:
    token = g.pop("log_token", None)
    if token is not None:
        logs.reset(token)


def init_app(app: Flask) -> None:
    """Give every request an id and its line in the log."""
    # First of all hooks: authentication (a blueprint's before_request) binds the site after.
    app.before_request_funcs.setdefault(None, []).insert(0, _begin)
    app.after_request(_finish)
    app.teardown_request(_end)


class GunicornLogger(_GunicornLogger):  # type: ignore[misc]
    """gunicorn's own lines (booting, workers, errors) in our format, through the root logger."""

    def setup(self, cfg: Any) -> None:
        """Let gunicorn set levels, then hand its error lines to our handler."""
        super().setup(cfg)
        for handler in list(self.error_log.handlers):
            if getattr(handler, "_gunicorn", False):
                self.error_log.removeHandler(handler)
        self.error_log.propagate = True
        try:
            settings = Settings.from_env()
        except SettingsError:
            settings = Settings()  # the app's import reports the bad value, as one line
        logs.configure(level=settings.log_level, fmt=settings.log_format)
