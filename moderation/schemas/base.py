"""What the OpenAPI generator reads from schemas beyond their fields: names and unions."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from marshmallow import Schema

#: Where the document keeps its schemas.
COMPONENTS = "#/components/schemas/"

#: Metadata of an answer's member that some answers leave out (every other one is always there).
OPTIONAL: dict[str, Any] = {"optional": True}


def component_name(schema: type[Schema] | Schema) -> str | None:
    """The schema's name in the document: its class's, less `Out`; None (inlined) for `_Private`."""
    cls = schema if isinstance(schema, type) else type(schema)
    if cls.__name__.startswith("_"):
        return None
    return cls.__name__.removesuffix("Out")


def one_of(*schemas: type[Schema]) -> dict[str, Any]:
    """Field metadata saying the value is one of these schemas (for a `fields.Raw`)."""
    return {"oneOf": [{"$ref": f"{COMPONENTS}{component_name(s)}"} for s in schemas]}


def is_answer(schema: type[Schema] | Schema) -> bool:
    """Whether the schema describes an answer (…Out): open to new members, all present."""
    cls = schema if isinstance(schema, type) else type(schema)
    return cls.__name__.endswith("Out")


def schema_classes() -> list[type[Schema]]:
    """Every schema class the modules of this package define, in module order."""
    package = __name__.rpartition(".")[0]
    found: list[type[Schema]] = []
    for info in pkgutil.iter_modules(importlib.import_module(package).__path__, f"{package}."):
        module = importlib.import_module(info.name)
        found.extend(
            value
            for value in vars(module).values()
            if isinstance(value, type)
            and issubclass(value, Schema)
            and value.__module__ == module.__name__
        )
    return found
