"""The `moderation` command: run the service, manage sites and moderators, replay rules."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from moderation.cli.accounts import moderators, sites
from moderation.cli.common import load_settings, open_database
from moderation.cli.export import export
from moderation.cli.model import model


@click.group()
def main() -> None:
    """Comment moderation service for news sites."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, help="Port to listen on.")
def up(host: str, port: int) -> None:
    """Run everything in the foreground: migrations, Redis if REDIS_URL is unset, web, workers."""
    from moderation.local.localredis import RedisNotFound
    from moderation.local.up import run_up

    try:
        run_up(host=host, port=port)
    except RedisNotFound as error:
        raise click.ClickException(str(error)) from None


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("gunicorn_args", nargs=-1, type=click.UNPROCESSED)
def serve(gunicorn_args: tuple[str, ...]) -> None:
    """Run the web API under gunicorn (production); extra arguments go to gunicorn."""
    settings = load_settings()
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        settings.bind,
        "--workers",
        str(settings.web_workers),
        "--access-logfile",
        "-",
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
        run_check(sys.stdin, sys.stdout, engine=engine, max_chars=limit)
        return
    with file.open(encoding="utf-8") as lines:
        size = file.stat().st_size
        run_check(
            lines, sys.stdout, engine=engine, max_chars=limit, progress=True, total_bytes=size
        )


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
