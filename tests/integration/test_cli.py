"""The `moderation` command as an operator runs it: sites and keys, and `moderation up`."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from moderation.local.localredis import free_port
from moderation.settings import Settings
from tests.helpers import descendants, request_json, still_running, wait_http

MODERATION = str(Path(sys.executable).parent / "moderation")


def _env(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in Settings.env_names().values()}
    env.update(values)
    return env


def _cli(
    *args: str, env: dict[str, str], cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [MODERATION, *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_sites_create_list_rotate_and_revoke(database_url):
    env = _env(DATABASE_URL=database_url)

    created = _cli("sites", "create", "daily-planet", "--json", env=env)
    assert created.returncode == 0, created.stderr
    issued = json.loads(created.stdout)
    assert issued["site"] == "daily-planet"
    assert issued["api_key"].startswith("msk_")

    again = _cli("sites", "create", "daily-planet", env=env)
    assert again.returncode != 0
    assert "exists already" in again.stderr

    rotated = json.loads(_cli("sites", "rotate-key", "daily-planet", "--json", env=env).stdout)
    assert rotated["api_key"] != issued["api_key"]
    revoked = _cli("sites", "revoke-key", "daily-planet", issued["key_id"], env=env)
    assert revoked.returncode == 0, revoked.stderr

    listing = json.loads(_cli("sites", "list", "--json", env=env).stdout)
    keys = {k["key_id"]: k for k in listing[0]["keys"]}
    assert keys[issued["key_id"]]["revoked_at"] is not None
    assert keys[rotated["key_id"]]["revoked_at"] is None
    # Only a hint of each key is ever shown again, never the key.
    assert issued["api_key"] not in json.dumps(listing)


def test_revoked_key_is_refused_by_the_api(client, services):
    from moderation.store.sites import create_site, revoke_key, rotate_key

    with services.db.session() as session:
        first = create_site(session, "daily-planet")
    with services.db.session() as session:
        second = rotate_key(session, "daily-planet")
        revoke_key(session, "daily-planet", first.key_id)

    def status(key: str) -> int:
        return client.get("/v1/comments/x", headers={"Authorization": f"Bearer {key}"}).status_code

    assert status(first.api_key) == 401
    assert status(second.api_key) == 404


def _listener(received: list[dict[str, object]]) -> ThreadingHTTPServer:
    """A site's webhook endpoint on a loopback port, keeping what it receives."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _start_up(cwd: Path, port: int, *, output: int, **values: str) -> subprocess.Popen[str]:
    """`moderation up` with a private Redis, in a process group of its own as a shell's job."""
    env = _env(**values)
    env.pop("REDIS_URL", None)
    return subprocess.Popen(
        [MODERATION, "up", "--port", str(port)],
        cwd=cwd,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGHUP], ids=["ctrl-c", "hangup"])
