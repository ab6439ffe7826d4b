"""The one way input meets a schema: loaded, or a 422 problem naming each bad field."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError

from moderation.errors import ValidationFailed


def load(schema: Schema, data: Any, detail: str = "The request breaks the schema.") -> Any:
    """Load a JSON object with a schema; raise ValidationFailed naming each bad field."""
    # A multidict (a query string) is a dict too; a list, string or number is not an object.
    if not isinstance(data, dict):
        raise ValidationFailed("Send a JSON object.", errors={"_schema": ["Not an object."]})
    try:
        return schema.load(data)
    except ValidationError as error:
        raise ValidationFailed(detail, errors=error.messages) from None
