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
    assert run_check(lines, out, engine=engine, progress=True, total_bytes=100, err=err) == 4
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert rows[0]["id"] == 1
    assert rows[0]["action"] == "hold"
    assert rows[0]["reasons"]
    assert rows[1]["action"] == "approve"
    assert rows[1]["ruleset_version"] == engine.version
    assert "error" in rows[2]
    assert "error" in rows[3]
    assert "4 lines" in err.getvalue()
