"""A private PostgreSQL cluster for one test run: initdb in a temporary folder, loopback only."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from moderation.local.localredis import free_port

#: Where Debian and Ubuntu keep each PostgreSQL version's server programs.
BIN_GLOB = "/usr/lib/postgresql/*/bin"


def find_bin() -> Path | None:
    """The newest PostgreSQL server programs on this machine, or None."""
    found = sorted(glob.glob(BIN_GLOB), key=lambda p: int(Path(p).parent.name))
    return Path(found[-1]) if found else None


class PrivateCluster:
    """initdb, pg_ctl start/stop on a free port; the folder is the cluster's and goes with it.

    initdb refuses to run as root, so as root the programs run as the `postgres` user (runuser)
    in a folder that user owns, outside pytest's root-only temporary folders.
    """

    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="moderation-chaos-pg-"))
        self.data = self.folder / "data"
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]

    @property
    def url(self) -> str:
        """SQLAlchemy URL of the cluster's `postgres` database over loopback TCP."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, program: str, *args: str) -> None:
        subprocess.run(
            [*self.as_user, str(self.bin / program), *args],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=60,
        )

    def init(self) -> PrivateCluster:
        """Create the cluster: trust on loopback and its own socket only, no fsync waits."""
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync")
        return self

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c max_connections=100"
        )
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.folder / "log"), "-o", options,
            "-w", "-t", "30", "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (fast: clients are cut off, as in a failover)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop")

    def remove(self) -> None:
        """Stop the server if it runs, and remove the cluster's folder."""
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)
