"""A comment's text cut into plain and highlighted pieces from its decision's reason offsets."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Piece:
    """A run of the text; `label` names the reasons that matched it, None for plain text."""

    text: str
    label: str | None = None


def _spans(reason: Mapping[str, Any]) -> Iterable[tuple[int, int]]:
    spans = reason.get("spans")
    if isinstance(spans, list) and spans:
        for span in spans:
            if isinstance(span, list | tuple) and len(span) == 2:
                yield span[0], span[1]
    elif "start" in reason and "end" in reason:
        yield reason["start"], reason["end"]


def _marks(length: int, reasons: Iterable[Mapping[str, Any]]) -> list[tuple[int, int, str]]:
    """Valid spans within the text, sorted, overlapping ones merged under all their labels."""
    found: list[tuple[int, int, str]] = []
    for reason in reasons:
        label = str(reason.get("code") or reason.get("category") or "match")
        for start, end in _spans(reason):
            # Offsets come from stored JSON: anything but a span inside the text is ignored.
            if type(start) is int and type(end) is int and 0 <= start < end <= length:
                found.append((start, end, label))
    found.sort()
    merged: list[tuple[int, int, str]] = []
    for start, end, label in found:
        if merged and start < merged[-1][1]:
            last_start, last_end, last_label = merged[-1]
            labels = last_label if label in last_label.split(", ") else f"{last_label}, {label}"
            merged[-1] = (last_start, max(last_end, end), labels)
        else:
            merged.append((start, end, label))
    return merged


def highlight(
    body: str, reasons: Iterable[Mapping[str, Any]] | None, *, limit: int | None = None
) -> list[Piece]:
    """The body as pieces with each reason's spans marked; cut at `limit` characters, with "…"."""
    shown = body if limit is None or len(body) <= limit else body[:limit]
    pieces: list[Piece] = []
    at = 0
    for start, end, label in _marks(len(body), reasons or ()):
        if start >= len(shown):
            break
        if start > at:
            pieces.append(Piece(shown[at:start]))
        pieces.append(Piece(shown[start:end], label))
        at = min(end, len(shown))
    if at < len(shown):
        pieces.append(Piece(shown[at:]))
    if len(shown) < len(body):
        pieces.append(Piece("…"))
    return pieces
