"""Background maintenance for worker processes: call a function every few seconds in a thread."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


def start(task: Callable[[], object], *, interval: float, name: str) -> threading.Event:
    """Run `task` every `interval` seconds in a daemon thread until the returned event is set.

    A thread, not RQ's maintenance hook: an idle RQ worker blocks on Redis for minutes, and
    maintenance must run while no job arrives. A failing run is logged and the next one tried.
    """
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(interval):
            try:
                task()
            except Exception:
                log.exception("%s failed; will try again", name)

    threading.Thread(target=loop, name=name, daemon=True).start()
    return stop
