"""Hot reload of the engine: a holder that rebuilds it when config files change or on SIGHUP."""

from __future__ import annotations

import logging
import signal
import threading
import time
from pathlib import Path
from types import FrameType

from moderation.engine import ConfigError, Engine

log = logging.getLogger(__name__)


def _fingerprint(path: Path) -> tuple[tuple[str, int, int], ...]:
    """Cheap change detection: name, size and mtime of every file under the config dir."""
    out: list[tuple[str, int, int]] = []
    for file in sorted(path.rglob("*")):
        if file.is_file():
            try:
                st = file.stat()
            except OSError:
                continue
            out.append((str(file), st.st_size, st.st_mtime_ns))
    return tuple(out)


class RulesetWatcher:
    """Holds the current Engine; reloads it when the config changes, keeping the last good one."""

    def __init__(self, path: Path, *, check_interval: float = 1.0) -> None:
        """Load the engine now; a broken config at start-up raises ConfigError."""
        self._path = Path(path)
        self._interval = check_interval
        self._lock = threading.Lock()
        self._fingerprint = _fingerprint(self._path)
        self._engine = Engine.from_directory(self._path)
        self._checked = time.monotonic()
        self._forced = False
        self._stop = threading.Event()

    def engine(self) -> Engine:
        """Return the current engine, reloading first if the files changed or a reload is due."""
        now = time.monotonic()
        if self._forced or now - self._checked >= self._interval:
            self._checked = now
            fingerprint = _fingerprint(self._path)
            if self._forced or fingerprint != self._fingerprint:
                self._forced = False
                self._fingerprint = fingerprint
                self._try_reload()
        return self._engine

    def reload(self) -> bool:
        """Rebuild the engine now; return False (and keep the old one) if the config is broken."""
        self._fingerprint = _fingerprint(self._path)
        return self._try_reload()

    def request_reload(self) -> None:
        """Ask for a reload at the next engine() call (safe to call from a signal handler)."""
        self._forced = True

    def watch(self) -> None:
        """Check config/ every check interval in a thread of this process, until close().

        Without it a change, and a broken file's error, would wait for the next comment.
        """

        def loop() -> None:
            while not self._stop.wait(self._interval):
                try:
                    self.engine()
                except Exception:  # keep watching; the next change may be readable
                    log.exception("checking the rules for changes failed")

        threading.Thread(target=loop, name="rules-watch", daemon=True).start()

    def close(self) -> None:
        """Stop watching config/."""
        self._stop.set()

    def install_sighup(self) -> None:
        """Make SIGHUP force a reload (main thread only, as Python requires)."""

        def handler(signum: int, frame: FrameType | None) -> None:
            self.request_reload()

        signal.signal(signal.SIGHUP, handler)

    def _try_reload(self) -> bool:
        with self._lock:
            try:
                engine = Engine.from_directory(self._path)
            except (ConfigError, OSError, ValueError) as exc:
                log.error(
                    "ruleset reload failed, keeping version %s: %s", self._engine.version, exc
                )
                return False
            if engine.version != self._engine.version:
                log.info("ruleset reloaded: %s -> %s", self._engine.version, engine.version)
            self._engine = engine
            return True