def test_up_runs_the_whole_service_with_embedded_defaults(tmp_path, stop):
    """The README run command: SQLite in ./var, a private Redis, web, worker; Ctrl-C stops all."""
    port = free_port()
    up = _start_up(
        tmp_path, port, output=subprocess.PIPE, MODERATION_WEBHOOK_ALLOW_HOSTS="127.0.0.1"
    )
    env = _env()
    base = f"http://127.0.0.1:{port}"
    hooks: list[dict[str, object]] = []
    listener = _listener(hooks)
    try:
        wait_http(base + "/healthz", 30)
        created = _cli("sites", "create", "demo", "--json", env=env, cwd=tmp_path)
        key = json.loads(created.stdout)["api_key"]
        hook = {"url": f"http://127.0.0.1:{listener.server_port}/h", "events": ["comment.decided"]}
        assert request_json("POST", base + "/v1/webhooks", key, hook)[0] == 201
        comment = {
            "id": "c1",
            "story": {"id": "s1"},
            "author": {"id": "a1"},
            "body": "Good reporting.",
        }
        status, posted = request_json("POST", base + "/v1/comments", key, comment)
        assert status == 202
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            status, read = request_json("GET", base + posted["links"]["self"], key)
            if read["status"] != "queued":
                break
            time.sleep(0.05)
        assert read["status"] == "approved"
        assert (tmp_path / "var" / "moderation.sqlite3").exists()
        # `up` runs the webhook worker too: the site hears of the decision.
        deadline = time.monotonic() + 10
        while not hooks and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [h["type"] for h in hooks] == ["comment.decided"]
        # Another shell in the same folder, REDIS_URL unset: status reads up's private Redis.
        beside = _cli(
            "status", env={k: v for k, v in env.items() if k != "REDIS_URL"}, cwd=tmp_path
        )
        assert beside.returncode == 0, beside.stdout + beside.stderr
        assert re.search(r"^workers   [1-9]\d* alive", beside.stdout, re.MULTILINE), beside.stdout
        assert (tmp_path / "var" / "redis.json").exists()
    finally:
        listener.shutdown()
        listener.server_close()
        os.killpg(up.pid, stop)  # a terminal signals the whole foreground group
        output, _ = up.communicate(timeout=30)
    assert up.returncode == 0, output
    assert "sites create" in output
    assert "Traceback" not in output  # every part stopped in order, Redis last
    assert "Control socket" not in output  # none to take over from another gunicorn
    private = re.search(r"redis +redis://127\.0\.0\.1:(\d+)/", output)
    assert private, output
    assert f"redis://127.0.0.1:{private[1]}/" in beside.stdout  # the same Redis up named
    assert not (tmp_path / "var" / "redis.json").exists()  # withdrawn when up stopped
    with pytest.raises(ConnectionRefusedError):  # the private Redis is gone too
        socket.create_connection(("127.0.0.1", int(private[1])), timeout=1).close()
    with pytest.raises(urllib.error.URLError, match="refused"):
        urllib.request.urlopen(base + "/healthz", timeout=1)  # noqa: S310 - loopback


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the kernel's parent-death signal")
def test_up_killed_outright_leaves_nothing_running(tmp_path):
    """SIGKILL gives `moderation up` no chance to stop its children: the kernel stops them."""
    port = free_port()
    up = _start_up(tmp_path, port, output=subprocess.DEVNULL)
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz", 30)
        family = descendants(up.pid)  # redis-server, gunicorn and its workers, the RQ worker
        assert len(family) >= 4
    finally:
        up.kill()
        up.wait()
    assert not still_running(family, timeout=30)
    with pytest.raises(urllib.error.URLError, match="refused"):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)


