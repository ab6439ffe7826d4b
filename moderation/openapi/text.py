"""Docstrings as the document's prose, and setting names followed by their defaults."""

from __future__ import annotations

import inspect
import re
from dataclasses import fields
from typing import Any

from moderation.settings import PREFIX, Settings

_SETTING = re.compile(rf"\b{PREFIX}([A-Z0-9_]+)\b(?! \(default)")


def prose(doc: str | None) -> str:
    """A docstring as text: paragraphs kept, the lines of each joined."""
    paragraphs = inspect.cleandoc(doc or "").split("\n\n")
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


def summary_and_description(doc: str | None) -> tuple[str, str]:
    """A view's docstring as an operation's summary (first line) and description (the rest)."""
    text = prose(doc)
    first, _, rest = text.partition("\n\n")
    return first.removesuffix("."), rest


def with_defaults(document: Any, defaults: Settings | None = None) -> Any:
    """Every description naming a setting also gives its default, so the text cannot drift."""
    values = {f.name: getattr(defaults or Settings(), f.name) for f in fields(Settings)}

    def default(match: re.Match[str]) -> str:
        name = match.group(1).lower()
        if values.get(name) in (None, ""):  # unknown, or empty by default: nothing to add
            return match.group(0)
        return f"{match.group(0)} (default {values[name]})"

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            return {
                key: _SETTING.sub(default, value)
                if key == "description" and isinstance(value, str)
                else walk(value)
                for key, value in node.items()
            }
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    return walk(document)
