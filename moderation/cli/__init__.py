"""The `moderation` command: run the service, manage sites and moderators, replay rules."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from moderation import logs
from moderation.cli.accounts import moderators, sites
from moderation.cli.common import ensure_free, load_settings, open_database
from moderation.cli.export import export
from moderation.cli.failures import Group
from moderation.cli.jobs import jobs
from moderation.cli.model import model
from moderation.cli.secrets import secrets
from moderation.cli.status import config, status
from moderation.settings import Settings, SettingsError


@click.group(cls=Group)
@click.version_option(package_name="newsroom-moderation", prog_name="moderation")
def main() -> None:
    """Comment moderation service for news sites."""
    # The commands' own log lines in the service's format; a bad setting is reported by the
    # command that loads the settings, as one line.
    try:
        settings = Settings.from_env()
    except SettingsError:
        settings = Settings()
    logs.configure(level=settings.log_level, fmt=settings.log_format)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, help="Port to listen on.")
def up(host: str, port: int) -> None:
    """Run everything in the foreground: migrations, Redis if REDIS_URL is unset, web, workers."""
    from moderation.local.localredis import RedisNotFound
    from moderation.local.up import run_up

    ensure_free(host, port)
    try:
        run_up(host=host, port=port)
    except RedisNotFound as error:
        raise click.ClickException(str(error)) from None


#: gunicorn's logger, writing our format (`moderation up` passes it too).
LOGGER_CLASS = "moderation.requestlog.GunicornLogger"


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("gunicorn_args", nargs=-1, type=click.UNPROCESSED)
def serve(gunicorn_args: tuple[str, ...]) -> None:
    """Run the web API under gunicorn (production); extra arguments go to gunicorn."""
    from moderation.metrics import reset_directory

    settings = load_settings()
    host, _, port = settings.bind.rpartition(":")
    if host and port.isdigit():  # a unix: socket or several binds are gunicorn's to check
        ensure_free(host, int(port))
    reset_directory()  # after the port check: a server already there keeps its counters
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        settings.bind,
        "--workers",
        str(settings.web_workers),
        # gunicorn's lines in our format; the app logs one line per request, with its id.
        "--logger-class",
        LOGGER_CLASS,
        *gunicorn_args,
        "moderation.wsgi:app",
    ]
    os.execv(sys.executable, argv)  # noqa: S606 - replaces this process with gunicorn


@main.command()
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker(burst: bool) -> None:
    """Run one moderation worker (scale by running more)."""
    from workers.main import run

    run(load_settings(), burst=burst)


@main.command()
def sweep() -> None:
    """Re-enqueue comments left queued too long (the workers also do this by themselves)."""
    from moderation.domain.sweeper import sweep as run_sweep
    from moderation.services import build_services

    click.echo(f"re-enqueued {run_sweep(build_services(load_settings()))} comment(s)")


@main.command()
def prune() -> None:
    """Prune what sites keep for a limited time (the workers also do this by themselves)."""
    from moderation.domain.retention import prune as run_prune
    from moderation.services import build_services

    counts = run_prune(build_services(load_settings()))
    click.echo("pruned " + ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in counts.items()))


@main.command()
@click.argument(
    "file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--max-chars",
    type=click.IntRange(min=0),
    default=None,
    help="Longest text to decide; longer ones get an error line. "
    "Default: MODERATION_MAX_TEXT_CHARS, as the API; 0: no limit.",
)
def check(file: Path | None, max_chars: int | None) -> None:
    """Moderate JSON lines from FILE (or stdin) with the current rules; one decision per line."""
    from moderation.engine import Engine
    from moderation.replay import run_check

    settings = load_settings()
    engine = Engine.from_directory(settings.config_dir)
    limit = settings.max_text_chars if max_chars is None else max_chars
    if file is None:
        tally = run_check(sys.stdin, sys.stdout, engine=engine, max_chars=limit)
    else:
        with file.open(encoding="utf-8") as lines:
            size = file.stat().st_size
            tally = run_check(
                lines, sys.stdout, engine=engine, max_chars=limit, progress=True, total_bytes=size
            )
    for shown in tally.shown:
        click.echo(shown, err=True)
    if tally.errors > len(tally.shown):
        click.echo(f"… and {tally.errors - len(tally.shown)} more error line(s)", err=True)
    click.echo(tally.summary(), err=True)
    if tally.errors:
        raise click.exceptions.Exit(1)


@main.group()
def db() -> None:
    """The durable record's schema."""


@db.command()
@click.argument("revision", default="head")
def upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: the latest)."""
    settings = load_settings()
    open_database(settings).upgrade(revision)
    click.echo(f"database at {revision}: {settings.database_url}")


@main.command("webhook-worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def webhook_worker(burst: bool) -> None:
    """Run one webhook delivery worker."""
    from workers.webhook_main import run

    run(load_settings(), burst=burst)


main.add_command(sites)
main.add_command(moderators)
main.add_command(model)
main.add_command(export)
main.add_command(secrets)
main.add_command(status)
main.add_command(config)
main.add_command(jobs)
