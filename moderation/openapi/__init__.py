"""The OpenAPI 3.1 description of the HTTP API, as the dict GET /v1/openapi.json serves."""

from __future__ import annotations

from collections.abc import Iterable

from moderation.openapi import comments, components, reports, review, webhooks
from moderation.openapi.components import PUBLIC, Json, field, obj, ok, op, ref

__all__ = ["SPEC"]

_SERVICE_SCHEMAS: Json = {
    "Health": obj(status={"const": "ok"}),
    "Readiness": obj(
        status=field("string", enum=["ok", "unavailable"]),
        checks=obj(database=field("boolean"), redis=field("boolean")),
    ),
}

_SERVICE_PATHS: Json = {
    "/healthz": {
        "get": op("live", "The process answers", ok(200, "Alive.", ref("Health")), **PUBLIC)
    },
    "/readyz": {
        "get": op(
            "ready",
            "The database and Redis answer",
            {
                **ok(200, "Ready.", ref("Readiness")),
                **ok(503, "Not ready: a balancer should stop sending traffic.", ref("Readiness")),
            },
            **PUBLIC,
        )
    },
    "/v1/openapi.json": {
        "get": op("openapi", "This document", ok(200, "OpenAPI 3.1.", {"type": "object"}), **PUBLIC)
    },
}


def _merge(parts: Iterable[Json]) -> Json:
    """One mapping from several; a name defined twice would silently lose one, so it fails."""
    merged: Json = {}
    for part in parts:
        clash = merged.keys() & part.keys()
        if clash:
            raise ValueError(f"OpenAPI names defined twice: {sorted(clash)}")
        merged.update(part)
    return merged


_PARTS = (comments, reports, review, webhooks)

SPEC: Json = {
    "openapi": "3.1.0",
    "info": {
        "title": "Comment moderation",
        "version": "1",
        "summary": "Sites post readers' comments; workers moderate them; sites read decisions; "
        "moderators review.",
        "license": {"name": "MIT", "identifier": "MIT"},
    },
    # The default; review operations ask for a moderator token, history for either.
    "security": [{"siteKey": []}],
    "paths": _merge([*(part.PATHS for part in _PARTS), _SERVICE_PATHS]),
    "components": {
        "securitySchemes": components.SECURITY_SCHEMES,
        "schemas": _merge(
            [components.SCHEMAS, *(part.SCHEMAS for part in _PARTS), _SERVICE_SCHEMAS]
        ),
        "responses": components.RESPONSES,
    },
}
