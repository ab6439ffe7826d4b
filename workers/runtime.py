"""The worker process's services, bound once at start so each job reuses the loaded engine."""

from __future__ import annotations

import os
import socket

from moderation.services import Services

_bound: Services | None = None


def bind(services: Services) -> None:
    """Make these the services jobs of this process use."""
    global _bound
    _bound = services


def services() -> Services:
    """The services bound at the worker's start (a job run elsewhere is a mistake, said so)."""
    if _bound is None:
        # Building fresh ones here would load a second engine and pool unnoticed, per job.
        raise RuntimeError("no services bound: run jobs in a worker (python -m workers)")
    return _bound


def identity() -> str:
    """Who records a decision: host and process, for tracing."""
    return f"worker:{socket.gethostname()}:{os.getpid()}"
