"""Small builders the tests share."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from moderation.settings import Settings
from tests.conftest import settings_env


def auth(key: str) -> dict[str, str]:
    """Authorization header for a site key."""
    return {"Authorization": f"Bearer {key}"}


def comment_json(
    external_id: str = "c-1", body: str = "What a thoughtful article.", **extra: object
) -> dict[str, object]:
    """A valid comment as a site would post it."""
    payload: dict[str, object] = {
        "id": external_id,
        "story": {"id": "story-1", "url": "https://planet.example/news/1", "section": "politics"},
        "author": {"id": "reader-1", "name": "Lois"},
        "body": body,
        "parent_id": None,
    }
    payload.update(extra)
    return payload


def make_moderator(services, name: str, *sites: str, admin: bool = False) -> str:  # type: ignore[no-untyped-def]
    """A moderator's token for the given sites (or all, as admin)."""
    from moderation.store.moderators import create_moderator

    with services.db.session() as session:
        return create_moderator(session, name, sites=list(sites), is_admin=admin).token


def make_site(services, name: str) -> str:  # type: ignore[no-untyped-def]
    """A new site's API key."""
    from moderation.store.sites import create_site

    with services.db.session() as session:
        return create_site(session, name).api_key


def request_json(method: str, url: str, key: str, body: object = None) -> tuple[int, Any]:
    """A JSON request to a running service, as a site's backend sends it: (status, body)."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 - loopback
    request.add_header("Authorization", f"Bearer {key}")
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def wait_http(url: str, timeout: float) -> None:
    """Wait until a running service answers at url; fail the test if it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1):  # noqa: S310 - loopback
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"{url} did not answer in {timeout} s")


def descendants(pid: int) -> set[int]:
    """The process ids of a process's children, theirs, and so on (Linux)."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as kids:
            children = {int(kid) for kid in kids.read().split()}
    except (FileNotFoundError, ProcessLookupError):  # gone before, or while, it was read
        return set()
    return children.union(*(descendants(child) for child in children))


def still_running(pids: set[int], timeout: float) -> list[str]:
    """The command lines of those processes still running once they had `timeout` to stop."""

    def alive(pid: int) -> bool:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                return stat.read().rpartition(")")[2].split()[0] != "Z"  # a zombie has stopped
        except (FileNotFoundError, ProcessLookupError):  # gone before, or while, it was read
            return False

    deadline = time.monotonic() + timeout
    while (left := [pid for pid in pids if alive(pid)]) and time.monotonic() < deadline:
        time.sleep(0.2)
    running = []
    for pid in left:
        try:
            with open(f"/proc/{pid}/cmdline") as cmdline:
                running.append(cmdline.read().replace("\0", " ").strip())
        except FileNotFoundError:
            pass
    return running


def start_worker(settings: Settings, **popen: Any) -> subprocess.Popen[bytes]:
    """A moderation worker process (`python -m workers`) on these settings.

    In a session of its own, so the worker and the scheduler it forks can be killed together
    (os.killpg).
    """
    return subprocess.Popen(
        [sys.executable, "-m", "workers"],
        env=settings_env(settings),
        start_new_session=True,
        **popen,
    )


def start_web(settings: Settings, *, workers: int = 1, **popen: Any) -> subprocess.Popen[bytes]:
    """`moderation serve` (gunicorn) at settings.bind, answering once this returns."""
    moderation = str(Path(sys.executable).parent / "moderation")
    web = subprocess.Popen(
        [moderation, "serve", "--workers", str(workers)], env=settings_env(settings), **popen
    )
    try:
        wait_http(f"http://{settings.bind}/healthz", 30)
    except BaseException:
        web.kill()  # the caller never gets it, so it could not stop it
        web.wait(timeout=10)
        raise
    return web
