"""The worker process's services, bound once at start so each job reuses the loaded engine."""

from __future__ import annotations

import os
import socket

from moderation.services import Services, build_services
from moderation.settings import Settings

_bound: Services | None = None


def bind(services: Services) -> None:
    """Make these the services jobs of this process use."""
    global _bound
    _bound = services


def services() -> Services:
    """The bound services, built from the environment if a job runs where none were bound."""
    if _bound is None:
        bind(build_services(Settings.from_env()))
    assert _bound is not None  # noqa: S101 - for the type checker; bind() just set it
    return _bound


def identity() -> str:
    """Who records a decision: host and process, for tracing."""
    return f"worker:{socket.gethostname()}:{os.getpid()}"
