"""Every string a request schema loads is a Text, so a lone surrogate is a field error anywhere."""

from __future__ import annotations

import pytest
from marshmallow import Schema, ValidationError, fields

from moderation.schemas.base import component_name, is_answer, schema_classes
from moderation.schemas.text import Text, Url


def _request_schemas() -> list[type[Schema]]:
    return [cls for cls in schema_classes() if not is_answer(cls) and component_name(cls)]


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
