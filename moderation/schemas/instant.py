"""Instants in requests: RFC 3339 date-times with an offset, loaded as UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from marshmallow import ValidationError, fields

#: The calendar's first and last days: the only dates an offset can carry past Python's
#: datetime (years 1 to 9999) once converted to UTC. The document refuses them as a pattern.
_EDGES = ("0001-01-01", "9999-12-31")


class Instant(fields.AwareDateTime):
    """An aware date-time, converted to UTC on load.

    RFC 3339 allows offsets up to ±23:59; PostgreSQL refuses those past ±15:59 (a write or a
    filter with one would fail), so every instant is compared and stored in UTC.
    """

    def __init__(self, **kwargs: Any) -> None:
        edges = "|".join(_EDGES)
        metadata = {"pattern": f"^(?!{edges})", **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        loaded: datetime = super()._deserialize(value, attr, data, **kwargs)
        if loaded.date().isoformat() in _EDGES:
            raise ValidationError("Must be after 0001-01-01 and before 9999-12-31.")
        return loaded.astimezone(UTC)
