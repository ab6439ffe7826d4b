"""Every string a request schema loads is a Text, so a lone surrogate is a field error anywhere."""

from __future__ import annotations

import re

import pytest
from marshmallow import Schema, ValidationError, fields

from moderation.schemas.base import component_name, is_answer, schema_classes
from moderation.schemas.comments import TEXT_SHAPE, check_text
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
def test_text_refuses_lone_surrogates(field):
    for lone in ("\ud800", "\udfff", "https://planet.example/\ud83d"):
        with pytest.raises(ValidationError, match="lone surrogate"):
            field.deserialize(lone)


def test_text_keeps_a_surrogate_pair_as_its_character():
    assert Text().deserialize("\U0001f600 ok") == "😀 ok"


# The document's patterns are ECMA-262; Python's re reads these (\u escapes) the same way.
@pytest.mark.parametrize(
    "url",
    [
        "https://0.a",
        "http://[::1]:8080/h?x=1",
        "HTTPS://planet.example",
        "ftp://x.io/a",
        "https://www.lemonde.fr/économie/2026/une-réforme",  # an IRI: a newsroom's words
        "https://xn--bcher-kva.example/%C3%A9",
        "https://user:pw@planet.example/a;b=c?d=e&f#g",
    ],
)
def test_a_url_is_taken_as_the_document_describes_it(url):
    field = Url()
    assert field.deserialize(url) == url
    assert re.search(field.metadata["pattern"], url)


@pytest.mark.parametrize(
    "url",
    [
        "mailto:a@b.example",
        "http://",
        "http:///path",
        "https://a b",
        "httpS://(l\u00cb\u008a",  # a C1 control: the fuzzer's find, once accepted
        "https://planet.example/\u0085next",
        "https://planet.example/%zz",
        "javascript://planet.example/%0Aalert(1)",
    ],
)
def test_a_url_without_a_host_or_of_another_scheme_is_refused_as_documented(url):
    field = Url()
    with pytest.raises(ValidationError, match="Not a valid URL"):
        field.deserialize(url)
    assert not re.search(field.metadata["pattern"], url)


# Beyond what a pattern says: a port out of range, brackets around no IPv6 address, and a final
# newline (Python's `$` matches before one, ECMA-262's does not).
@pytest.mark.parametrize(
    "url", ["http://x:99999/", "https://[::g]/", "https://[1:2]/", "https://planet.example/a\n"]
)
def test_a_url_the_pattern_cannot_judge_is_refused_by_the_check(url):
    with pytest.raises(ValidationError, match="Not a valid URL"):
        Url().deserialize(url)


def test_a_webhook_url_is_http_or_https_only():
    field = WebhookIn().fields["url"]
    assert field.deserialize("https://hooks.example/x")
    with pytest.raises(ValidationError):
        field.deserialize("ftp://hooks.example/x")
    assert not re.search(field.metadata["pattern"], "ftp://hooks.example/x")


def test_text_says_it_holds_no_nul_and_refuses_none_else():
    assert re.search(NO_NUL, "any text, even \u2028")
    assert not re.search(NO_NUL, "cut\x00")


@pytest.mark.parametrize(
    ("text", "filled"),
    [
        ("\x1f", False),  # a unit separator: blank to Python, not to JSON Schema's \s
        ("\x85 \u3000\t", False),
        ("\u2028", False),
        ("a\x1f", True),
        ("\ufeff", True),
        ("é", True),
    ],
)
def test_a_blank_text_is_refused_as_the_document_says(text: str, filled: bool) -> None:
    # "\\s" means one set in JSON Schema and another in Python: the blanks are spelt out, so
    # this Python reading of the pattern is the document's too.
    assert "\\s" not in TEXT_SHAPE["pattern"]
    documented = re.fullmatch(TEXT_SHAPE["pattern"], text) is not None
    try:
        check_text(text, 100)
        checked = True
    except ValidationError:
        checked = False
    assert documented is checked is filled
