"""Hot reload: changes are picked up, broken configs keep the previous engine."""

from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path

import pytest

from moderation.ruleset import RulesetWatcher

CONFIG = Path(__file__).resolve().parents[2] / "config"


@pytest.fixture
def config(tmp_path: Path) -> Path:
    shutil.copytree(CONFIG / "lexicon", tmp_path / "lexicon")
    shutil.copy(CONFIG / "rules.toml", tmp_path / "rules.toml")
    return tmp_path


def test_reload_on_change_and_keep_last_good(
    config: Path, caplog: pytest.LogCaptureFixture
) -> None:
    watcher = RulesetWatcher(config, check_interval=0)
    first = watcher.engine().version
    rules = config / "rules.toml"
    rules.write_text(rules.read_text() + "\n# changed\n")
    os.utime(rules, ns=(1, 1))
    assert watcher.engine().version != first
    good = watcher.engine().version
    rules.write_text("broken = [")
    assert watcher.reload() is False
    assert watcher.engine().version == good
    assert "reload failed" in caplog.text


def test_sighup_forces_reload(config: Path) -> None:
    watcher = RulesetWatcher(config, check_interval=3600)
    old = signal.getsignal(signal.SIGHUP)
    try:
        watcher.install_sighup()
        (config / "rules.toml").write_text((config / "rules.toml").read_text() + "\n# x\n")
        before = watcher.engine().version
        os.kill(os.getpid(), signal.SIGHUP)
        assert watcher.engine().version != before
    finally:
        signal.signal(signal.SIGHUP, old)


def test_a_watched_config_reports_a_broken_file_while_no_comment_asks(
    config: Path, caplog: pytest.LogCaptureFixture
) -> None:
    watcher = RulesetWatcher(config, check_interval=0.05)
    good = watcher.engine().version
    watcher.watch()
    try:
        (config / "rules.toml").write_text("broken = [")
        deadline = time.monotonic() + 5
        while "reload failed" not in caplog.text and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        watcher.close()
    assert f"ruleset reload failed, keeping version {good}" in caplog.text
    assert caplog.text.count("reload failed") == 1  # once per change, not once per check
