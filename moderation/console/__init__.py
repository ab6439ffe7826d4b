"""The moderators' web console at /console/: server-rendered pages on the review services."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the console's pages, sign-in and static files on the app."""
    from moderation.console import actions, auth, pages  # noqa: F401 - they add routes to bp
    from moderation.console.blueprint import bp

    app.register_blueprint(bp)
