"""Every string a request schema loads is a Text, so a lone surrogate is a field error anywhere."""

from __future__ import annotations

import re

import pytest
from marshmallow import Schema, ValidationError, fields

from moderation.schemas.base import component_name, is_answer, schema_classes
from moderation.schemas.text import NO_NUL, Text, Url
from moderation.schemas.webhooks import WebhookIn


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


# The document's patterns are ECMA-262; Python's re reads these (\u escapes) the same way.
@pytest.mark.parametrize(
    "url", ["https://0.a", "http://[::1]:8080/h?x=1", "HTTPS://planet.example", "ftp://x.io/a"]
)
def test_a_url_is_taken_as_the_document_describes_it(url):
    field = Url()
    assert field.deserialize(url) == url
    assert re.search(field.metadata["pattern"], url)


@pytest.mark.parametrize("url", ["mailto:a@b.example", "http://", "http:///path", "https://a b"])
def test_a_url_without_a_host_or_of_another_scheme_is_refused_as_documented(url):
    field = Url()
    with pytest.raises(ValidationError, match="Not a valid URL"):
        field.deserialize(url)
    assert not re.search(field.metadata["pattern"], url)


def test_a_url_with_a_port_out_of_range_is_refused():
    with pytest.raises(ValidationError, match="Not a valid URL"):
        Url().deserialize("http://x:99999/")


def test_a_webhook_url_is_http_or_https_only():
    field = WebhookIn().fields["url"]
    assert field.deserialize("https://hooks.example/x")
    with pytest.raises(ValidationError):
        field.deserialize("ftp://hooks.example/x")
    assert not re.search(field.metadata["pattern"], "ftp://hooks.example/x")


def test_text_says_it_holds_no_nul_and_refuses_none_else():
    assert re.search(NO_NUL, "any text, even \u2028")
    assert not re.search(NO_NUL, "cut\x00")
