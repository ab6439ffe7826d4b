"""Replay comments (JSON lines) through the engine: the logic of `moderation check`."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TextIO

from moderation.engine import Context, Engine

_BAR_WIDTH = 30

#: The fields a line may hold; `status` and `reason`, as `moderation export decisions` writes
#: them, are passed over, so an export replays as it is.
FIELDS = frozenset(
    {"id", "body", "text", "site", "author", "section", "author_prior_comments", "status", "reason"}
)

#: Error lines repeated on stderr at the end, with their line numbers; the rest are counted.
_ERRORS_SHOWN = 20


@dataclass
class Tally:
    """What a replay decided, line by line: the summary `moderation check` prints."""

    approved: int = 0
    held: int = 0
    rejected: int = 0
    errors: int = 0
    shown: list[str] = field(default_factory=list)

    @property
    def lines(self) -> int:
        """Lines read (blank lines aside)."""
        return self.approved + self.held + self.rejected + self.errors

    def count(self, number: int, result: dict[str, Any]) -> None:
        """Count one line's result."""
        action = result.get("action")
        if action == "approve":
            self.approved += 1
        elif action == "hold":
            self.held += 1
        elif action == "reject":
            self.rejected += 1
        else:
            self.errors += 1
            if len(self.shown) < _ERRORS_SHOWN:
                self.shown.append(f"line {number}: {result.get('error')}")

    def summary(self) -> str:
        """One line: how many of each, and errors."""
        return (
            f"{self.lines} line(s): {self.approved} approved, {self.held} held, "
            f"{self.rejected} rejected, {self.errors} error(s)"
        )


def _decide(line: str, engine: Engine, max_chars: int) -> dict[str, Any]:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"error": f"invalid JSON: {exc.msg} at column {exc.colno}"}
    if not isinstance(item, dict):
        return {"error": "each line must be a JSON object"}
    unknown = sorted(set(item) - FIELDS)
    if unknown:
        return {
            **({"id": item["id"]} if "id" in item else {}),
            "error": f"unknown field(s) {', '.join(map(repr, unknown))}; "
            f"a line may hold {', '.join(sorted(FIELDS))}",
        }
    body = item.get("body", item.get("text"))
    if not isinstance(body, str):
        return {"error": "missing string field 'body' (or 'text')"}
    if max_chars and len(body) > max_chars:
        # The API refuses such text (422), so a replay does too unless told otherwise.
        return {
            **({"id": item["id"]} if "id" in item else {}),
            "error": f"text of {len(body)} characters is over the limit of {max_chars} "
            "(MODERATION_MAX_TEXT_CHARS; --max-chars N sets another, 0 none)",
        }
    site, author, section = item.get("site", ""), item.get("author"), item.get("section")
    if (
        not isinstance(site, str)
        or not (author is None or isinstance(author, str))
        or not (section is None or isinstance(section, str))
    ):
        return {"error": "'site', 'author' and 'section' must be strings"}
    prior = item.get("author_prior_comments", 0)
    if not isinstance(prior, int):
        return {"error": "'author_prior_comments' must be an integer"}
    # Replays judge the text against the rules; without history an author is not "new".
    context = Context(
        site=site,
        section=section,
        author_id=author,
        author_prior_comments=prior if "author_prior_comments" in item else 1 << 30,
    )
    result: dict[str, Any] = {}
    if "id" in item:
        result["id"] = item["id"]
    decision = engine.moderate(body, context).to_dict()
    if decision["censored"] is None:
        del decision["censored"]
    result.update(decision)
    return result


def _progress(err: TextIO, done_bytes: int, total: int | None, count: int, start: float) -> None:
    rate = count / max(time.monotonic() - start, 1e-9)
    if total:
        frac = min(done_bytes / total, 1.0)
        bar = "#" * int(frac * _BAR_WIDTH)
        err.write(f"\r[{bar:<{_BAR_WIDTH}}] {frac:6.1%} {count} lines {rate:,.0f}/s")
    else:
        err.write(f"\r{count} lines {rate:,.0f}/s")
    err.flush()


def run_check(
    lines: Iterable[str],
    out: TextIO,
    *,
    engine: Engine,
    max_chars: int = 0,
    progress: bool = False,
    total_bytes: int | None = None,
    err: TextIO = sys.stderr,
) -> Tally:
    """Write one JSON decision per input line; return what was decided, and the errors.

    A line that cannot be decided (not JSON, unknown fields, no text, a text longer than
    `max_chars`, 0: no limit) gets an error line instead, naming its line number.
    """
    tally = Tally()
    done = 0
    start = last = time.monotonic()
    for number, line in enumerate(lines, start=1):
        done += len(line.encode("utf-8"))
        if not line.strip():
            continue
        result = _decide(line, engine, max_chars)
        if "error" in result:
            result = {"line": number, **result}
        tally.count(number, result)
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        if progress and time.monotonic() - last >= 0.2:
            last = time.monotonic()
            _progress(err, done, total_bytes, tally.lines, start)
    if progress:
        _progress(err, total_bytes or done, total_bytes, tally.lines, start)
        err.write("\n")
    return tally
