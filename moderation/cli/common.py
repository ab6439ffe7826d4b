"""What every `moderation` subcommand shares: settings from the environment, the database."""

from __future__ import annotations

import socket

import click

from moderation.settings import Settings, SettingsError
from moderation.store.db import Database, make_engine


def load_settings() -> Settings:
    """Settings from the environment; a bad value is a clean CLI error, not a traceback."""
    try:
        return Settings.from_env()
    except SettingsError as error:
        raise click.ClickException(str(error)) from None


def open_database(settings: Settings) -> Database:
    """The database the settings name."""
    return Database(make_engine(settings.database_url))


def ensure_free(host: str, port: int) -> None:
    """Fail with one line now if the address is taken, not later in a child's traceback."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host.strip("[]"), port))
        except OSError as error:
            raise click.ClickException(
                f"cannot listen on {host}:{port}: {error.strerror}"
            ) from None
