"""Every string a request schema loads is a Text, so a lone surrogate is a field error anywhere."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from marshmallow import Schema, ValidationError, fields

from moderation import schemas
from moderation.schemas.base import is_answer
from moderation.schemas.text import Text, Url


def _request_schemas() -> list[type[Schema]]:
    found = []
    for info in pkgutil.iter_modules(schemas.__path__, f"{schemas.__name__}."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Schema)
                and value.__module__ == module.__name__
                and not is_answer(value)
                and not value.__name__.startswith("_")
            ):
                found.append(value)
    return found


def _strings(field: fields.Field) -> list[fields.Field]:
    inner = getattr(field, "inner", None)
    return [field, *(_strings(inner) if inner is not None else [])]


def test_request_schemas_are_found():
    names = {cls.__name__ for cls in _request_schemas()}
    assert {"CommentIn", "BatchIn", "EditIn", "ReportIn", "CheckIn", "WebhookIn"} <= names
    assert {"VerdictIn", "AuthorActionIn", "QueueQuery", "DeliveryLogQuery"} <= names


@pytest.mark.parametrize("cls", _request_schemas(), ids=lambda cls: cls.__name__)
def test_every_string_field_of_a_request_schema_is_text(cls):
    plain = [
        f"{cls.__name__}.{name}"
        for name, field in cls._declared_fields.items()
        for part in _strings(field)
        if isinstance(part, fields.String) and not isinstance(part, Text)
    ]
    assert plain == []


@pytest.mark.parametrize("field", [Text(), Url()], ids=["Text", "Url"])
def test_text_refuses_lone_surrogates_and_keeps_pairs(field):
    assert field.deserialize("https://planet.example/\U0001f600") == "https://planet.example/😀"
    for lone in ("\ud800", "\udfff", "https://planet.example/\ud83d"):
        with pytest.raises(ValidationError, match="lone surrogate"):
            field.deserialize(lone)
