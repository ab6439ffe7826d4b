"""A count in JSON: a whole number as JSON Schema reads one (3 and 3.0), never 2.5, "3" or true."""

from __future__ import annotations

from typing import Any

from marshmallow import fields


class Count(fields.Integer):
    """An integer field that takes what the document's `integer` type admits, and no more."""

    def _validated(self, value: Any) -> int:
        # JSON Schema counts 3.0 as an integer; marshmallow's strict mode refuses it, and its
        # lax mode takes "3" and truncates 2.589e-42 to 0.
        whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
        if isinstance(value, bool) or not whole:
            raise self.make_error("invalid")
        return super()._validated(int(value))
