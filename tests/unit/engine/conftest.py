"""The engine on the shipped config/, built once: it is immutable, so every test may share it."""

from __future__ import annotations

from pathlib import Path

import pytest

from moderation.engine import Engine

CONFIG = Path(__file__).resolve().parents[3] / "config"


@pytest.fixture(scope="session")
def engine() -> Engine:
    return Engine.from_directory(CONFIG)
