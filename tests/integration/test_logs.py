"""Logs as an operator reads them: JSON lines that name the request, site, comment and decision."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from moderation import logs
from tests.conftest import settings_env
from tests.helpers import auth, comment_json

MODERATION = str(Path(sys.executable).parent / "moderation")
BODY = "You absolute fucking idiot, Perry."


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """The process's log lines as JSON, written to a buffer for the test to read."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    stream = io.StringIO()
    logs.configure(level="INFO", fmt="json", stream=stream)
    yield stream
    root.handlers[:] = handlers
    root.setLevel(level)


def _parsed(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_a_request_line_names_request_site_and_comment_and_echoes_the_id(
    client, site_key, json_lines
):
    posted = client.post(
        "/v1/comments",
        json=comment_json("c-1", BODY),
        headers={**auth(site_key), "X-Request-Id": "edge-42"},
    )
    generated = client.get("/v1/comments/nope", headers=auth(site_key))
    forged = client.get("/v1/comments/x", headers={"X-Request-Id": "two words\tand a tab"})
    client.get("/healthz")  # a passing probe: no line at INFO

    assert posted.status_code == 202
    assert posted.headers["X-Request-Id"] == "edge-42"
    assert len(generated.headers["X-Request-Id"]) == 32
    assert forged.headers["X-Request-Id"] != "two words\tand a tab"
    lines = _parsed(json_lines.getvalue())
    requests = [line for line in lines if line["logger"] == "moderation.request"]
    assert [(r["method"], r["status"]) for r in requests] == [
        ("POST", 202),
        ("GET", 404),
        ("GET", 401),
    ]
    first = requests[0]
    assert first["request_id"] == "edge-42"
    assert first["site"] == "daily-planet"
    assert first["comment_id"] == posted.get_json()["id"]
    assert first["level"] == "info"
    assert requests[1]["request_id"] == generated.headers["X-Request-Id"]
    assert requests[1]["comment_id"] == "nope"  # named by the path
    # Nothing of the text, the key, or another request's context.
    assert "fucking" not in json_lines.getvalue()
    assert site_key not in json_lines.getvalue()
    assert "site" not in requests[2]


def _worker(settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = settings_env(settings)
    env["MODERATION_LOG_FORMAT"] = "json"
    return subprocess.run(
        [MODERATION, "worker", "--burst", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_worker_writes_one_line_per_comment_with_the_request_id_and_decision(
    client, site_key, settings
):
    one = client.post(
        "/v1/comments",
        json=comment_json("c-1", BODY),
        headers={**auth(site_key), "X-Request-Id": "req-one"},
    )
    batch = client.post(
        "/v1/comments/batch",
        json={"comments": [comment_json("c-2", "Fine reporting."), comment_json("c-3", BODY)]},
        headers={**auth(site_key), "X-Request-Id": "req-batch"},
    )
    assert (one.status_code, batch.status_code) == (202, 200)

    worked = _worker(settings)

    assert worked.returncode == 0, worked.stderr
    lines = _parsed(worked.stderr)
    assert len(lines) == len(worked.stderr.splitlines()), "every line is JSON"
    decided = {line["comment_id"]: line for line in lines if "action" in line}
    ids = [one.get_json()["id"]] + [r["comment"]["id"] for r in batch.get_json()["results"]]
    assert set(decided) == set(ids)
    assert decided[ids[0]]["request_id"] == "req-one"
    assert decided[ids[0]]["action"] == "hold"
    assert "lexicon" in decided[ids[0]]["rule_ids"]
    assert decided[ids[0]]["site"] == "daily-planet"
    assert decided[ids[1]]["request_id"] == decided[ids[2]]["request_id"] == "req-batch"
    assert decided[ids[1]]["rule_ids"] == []
    # One line per job: the comment's own, none of RQ's "job started", "Job OK", "Result is kept".
    per_job: dict[object, int] = {}
    for line in lines:
        if "job_id" in line:
            per_job[line["job_id"]] = per_job.get(line["job_id"], 0) + 1
    assert per_job == {
        f"comment-{ids[0]}": 1,
        **{j: 2 for j in per_job if j != f"comment-{ids[0]}"},
    }
    assert not [line for line in lines if str(line["logger"]).startswith("rq")]
    assert "fucking" not in worked.stderr


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_coalesced_ids_keep_their_request_ids_through_the_pending_list(
    client, site_key, settings, services
):
    # Jobs already wait, so new ids go to the pending list that a drain job empties.
    for n in range(settings.coalesce_after):
        services.queue.enqueue_job([f"missing-{n}"])
    posted = client.post(
        "/v1/comments",
        json=comment_json("c-9", "Good piece."),
        headers={**auth(site_key), "X-Request-Id": "req-pending"},
    )
    assert services.queue.pending_count() == 1

    worked = _worker(settings)

    lines = _parsed(worked.stderr)
    mine = [line for line in lines if line.get("comment_id") == posted.get_json()["id"]]
    assert [(m["request_id"], m["action"]) for m in mine] == [("req-pending", "approve")]
    assert str(mine[0]["job_id"]).startswith("drain-")


def test_text_lines_are_readable_with_their_context():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.TextFormatter())
    logger = logging.getLogger("tests.text")
    logger.addHandler(handler)
    try:
        with logs.bound(request_id="r-1", site="planet"):
            logger.warning("comment decided: %s", "hold", extra={"rule_ids": ["a", "b"]})
    finally:
        logger.removeHandler(handler)
    line = stream.getvalue().strip()
    assert line.endswith("comment decided: hold [request_id=r-1 site=planet rule_ids=a,b]")
    assert " WARNING tests.text: " in line


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_database_error_is_logged_without_the_comment_it_held(
    client, site_key, services, json_lines
):
    from sqlalchemy import text

    with services.db.session() as session:
        session.execute(text("ALTER TABLE comments RENAME TO comments_away"))

    posted = client.post("/v1/comments", json=comment_json("c-1", BODY), headers=auth(site_key))

    assert posted.status_code == 503
    errors = [line for line in _parsed(json_lines.getvalue()) if line["level"] == "error"]
    assert errors, json_lines.getvalue()
    assert "no such table" in json_lines.getvalue()
    assert "fucking" not in json_lines.getvalue()
