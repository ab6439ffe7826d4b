"""`moderation status` and `moderation config check`: what an operator looks at first."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import click
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Worker
from rq.registry import FailedJobRegistry
from rq.serializers import JSONSerializer
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from moderation.cli.common import load_settings, open_database
from moderation.cli.failures import explain
from moderation.engine import ConfigError, Engine
from moderation.queue import CommentQueue
from moderation.services import connect_redis
from moderation.settings import Settings


def _age(then: datetime | None, now: datetime) -> float | None:
    return None if then is None else round((now - then).total_seconds(), 1)


def _queue(redis: Redis, name: str, now: datetime) -> dict[str, Any]:
    queue = Queue(name, connection=redis, serializer=JSONSerializer)
    first = queue.get_job_ids(0, 1)
    job = queue.fetch_job(first[0]) if first else None
    return {
        "waiting": queue.count,
        "oldest_age_seconds": _age(job.enqueued_at if job else None, now),
        "running": queue.started_job_registry.count,
        "scheduled": queue.scheduled_job_registry.count,
        "failed": FailedJobRegistry(queue=queue).count,
    }


def _workers(redis: Redis, queues: set[str]) -> list[dict[str, Any]]:
    found = []
    for worker in Worker.all(connection=redis, serializer=JSONSerializer):
        names = worker.queue_names()
        if queues.isdisjoint(names):
            continue  # another service's workers on a shared Redis
        found.append(
            {
                "name": worker.name,
                "host": worker.hostname,
                "pid": worker.pid,
                "queues": names,
                "state": worker.get_state(),
                "job": worker.get_current_job_id(),
                "last_heartbeat": worker.last_heartbeat.isoformat()
                if worker.last_heartbeat
                else None,
            }
        )
    return found


def _redis_part(settings: Settings, now: datetime) -> dict[str, Any]:
    redis = connect_redis(settings.redis_url)
    try:
        redis.ping()
        names = (settings.queue_name, settings.webhook_queue_name)
        queues = {name: _queue(redis, name, now) for name in names}
        queues[settings.queue_name]["pending_ids"] = CommentQueue(
            connection=redis, settings=settings
        ).pending_count()
        return {
            "redis": {"reachable": True},
            "queues": queues,
            "workers": _workers(redis, set(names)),
        }
    except (RedisError, ValueError) as error:
        return {"redis": {"reachable": False, "error": explain(error)}}
    finally:
        redis.close()


def _database_part(settings: Settings, now: datetime) -> dict[str, Any]:
    from moderation.store.comments import queued_summary

    database = open_database(settings)
    try:
        with database.session() as session:
            waiting, oldest = queued_summary(session)
    except SQLAlchemyError as error:
        return {"database": {"reachable": False, "error": explain(error)}}
    finally:
        database.dispose()
    return {
        "database": {"reachable": True},
        "comments": {
            "queued": waiting,
            "oldest_received_at": oldest.isoformat() if oldest else None,
            "oldest_age_seconds": _age(oldest, now),
        },
    }


def _rules_part(settings: Settings) -> dict[str, Any]:
    try:
        version = Engine.from_directory(settings.config_dir).version
    except (ConfigError, OSError, ValueError) as error:
        return {"rules": {"valid": False, "error": explain(error)}}
    return {"rules": {"valid": True, "version": version, "config_dir": str(settings.config_dir)}}


def _hidden(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(DATABASE_URL unreadable)"


def _seconds(value: float | None) -> str:
    return "" if value is None else f", oldest {value:.0f} s"


def _print(report: dict[str, Any], settings: Settings) -> None:
    for part, where in (
        ("database", _hidden(settings.database_url)),
        ("redis", settings.redis_url),
    ):
        state = "reachable" if report[part]["reachable"] else "UNREACHABLE"
        click.echo(f"{part:<9} {state}  {where}")
    rules = report["rules"]
    click.echo(f"rules     {rules.get('version', 'BROKEN')}  ({rules.get('config_dir', '')})")
    for name, q in report.get("queues", {}).items():
        pending = f", {q['pending_ids']} id(s) pending" if "pending_ids" in q else ""
        click.echo(
            f"queue     {name}: {q['waiting']} waiting{_seconds(q['oldest_age_seconds'])}"
            f"{pending}, {q['running']} running, {q['scheduled']} scheduled, "
            f"{q['failed']} failed"
        )
    if "workers" in report:
        click.echo(f"workers   {len(report['workers'])} alive")
        for w in report["workers"]:
            job = f" on {w['job']}" if w["job"] else ""
            queues = ",".join(w["queues"])
            click.echo(
                f"          {w['name']} ({w['host']}:{w['pid']}, {queues}) {w['state']}{job}"
            )
    if "comments" in report:
        c = report["comments"]
        click.echo(f"comments  {c['queued']} queued{_seconds(c['oldest_age_seconds'])}")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def status(as_json: bool) -> None:
    """Queues, workers and their jobs, failed jobs, comments waiting, rules version.

    Exits 1 if the database or Redis cannot be reached or the rules do not load.
    """
    settings = load_settings()
    now = datetime.now(UTC)
    report = {
        **_rules_part(settings),
        **_database_part(settings, now),
        **_redis_part(settings, now),
    }
    if as_json:
        click.echo(json.dumps(report, indent=2))
    else:
        _print(report, settings)
    problems = [
        part["error"]
        for part in (report["database"], report["redis"], report["rules"])
        if "error" in part
    ]
    for problem in problems:
        click.echo(f"Error: {problem}", err=True)
    if problems:
        raise click.exceptions.Exit(1)


@click.group()
def config() -> None:
    """The rules and lexicon in config/."""


@config.command()
def check() -> None:
    """Load config/ as the workers do; exit 1 with the error's one line if it is broken."""
    settings = load_settings()
    engine = Engine.from_directory(settings.config_dir)  # a ConfigError is the CLI's one line
    click.echo(f"{settings.config_dir}: valid, ruleset {engine.version}")
