"""The OpenAPI 3.1 description of the HTTP API, generated from the views and the schemas."""

from __future__ import annotations

from moderation.openapi.document import build, openapi_path
from moderation.openapi.operation import (
    MODERATOR,
    PUBLIC,
    SITE_OR_MODERATOR,
    Answer,
    Problem,
    operation,
)

__all__ = [
    "MODERATOR",
    "PUBLIC",
    "SITE_OR_MODERATOR",
    "Answer",
    "Problem",
    "build",
    "openapi_path",
    "operation",
]
