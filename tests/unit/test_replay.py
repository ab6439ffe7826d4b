"""moderation check: JSON lines in, one decision per line out."""

from __future__ import annotations

import io
import json
from pathlib import Path

from moderation.engine import Engine
from moderation.replay import run_check

CONFIG = Path(__file__).resolve().parents[2] / "config"


def test_run_check_writes_one_line_per_input() -> None:
    engine = Engine.from_directory(CONFIG)
    lines = [
        '{"id": 1, "body": "shit", "site": "s"}\n',
        '{"text": "hello"}\n',
        "not json\n",
        '{"site": "s"}\n',
    ]
    out, err = io.StringIO(), io.StringIO()
    tally = run_check(lines, out, engine=engine, progress=True, total_bytes=100, err=err)
    assert (tally.lines, tally.held, tally.approved, tally.errors) == (4, 1, 1, 2)
    assert tally.shown[0].startswith("line 3: invalid JSON")
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert rows[0]["id"] == 1
    assert rows[0]["action"] == "hold"
    assert rows[0]["reasons"]
    assert rows[1]["action"] == "approve"
    assert rows[1]["ruleset_version"] == engine.version
    assert "error" in rows[2]
    assert "error" in rows[3]
    assert "4 lines" in err.getvalue()


def test_run_check_refuses_texts_over_the_limit_and_names_it() -> None:
    engine = Engine.from_directory(CONFIG)
    lines = ['{"id": 7, "body": "twelve chars"}\n', '{"body": "short"}\n']
    out = io.StringIO()
    assert run_check(lines, out, engine=engine, max_chars=10).lines == 2
    over, fine = (json.loads(line) for line in out.getvalue().splitlines())
    assert over == {"line": 1, "id": 7, "error": over["error"]}
    assert "12 characters" in over["error"]
    assert "limit of 10" in over["error"]
    assert fine["action"] == "approve"
    unlimited = io.StringIO()
    run_check(lines, unlimited, engine=engine, max_chars=0)
    assert "error" not in unlimited.getvalue()


def test_run_check_writes_the_count_and_spans_of_repeated_terms() -> None:
    engine = Engine.from_directory(CONFIG)
    out = io.StringIO()
    run_check(['{"body": "shit shit shit"}\n'], out, engine=engine)
    (reason,) = json.loads(out.getvalue())["reasons"]
    assert reason["count"] == 3
    assert reason["spans"] == [[0, 4], [5, 9], [10, 14]]
