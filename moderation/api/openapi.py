"""The served OpenAPI document, for site developers and generated clients."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from moderation.openapi import SPEC

bp = Blueprint("openapi", __name__)


@bp.get("/v1/openapi.json")
def document() -> Response:
    """The API description (OpenAPI 3.1)."""
    return jsonify(SPEC)
