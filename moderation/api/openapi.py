"""The API's description: the OpenAPI document for clients, and a page for people at /docs."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify
from flask_swagger_ui import get_swaggerui_blueprint

from moderation.api.common import services
from moderation.openapi import PUBLIC, Answer, build, operation

bp = Blueprint("openapi", __name__)

#: Where the document is served; the /docs page reads it from there.
DOCUMENT_PATH = "/v1/openapi.json"

#: Swagger UI, its script and styles served from the package's own files: nothing is fetched
#: from elsewhere (no validator badge either).
docs = get_swaggerui_blueprint(
    "/docs",
    DOCUMENT_PATH,
    config={
        "app_name": "Comment moderation API",
        "validatorUrl": None,
        "layout": "BaseLayout",
        "docExpansion": "list",
        # Relative, like every other URL of the page (the API itself has no OAuth flow).
        "oauth2RedirectUrl": "/docs/oauth2-redirect.html",
    },
    blueprint_name="docs",
)


@bp.get(DOCUMENT_PATH)
@operation("openapi", {200: Answer("OpenAPI 3.1.", {"type": "object"})}, security=PUBLIC)
def document() -> Response:
    """This document."""
    # Built once per app, on first use: the routes are all registered by then.
    built = current_app.extensions.get("moderation.openapi")
    if built is None:
        built = current_app.extensions["moderation.openapi"] = build(
            current_app, services().settings
        )
    return jsonify(built)
