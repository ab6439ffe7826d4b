"""The `moderation` command: run the service, manage sites, replay rules, migrate."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from moderation.settings import Settings, SettingsError


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as error:
        raise click.ClickException(str(error)) from None


def _database(settings: Settings):  # type: ignore[no-untyped-def]
    from moderation.store.db import Database, make_engine

    return Database(make_engine(settings.database_url))


@click.group()
def main() -> None:
    """Comment moderation service for news sites."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, help="Port to listen on.")
def up(host: str, port: int) -> None:
    """Run everything in the foreground: migrations, Redis if REDIS_URL is unset, web, worker."""
    from moderation.localredis import RedisNotFound
    from moderation.up import run_up

    try:
        run_up(host=host, port=port)
    except RedisNotFound as error:
        raise click.ClickException(str(error)) from None


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("gunicorn_args", nargs=-1, type=click.UNPROCESSED)
def serve(gunicorn_args: tuple[str, ...]) -> None:
    """Run the web API under gunicorn (production); extra arguments go to gunicorn."""
    settings = _settings()
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

    run(_settings(), burst=burst)


@main.command()
def sweep() -> None:
    """Re-enqueue comments left queued too long (the workers also do this by themselves)."""
    from moderation.services import build_services
    from moderation.sweeper import sweep as run_sweep

    click.echo(f"re-enqueued {run_sweep(build_services(_settings()))} comment(s)")


@main.command()
@click.argument(
    "file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
def check(file: Path | None) -> None:
    """Moderate JSON lines from FILE (or stdin) with the current rules; one decision per line."""
    from moderation.engine import Engine
    from moderation.replay import run_check

    engine = Engine.from_directory(_settings().config_dir)
    if file is None:
        run_check(sys.stdin, sys.stdout, engine=engine, progress=False)
        return
    with file.open(encoding="utf-8") as lines:
        run_check(lines, sys.stdout, engine=engine, progress=True, total_bytes=file.stat().st_size)


@main.group()
def db() -> None:
    """The durable record's schema."""


@db.command()
@click.argument("revision", default="head")
def upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: the latest)."""
    settings = _settings()
    _database(settings).upgrade(revision)
    click.echo(f"database at {revision}: {settings.database_url}")


@main.group()
def sites() -> None:
    """News sites and their API keys."""


def _print_key(issued: object, as_json: bool, what: str) -> None:
    from moderation.store.sites import SiteKey

    assert isinstance(issued, SiteKey)  # noqa: S101 - narrows the type
    if as_json:
        click.echo(
            json.dumps(
                {
                    "site": issued.site,
                    "site_id": issued.site_id,
                    "key_id": issued.key_id,
                    "api_key": issued.api_key,
                }
            )
        )
        return
    click.echo(f"{what} for site {issued.site} (key id {issued.key_id}):\n\n    {issued.api_key}\n")
    click.echo("It is shown only now; the service keeps only its hash.", err=True)


@sites.command("create")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print {site, api_key} as JSON.")
def sites_create(name: str, as_json: bool) -> None:
    """Register a site and print its first API key, once."""
    from moderation.store.sites import SiteExists, create_site

    settings = _settings()
    database = _database(settings)
    database.upgrade()
    try:
        with database.session() as session:
            issued = create_site(session, name)
    except SiteExists:
        raise click.ClickException(f"a site named {name!r} exists already") from None
    _print_key(issued, as_json, "API key")


@sites.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def sites_list(as_json: bool) -> None:
    """List sites with their keys (hint, id, state)."""
    from moderation.store.sites import list_sites

    with _database(_settings()).session() as session:
        rows: list[dict[str, Any]] = [
            {
                "site": site.name,
                "site_id": site.id,
                "created_at": site.created_at.isoformat(),
                "keys": [
                    {
                        "key_id": k.id,
                        "hint": k.hint + "…",
                        "created_at": k.created_at.isoformat(),
                        "revoked_at": k.revoked_at.isoformat() if k.revoked_at else None,
                    }
                    for k in keys
                ],
            }
            for site, keys in list_sites(session)
        ]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        click.echo(f"{row['site']}  ({row['site_id']})")
        for key in row["keys"]:
            state = f"revoked {key['revoked_at']}" if key["revoked_at"] else "active"
            click.echo(f"    key {key['key_id']}  {key['hint']}  {state}")


@sites.command("rotate-key")
@click.argument("name")
@click.option("--revoke-old", is_flag=True, help="Revoke the site's other keys at once.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def sites_rotate(name: str, revoke_old: bool, as_json: bool) -> None:
    """Issue a new key; old keys keep working until revoked (or --revoke-old)."""
    from moderation.store.sites import UnknownSite, rotate_key

    try:
        with _database(_settings()).session() as session:
            issued = rotate_key(session, name, revoke_others=revoke_old)
    except UnknownSite:
        raise click.ClickException(f"no site named {name!r}") from None
    _print_key(issued, as_json, "New API key")


@sites.command("revoke-key")
@click.argument("name")
@click.argument("key_id")
def sites_revoke(name: str, key_id: str) -> None:
    """Revoke one key of a site (see `moderation sites list` for key ids)."""
    from moderation.store.sites import UnknownSite, revoke_key

    try:
        with _database(_settings()).session() as session:
            revoke_key(session, name, key_id)
    except UnknownSite as error:
        raise click.ClickException(f"no such site or key: {error}") from None
    click.echo(f"revoked key {key_id} of {name}")
