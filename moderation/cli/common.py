"""What every `moderation` subcommand shares: settings from the environment, the database."""

from __future__ import annotations

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