def test_serve_as_the_image_runs_it_opens_its_control_socket_where_it_may_write(tmp_path):
    """The image's home folder is not writable: its ENV puts gunicorn's socket in /app/var."""
    dockerfile = (Path(__file__).parents[2] / "Dockerfile").read_text()
    found = re.search(r'GUNICORN_CMD_ARGS="([^"]*)"', dockerfile)
    assert found, "the image sets GUNICORN_CMD_ARGS"
    port = free_port()
    env = _env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        MODERATION_BIND=f"127.0.0.1:{port}",
        GUNICORN_CMD_ARGS=found[1].replace("/app/var", str(tmp_path)),
        HOME="/proc",  # nobody can make a folder here, as the image's user cannot in /app
    )
    env.pop("XDG_RUNTIME_DIR", None)
    web = subprocess.Popen(
        [MODERATION, "serve", "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz", 30)
        assert (tmp_path / "gunicorn.ctl").is_socket()
    finally:
        web.terminate()
        output, _ = web.communicate(timeout=30)
    assert f"Control socket listening at {tmp_path / 'gunicorn.ctl'}" in output
    assert "Control server error" not in output


def test_check_replays_json_lines_from_a_file_and_from_stdin(tmp_path):
    lines = [
        {"id": "a", "body": "Thanks for the thorough reporting.", "site": "planet"},
        {"id": "b", "text": "You are a fucking idiot.", "site": "planet"},
        {"id": "c"},
    ]
    replay = tmp_path / "past.jsonl"
    replay.write_text("\n".join(json.dumps(line) for line in lines) + "\n")

    from_file = _cli("check", str(replay), env=_env())
    from_stdin = subprocess.run(
        [MODERATION, "check"],
        input=replay.read_text(),
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert from_file.returncode == 1  # a line failed: "c" has no text
    decisions = [json.loads(line) for line in from_file.stdout.splitlines()]
    assert [d.get("action") for d in decisions] == ["approve", "hold", None]
    assert decisions[1]["reasons"][0]["term"] == "fucking"
    assert decisions[2]["line"] == 3
    assert "error" in decisions[2]
    assert from_stdin.stdout == from_file.stdout
    assert "3" in from_file.stderr  # the progress line counts what it read


def test_check_holds_texts_to_the_api_limit_unless_told(tmp_path):
    lines = [{"id": "short", "body": "Fine words."}, {"id": "long", "body": "word " * 30}]
    replay = tmp_path / "past.jsonl"
    replay.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    env = _env(MODERATION_MAX_TEXT_CHARS="100")

    limited = _cli("check", str(replay), env=env)
    lifted = _cli("check", "--max-chars", "0", str(replay), env=env)
    refused = _cli("check", "--max-chars", "-1", str(replay), env=env)

    assert limited.returncode == 1, limited.stderr
    assert "line 2: text of 150 characters is over the limit" in limited.stderr
    short, long = (json.loads(line) for line in limited.stdout.splitlines())
    assert short["action"] == "approve"
    assert long["id"] == "long"
    assert "over the limit of 100" in long["error"]
    assert "action" not in long
    assert [json.loads(line)["action"] for line in lifted.stdout.splitlines()] == [
        "approve",
        "approve",
    ]
    assert refused.returncode != 0
    assert "--max-chars" in refused.stderr


def test_moderators_create_list_and_disable(database_url):
    env = _env(DATABASE_URL=database_url)
    _cli("sites", "create", "daily-planet", env=env)

    created = _cli("moderators", "create", "lois", "--site", "daily-planet", "--json", env=env)
    admin = _cli("moderators", "create", "perry", "--admin", "--json", env=env)
    nowhere = _cli("moderators", "create", "jimmy", env=env)
    unknown = _cli("moderators", "create", "clark", "--site", "nope", env=env)

    assert created.returncode == 0, created.stderr
    issued = json.loads(created.stdout)
    assert (issued["moderator"], issued["sites"]) == ("lois", ["daily-planet"])
    assert issued["token"].startswith("mmt_")
    assert json.loads(admin.stdout)["admin"] is True
    assert nowhere.returncode != 0
    assert unknown.returncode != 0
    assert "unknown site" in unknown.stderr
    assert _cli("moderators", "disable", "lois", env=env).returncode == 0
    listing = json.loads(_cli("moderators", "list", "--json", env=env).stdout)
    assert {m["moderator"]: m["disabled"] for m in listing} == {"lois": True, "perry": False}
    assert issued["token"] not in json.dumps(listing)


def test_moderators_login_link_and_password_open_the_console(database_url, redis_url):
    from moderation.app import create_app
    from moderation.services import build_services
    from tests.conftest import make_settings

    env = _env(DATABASE_URL=database_url, MODERATION_PUBLIC_URL="https://mod.example")
    _cli("sites", "create", "daily-planet", env=env)
    _cli("moderators", "create", "lois", "--site", "daily-planet", env=env)

    link = _cli("moderators", "login-link", "lois", env=env)
    nobody = _cli("moderators", "login-link", "clark", env=env)
    short = subprocess.run(
        [MODERATION, "moderators", "set-password", "lois"],
        input="short\n", env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    good = subprocess.run(
        [MODERATION, "moderators", "set-password", "lois"],
        input="correct horse battery\n", env=env, capture_output=True, text=True, timeout=60,
        check=False,
    )  # fmt: skip

    assert link.returncode == 0, link.stderr
    url = link.stdout.strip()
    assert url.startswith("https://mod.example/console/link/")
    assert nobody.returncode != 0
    assert short.returncode != 0
    assert good.returncode == 0, good.stderr
    services = build_services(make_settings(database_url, redis_url))
    try:
        client = create_app(services=services).test_client()
        path = url.removeprefix("https://mod.example")
        page = client.get("https://localhost" + path).get_data(as_text=True)
        token = page.split('name="csrf_token" value="')[1].split('"')[0]
        signed = client.post("https://localhost" + path, data={"csrf_token": token})
        assert signed.status_code == 303
        assert client.get("https://localhost/console/").status_code == 200
        assert _cli("moderators", "disable", "lois", env=env).returncode == 0
        assert client.get("https://localhost/console/").status_code == 302
    finally:
        services.close()
