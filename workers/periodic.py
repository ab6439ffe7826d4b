"""Background maintenance for worker processes: call a function every few seconds in a thread."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


def start(
    task: Callable[[], object],
    *,
    interval: float,
    name: str,
    stop: threading.Event | None = None,
) -> threading.Event:
    """Run `task` every `interval` seconds in a daemon thread until the returned event is set.

    Pass the `stop` of another task to stop both with one event.

    A thread, not RQ's maintenance hook: an idle RQ worker blocks on Redis for minutes, and
    maintenance must run while no job arrives. A failing run is logged and the next one tried.
    """
    stop = stop or threading.Event()

    def loop() -> None:
        while not stop.wait(interval):
            try:
                task()
            except Exception:
                log.exception("%s failed; will try again", name)

    threading.Thread(target=loop, name=name, daemon=True).start()
    return stop
