"""`moderation up`: the whole service in the foreground for a newcomer, with embedded defaults."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import FrameType

import click

from moderation.local import address
from moderation.local.localredis import LocalRedis
from moderation.local.orphans import die_with_parent
from moderation.settings import Settings
from moderation.store.db import Database, make_engine


def run_up(*, host: str, port: int) -> None:
    """Migrate, start Redis if needed, then run the web, a worker and a webhook worker to Ctrl-C."""
    env = dict(os.environ)
    settings = Settings.from_env(env)
    database = Database(make_engine(settings.database_url))
    database.upgrade()
    database.dispose()
    redis: LocalRedis | None = None
    if "REDIS_URL" not in env:
        redis = LocalRedis(own_session=True, die_with_parent=True).start()
        env["REDIS_URL"] = redis.url
        address.publish(redis.url)
    env.setdefault("DATABASE_URL", settings.database_url)
    # One metrics folder for the web and both workers: the web's /metrics shows them all.
    metrics_dir = tempfile.mkdtemp(prefix="moderation-metrics-")
    env["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir
    children: dict[str, subprocess.Popen[bytes]] = {}
    try:
        web = [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(settings.web_workers),
            # gunicorn's lines in our format; the app logs one line per request, with its id.
            "--logger-class",
            "moderation.requestlog.GunicornLogger",
            # A private server: one `up` beside another (or a production gunicorn) would take
            # over the shared default socket path.
            "--no-control-socket",
            "moderation.wsgi:app",
        ]
        # Each child in a session of its own, as the private Redis: a terminal's Ctrl-C reaches
        # only this process, which stops them in order (gunicorn and the worker gracefully,
        # finishing what they hold, then Redis), not all at once mid-request. If this process
        # is killed outright, the kernel stops them instead.
        tie = die_with_parent()
        processes = (
            ("web", web),
            ("worker", [sys.executable, "-m", "workers"]),
            ("webhook worker", [sys.executable, "-m", "workers.webhook_main"]),
        )
        for name, argv in processes:
            children[name] = subprocess.Popen(  # noqa: S603 - our own argv
                argv, env=env, start_new_session=True, preexec_fn=tie
            )
        base = f"http://{host}:{port}"
        click.echo(
            f"\nModeration service: {base}\n"
            f"  database {env['DATABASE_URL']}\n  redis    {env['REDIS_URL']}\n\n"
            "Create a site and its API key from another shell, in this folder:\n"
            f"  {Path(sys.executable).parent / 'moderation'} sites create my-site\n"
            f"API description: {base}/v1/openapi.json   Ctrl-C stops everything.\n"
        )
        _wait(children)
    finally:
        for child in children.values():
            if child.poll() is None:
                child.terminate()
        for child in children.values():
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
        if redis is not None:
            address.withdraw()
            redis.stop()
        shutil.rmtree(metrics_dir, ignore_errors=True)


def _wait(children: dict[str, subprocess.Popen[bytes]]) -> None:
    stopping = False

    def _stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    # Handle SIGINT ourselves too: a shell starts background jobs with SIGINT ignored. SIGHUP
    # (the terminal closed) stops everything as well, the private Redis included.
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, _stop)
    while not stopping:
        for name, child in children.items():
            if child.poll() is not None:
                raise click.ClickException(f"the {name} exited with code {child.returncode}")
        time.sleep(0.2)
    click.echo("\nstopping…")
