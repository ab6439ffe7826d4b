"""The one place CLI failures become one clear line and a non-zero exit, never a traceback."""

from __future__ import annotations

import errno
import logging
import os
import sys
from typing import Any

import click
from redis.exceptions import RedisError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError

from moderation.engine import ConfigError
from moderation.settings import SettingsError

log = logging.getLogger("moderation.cli")

#: What a missing table in the database means to an operator.
_NOT_MIGRATED = ("no such table", "does not exist", "undefinedtable")


def _env_url(name: str, default: str) -> str:
    # The settings may be what failed: read the URL as the user set it, to name it.
    return os.environ.get(name, default)


def _database(error: SQLAlchemyError) -> str:
    try:
        url = make_url(_env_url("DATABASE_URL", "sqlite:///var/moderation.sqlite3"))
        where = url.render_as_string(hide_password=True)
    except ArgumentError:
        where = "DATABASE_URL"
    if isinstance(error, ArgumentError | NoSuchModuleError):
        return f"DATABASE_URL is not a usable database URL ({where}): {_first(error)}"
    detail = _first(error.orig if isinstance(error, DBAPIError) else error)
    if any(sign in detail.lower() for sign in _NOT_MIGRATED):
        return f"the database {where} is not set up ({detail}): run `moderation db upgrade`"
    return f"the database {where} cannot be used: {detail}"


def _redis(error: Exception) -> str:
    url = _env_url("REDIS_URL", "redis://127.0.0.1:6379/0")
    return f"Redis at {url} cannot be used: {_first(error)}"


def _first(error: Any) -> str:
    """The first non-empty line of an error's message (drivers add SQL and hints below)."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


def explain(error: Exception) -> str:
    """One line saying what went wrong, for any error a command lets through."""
    from moderation.store.sites import UnknownSite

    if isinstance(error, SettingsError | ConfigError):
        return str(error)
    if isinstance(error, SQLAlchemyError):
        return _database(error)
    if isinstance(error, RedisError) or (
        isinstance(error, ValueError) and "redis" in str(error).lower()
    ):
        return _redis(error)
    if isinstance(error, UnknownSite):
        return f"unknown site: {error}"
    if isinstance(error, OSError) and error.errno == errno.EADDRINUSE:
        return f"the address is in use: {error.strerror}"
    if isinstance(error, OSError):
        return f"{error.strerror or error}: {error.filename}" if error.filename else str(error)
    return (
        f"{type(error).__name__}: {_first(error)} (MODERATION_LOG_LEVEL=DEBUG logs the traceback)"
    )


#: The shell's status for a process its reader left: killed by SIGPIPE (128 + 13).
_SIGPIPE_STATUS = 141


class Group(click.Group):
    """A click group whose commands (and sub-groups') failures all end as one line."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; an error it lets through is printed as one line, exit status 1."""
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except KeyboardInterrupt:
            raise click.Abort from None
        except BrokenPipeError:
            # The reader left (`moderation status | head -3`): stop quietly, as other tools do.
            # stdout goes to /dev/null, else Python reports the pipe again flushing it at exit.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise click.exceptions.Exit(_SIGPIPE_STATUS) from None
        except Exception as error:
            log.debug("command failed", exc_info=True)
            raise click.ClickException(explain(error)) from None
