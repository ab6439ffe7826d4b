"""`moderation up`: the whole service in the foreground for a newcomer, with embedded defaults."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from types import FrameType

import click

from moderation.localredis import LocalRedis
from moderation.settings import Settings
from moderation.store.db import Database, make_engine


def run_up(*, host: str, port: int) -> None:
    """Migrate, start Redis if needed, then gunicorn and one worker until Ctrl-C."""
    env = dict(os.environ)
    settings = Settings.from_env(env)
    database = Database(make_engine(settings.database_url))
    database.upgrade()
    database.dispose()
    redis: LocalRedis | None = None
    if "REDIS_URL" not in env:
        redis = LocalRedis().start()
        env["REDIS_URL"] = redis.url
    env.setdefault("DATABASE_URL", settings.database_url)
    children: list[subprocess.Popen[bytes]] = []
    try:
        web = [sys.executable, "-m", "gunicorn", "--bind", f"{host}:{port}", "--workers", "2",
               "--access-logfile", "-", "moderation.wsgi:app"]
        children.append(subprocess.Popen(web, env=env))  # noqa: S603 - our own argv
        children.append(subprocess.Popen([sys.executable, "-m", "workers"], env=env))  # noqa: S603
        base = f"http://{host}:{port}"
        click.echo(
            f"\nModeration service on {base}  (database {env['DATABASE_URL']}, redis {env['REDIS_URL']})\n"
            f"Create a site key in another shell:  moderation sites create my-site\n"
            f"Then: curl -H 'Authorization: Bearer <key>' {base}/v1/openapi.json\n"
            f"Ctrl-C stops everything.\n"
        )
        _wait(children)
    finally:
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
        if redis is not None:
            redis.stop()


def _wait(children: list[subprocess.Popen[bytes]]) -> None:
    stopping = False

    def _stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, _stop)
    try:
        while not stopping:
            for child in children:
                if child.poll() is not None:
                    raise click.ClickException(f"{child.args[2]} exited with code {child.returncode}")
            time.sleep(0.5)
    except KeyboardInterrupt:
        click.echo("\nstopping…")
