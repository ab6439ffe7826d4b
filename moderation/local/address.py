"""Where `moderation up`'s private Redis listens, written down for the commands run beside it."""

from __future__ import annotations

import json
import os
from pathlib import Path

#: Beside the embedded database (var/moderation.sqlite3), in the folder `up` runs in: the
#: folder the README tells a newcomer to run every other command from.
FILE = Path("var") / "redis.json"


def publish(url: str, *, path: Path = FILE) -> None:
    """Note that this process serves Redis at `url` until withdraw()."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"url": url, "pid": os.getpid()}))
    temporary.replace(path)  # whole or absent: a reader never sees half a file


def withdraw(*, path: Path = FILE) -> None:
    """Remove the note, if it is still this process's (another `up` may have written since)."""
    if _read(path).get("pid") == os.getpid():
        path.unlink(missing_ok=True)


def published(*, path: Path = FILE) -> str | None:
    """The Redis URL a running `up` noted here, or None.

    A note whose process is gone (an `up` killed with SIGKILL cannot remove it) is ignored:
    its Redis died with it, and the usual default is a better guess than a dead port.
    """
    note = _read(path)
    url, pid = note.get("url"), note.get("pid")
    if not isinstance(url, str) or not isinstance(pid, int) or not _alive(pid):
        return None
    return url


def _read(path: Path) -> dict[str, object]:
    try:
        found = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True
