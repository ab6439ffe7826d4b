"""Commands run beside `moderation up` find its private Redis through var/redis.json."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from moderation.local import address
from moderation.settings import Settings

URL = "redis://127.0.0.1:45678/0"


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the note is relative: the folder `up` and the commands share
    return tmp_path


def test_a_published_address_is_the_redis_url_when_none_is_set(folder):
    address.publish(URL)
    assert json.loads((folder / "var" / "redis.json").read_text())["pid"] == os.getpid()
    assert address.published() == URL
    assert Settings.from_env({}).redis_url == URL


def test_an_explicit_redis_url_wins_over_the_note(folder):
    address.publish(URL)
    assert Settings.from_env({"REDIS_URL": "redis://elsewhere:6379/3"}).redis_url == (
        "redis://elsewhere:6379/3"
    )


def test_without_a_note_the_default_holds(folder):
    assert address.published() is None
    assert Settings.from_env({}).redis_url == Settings.redis_url


def test_a_note_left_by_a_process_that_is_gone_is_ignored(folder):
    # An `up` killed with SIGKILL cannot withdraw its note; its Redis died with it.
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    (folder / "var").mkdir()
    (folder / "var" / "redis.json").write_text(json.dumps({"url": URL, "pid": int(gone.stdout)}))
    assert address.published() is None
    assert Settings.from_env({}).redis_url == Settings.redis_url


@pytest.mark.parametrize("text", ["", "not json", "[1, 2]", '{"url": 5, "pid": 1}'])
def test_a_damaged_note_is_ignored(folder, text):
    (folder / "var").mkdir()
    (folder / "var" / "redis.json").write_text(text)
    assert address.published() is None


def test_withdraw_removes_only_this_processs_note(folder):
    address.publish(URL)
    address.withdraw()
    assert not (folder / "var" / "redis.json").exists()
    # Another `up` wrote since: its note stays.
    (folder / "var" / "redis.json").write_text(json.dumps({"url": URL, "pid": os.getppid()}))
    address.withdraw()
    assert address.published() == URL
