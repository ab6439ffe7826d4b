"""How a view describes itself to the document: its answers, problems, parameters, security."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from marshmallow import Schema, fields

from moderation.errors import ModerationError

_V = TypeVar("_V", bound=Callable[..., Any])

#: Security requirements; the document's default is the site key.
SITE: list[dict[str, list[str]]] = [{"siteKey": []}]
MODERATOR: list[dict[str, list[str]]] = [{"moderatorToken": []}]
SITE_OR_MODERATOR = [*SITE, *MODERATOR]
PUBLIC: list[dict[str, list[str]]] = []


@dataclass(frozen=True)
class Answer:
    """A success answer: what it means, its body's schema (None: no body), its headers."""

    description: str
    schema: type[Schema] | dict[str, Any] | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    media_type: str = "application/json"


@dataclass(frozen=True)
class Problem:
    """An operation's own wording of an error status, and the kinds of problem it may be."""

    description: str
    kinds: tuple[type[ModerationError], ...]


@dataclass(frozen=True)
class Operation:
    """What the document says of one view beyond its docstring (summary, then description)."""

    operation_id: str
    answers: Mapping[int, Answer]
    errors: tuple[int, ...]
    body: type[Schema] | None = None
    #: False when an empty body means `{}` (json_body's `empty`): the document must not demand one.
    body_required: bool = True
    query: type[Schema] | None = None
    security: list[dict[str, list[str]]] = field(default_factory=lambda: SITE)
    problems: Mapping[int, Problem] = field(default_factory=dict)
    path: Mapping[str, fields.Field[Any]] = field(default_factory=dict)
    headers: Mapping[str, fields.Field[Any]] = field(default_factory=dict)


def operation(
    operation_id: str, answers: Mapping[int, Answer], *errors: int, **more: Any
) -> Callable[[_V], _V]:
    """Mark a view with its Operation; `errors` are the statuses of the shared problems."""

    def mark(view: _V) -> _V:
        view.openapi = Operation(operation_id, answers, tuple(sorted(errors)), **more)  # type: ignore[attr-defined]
        return view

    return mark


def described(view: Callable[..., Any]) -> Operation | None:
    """A view's Operation, if it has one."""
    found: Operation | None = getattr(view, "openapi", None)
    return found
