"""Operator commands: status, failed jobs and their retry, config check, and one-line failures."""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from rq import Queue, Worker
from rq.serializers import JSONSerializer

from moderation.cli import main
from moderation.services import connect_redis
from moderation.settings import Settings
from tests.conftest import ROOT, settings_env
from tests.helpers import auth, comment_json

MODERATION = str(Path(sys.executable).parent / "moderation")


#: Commands that start servers or workers run as processes; the rest run in this one, so
#: coverage sees them.
_PROCESSES = {"worker", "up", "serve"}


@dataclass(frozen=True)
class Done:
    """What a command left: exit status and output."""

    returncode: int
    stdout: str
    stderr: str


@pytest.fixture(autouse=True)
def _logging_kept() -> Iterator[None]:
    # The command group configures logging for its process; in this one it must not stay.
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    levels = {name: logging.getLogger(name).level for name in ("rq", "rq.worker", "alembic")}
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, kept in levels.items():
        logging.getLogger(name).setLevel(kept)


def _cli(*args: str, env: dict[str, str], stdin: str | None = None) -> Done:
    if args[0] in _PROCESSES:
        run = subprocess.run(
            [MODERATION, *args],
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        return Done(run.returncode, run.stdout, run.stderr)
    # Exactly `env`, as a process would get it: what the test leaves out is unset.
    overlay: dict[str, str | None] = {k: None for k in os.environ if k not in env}
    overlay.update(env)
    result = CliRunner().invoke(main, list(args), input=stdin, env=overlay)
    return Done(result.exit_code, result.stdout, result.stderr)


def _bare_env(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in Settings.env_names().values()}
    env.update(values)
    return env


def _one_line_failure(done: Done) -> str:
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


def test_version():
    done = _cli("--version", env=_bare_env())
    assert done.returncode == 0
    assert done.stdout.startswith("moderation, version ")


@pytest.fixture
def broken_config(tmp_path: Path) -> Path:
    config = tmp_path / "config"
    shutil.copytree(ROOT / "config", config)
    _break(config / "rules.toml")
    return config


def _break(rules: Path) -> None:
    """A typo in a key, as an editor would save it: the strict schema names it."""
    text = rules.read_text()
    rules.write_text(text.replace("[policy]", "[policy]\nstrong_profanty = 'reject'", 1))


def test_config_check_passes_the_shipped_rules_and_names_a_broken_file(broken_config):
    good = _cli("config", "check", env=_bare_env(MODERATION_CONFIG_DIR=str(ROOT / "config")))
    bad = _cli("config", "check", env=_bare_env(MODERATION_CONFIG_DIR=str(broken_config)))

    assert good.returncode == 0, good.stderr
    assert "valid, ruleset" in good.stdout
    line = _one_line_failure(bad)
    assert "rules.toml" in line
    assert "strong_profanty" in line


def test_a_reader_that_leaves_early_ends_the_command_quietly():
    # `moderation status | head -3`: the pipe closes before the command writes to it.
    env = _bare_env(MODERATION_CONFIG_DIR=str(ROOT / "config"))
    command = subprocess.Popen(
        [MODERATION, "config", "check"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert command.stdout is not None
    command.stdout.close()
    _, errors = command.communicate(timeout=60)
    assert command.returncode == 141  # as the shell reports a process SIGPIPE ended
    assert errors == b""


def _taken_port() -> tuple[socket.socket, int]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    return listener, listener.getsockname()[1]


def test_every_mistake_a_user_can_make_is_one_line(tmp_path, redis_url, broken_config):
    empty = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    listener, port = _taken_port()
    try:
        cases = {
            "no database": (["sites", "list"], {"DATABASE_URL": empty}, "moderation db upgrade"),
            "wrong URL": (["sites", "list"], {"DATABASE_URL": "postgres-ish://x"}, "DATABASE_URL"),
            "database down": (
                ["sites", "list"],
                {"DATABASE_URL": "postgresql+psycopg://u@127.0.0.1:1/x"},
                "cannot be used",
            ),
            "Redis down": (["jobs", "failed"], {"REDIS_URL": "redis://127.0.0.1:1/0"}, "Redis"),
            "Redis URL": (["jobs", "failed"], {"REDIS_URL": "http://x"}, "Redis"),
            "port in use": (["up", "--port", str(port)], {}, f"127.0.0.1:{port}"),
            "serve port": (["serve"], {"MODERATION_BIND": f"127.0.0.1:{port}"}, "in use"),
            "unknown site": (
                ["export", "decisions", "--site", "nope"],
                {"DATABASE_URL": f"sqlite:///{tmp_path / 'migrated.sqlite3'}"},
                "nope",
            ),
            "bad rules": (["check"], {"MODERATION_CONFIG_DIR": str(broken_config)}, "rules.toml"),
            "bad setting": (["sweep"], {"MODERATION_JOB_TIMEOUT": "soon"}, "JOB_TIMEOUT"),
        }
        _cli("db", "upgrade", env=_bare_env(DATABASE_URL=cases["unknown site"][1]["DATABASE_URL"]))
        for name, (args, values, named) in cases.items():
            done = _cli(*args, env=_bare_env(**{"REDIS_URL": redis_url, **values}), stdin="")
            line = _one_line_failure(done)
            assert line.startswith("Error: "), name
            assert named in line, (name, line)
    finally:
        listener.close()


def _post(client, key: str, external_id: str, body: str = "A fair point.") -> str:
    posted = client.post("/v1/comments", json=comment_json(external_id, body), headers=auth(key))
    assert posted.status_code == 202
    return str(posted.get_json()["id"])


def _status(settings) -> tuple[int, dict]:  # type: ignore[type-arg]
    done = _cli("status", "--json", env=settings_env(settings))
    return done.returncode, json.loads(done.stdout)


def test_status_shows_queues_workers_jobs_comments_and_rules(client, site_key, settings):
    _post(client, site_key, "c-1")
    redis = connect_redis(settings.redis_url)
    queue = Queue(settings.queue_name, connection=redis, serializer=JSONSerializer)
    queue.enqueue_call("time.sleep", args=(6,), job_id="slow-one")
    time.sleep(0.2)

    code, waiting = _status(settings)

    assert code == 0
    assert waiting["database"]["reachable"]
    assert waiting["redis"]["reachable"]
    assert waiting["comments"]["queued"] == 1
    assert waiting["comments"]["oldest_age_seconds"] >= 0
    moderation = waiting["queues"][settings.queue_name]
    assert moderation["waiting"] == 2
    assert moderation["oldest_age_seconds"] >= 0.2
    assert waiting["rules"]["valid"]
    assert waiting["rules"]["version"]
    assert waiting["workers"] == []

    env = settings_env(settings)
    worker = subprocess.Popen(
        [MODERATION, "worker"], env=env, stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            jobs = [w.get_current_job_id() for w in Worker.all(connection=redis)]
            if "slow-one" in jobs:
                break
            time.sleep(0.1)
        code, working = _status(settings)
        text = _cli("status", env=env)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert code == 0
    assert working["comments"]["queued"] == 0
    assert [(w["state"], w["job"]) for w in working["workers"]] == [("busy", "slow-one")]
    assert "on slow-one" in text.stdout
    assert "1 alive" in text.stdout

    down = _cli("status", env={**env, "REDIS_URL": "redis://127.0.0.1:1/0"})
    assert down.returncode == 1
    assert "UNREACHABLE" in down.stdout
    assert down.stderr.startswith("Error: Redis at redis://127.0.0.1:1/0")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_failed_jobs_are_listed_with_their_comment_and_retried(
    client, site_key, settings, tmp_path
):
    comment_id = _post(client, site_key, "c-1")
    env = settings_env(settings)
    # A worker on a database nobody migrated: the job fails on its first query.
    unready = {**env, "DATABASE_URL": f"sqlite:///{tmp_path / 'unmigrated.sqlite3'}"}
    assert _cli("worker", "--burst", env=unready).returncode == 0

    listed = _cli("jobs", "failed", "--json", env=env)
    text = _cli("jobs", "failed", env=env)

    assert listed.returncode == 0, listed.stderr
    [failed] = json.loads(listed.stdout)
    assert failed["id"] == f"comment-{comment_id}"
    assert failed["comments"] == [comment_id]
    assert failed["sites"] == ["daily-planet"]
    assert "no such table" in failed["error"]
    assert failed["error"].count("\n") == 0
    assert f"comment-{comment_id}" in text.stdout
    assert "1 failed job(s)" in text.stderr
    assert _status(settings)[1]["queues"][settings.queue_name]["failed"] == 1

    unknown = _cli("jobs", "retry", "comment-nope", env=env)
    retried = _cli("jobs", "retry", f"comment-{comment_id}", env=env)
    worked = _cli("worker", "--burst", env=env)

    assert "no failed job comment-nope" in _one_line_failure(unknown)
    assert retried.stdout.strip() == "requeued 1 job(s)"
    assert worked.returncode == 0
    assert json.loads(_cli("jobs", "failed", "--json", env=env).stdout) == []
    read = client.get(f"/v1/comments/{comment_id}", headers=auth(site_key)).get_json()
    assert read["status"] == "approved"
    assert _cli("jobs", "retry", "--all", env=env).stdout.strip() == "requeued 0 job(s)"
    assert _cli("jobs", "retry", env=env).returncode == 2  # neither ids nor --all


def test_check_names_bad_lines_and_sums_up(tmp_path):
    replay = tmp_path / "past.jsonl"
    replay.write_text(
        '{"id": "a", "body": "Thanks for this."}\n'
        '{"id": "b", "bdy": "typo"}\n'
        "\n"
        "{not json\n"
        '{"id": "d", "body": "You fucking idiot."}\n'
    )
    env = _bare_env()

    done = _cli("check", str(replay), env=env)
    clean = _cli("check", env=env, stdin='{"body": "Fine."}\n')

    assert done.returncode == 1
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [row.get("line") for row in rows] == [None, 2, 4, None]
    assert "unknown field(s) 'bdy'" in rows[1]["error"]
    assert "invalid JSON" in rows[2]["error"]
    assert "line 2: unknown field(s) 'bdy'" in done.stderr
    assert "line 4: invalid JSON" in done.stderr
    assert "4 line(s): 1 approved, 1 held, 0 rejected, 2 error(s)" in done.stderr
    assert "Traceback" not in done.stderr
    assert clean.returncode == 0
    assert "1 line(s): 1 approved" in clean.stderr


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_worker_reports_a_broken_rules_file_when_saved_without_a_comment(
    settings, tmp_path, services
):
    config = tmp_path / "config"
    shutil.copytree(ROOT / "config", config)
    env = {
        **settings_env(settings),
        "MODERATION_CONFIG_DIR": str(config),
        "MODERATION_RULES_CHECK_INTERVAL": "0.2",
        "MODERATION_LOG_FORMAT": "json",
    }
    log = tmp_path / "worker.log"
    with log.open("w") as sink:
        worker = subprocess.Popen([MODERATION, "worker"], env=env, stderr=sink)
    try:
        _wait_for(log, "works queue", 20)
        _break(config / "rules.toml")
        line = _wait_for(log, "ruleset reload failed", 5)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    record = json.loads(line)
    assert record["level"] == "error"
    assert "strong_profanty" in record["message"]


def _wait_for(log: Path, text: str, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in log.read_text().splitlines():
            if text in line:
                return line
        time.sleep(0.05)
    pytest.fail(f"{text!r} not logged in {timeout} s:\n{log.read_text()}")
