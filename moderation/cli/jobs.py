"""`moderation jobs …`: the failed jobs RQ keeps, listed and put back on their queue."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import click
from redis import Redis
from rq import Queue
from rq.job import Job
from rq.registry import FailedJobRegistry
from rq.serializers import JSONSerializer

from moderation.cli.common import load_settings, open_database
from moderation.services import connect_redis
from moderation.settings import Settings
from moderation.webhooks.queue import DELIVER_JOB


def _registries(settings: Settings, redis: Redis) -> Iterator[FailedJobRegistry]:
    for name in (settings.queue_name, settings.webhook_queue_name):
        queue = Queue(name, connection=redis, serializer=JSONSerializer)
        yield FailedJobRegistry(queue=queue)


#: The line of a traceback that names the exception: `module.Error: message`, unindented.
_RAISED = re.compile(r"[A-Za-z_][\w.]*(: .*)?")


def _last_line(text: str | None) -> str:
    """The exception's own line; drivers add lines after it (SQL, links) that say less."""
    lines = [line for line in (text or "").splitlines() if line.strip()]
    raised = [line for line in lines if _RAISED.fullmatch(line)]
    return (raised or lines or [""])[-1].strip()


def _traceback(job: Job) -> str | None:
    result = job.latest_result()
    return result.exc_string if result is not None else None


def _comment_ids(job: Job) -> list[str]:
    # Moderation jobs carry a list of comment ids; webhook jobs a delivery id.
    first = job.args[0] if job.args else None
    return [str(i) for i in first] if isinstance(first, list) else []


def _sites(settings: Settings, ids: set[str]) -> dict[str, str]:
    """The site name of each comment id (none when there are none to look up)."""
    if not ids:
        return {}
    from moderation.store.comments import site_names

    database = open_database(settings)
    try:
        with database.session() as session:
            return site_names(session, ids)
    finally:
        database.dispose()


def _failed(settings: Settings, redis: Redis) -> list[dict[str, Any]]:
    found: list[tuple[str, Job]] = []
    for registry in _registries(settings, redis):
        ids = registry.get_job_ids()
        jobs = Job.fetch_many(ids, connection=redis, serializer=JSONSerializer)
        found += [(registry.name, job) for job in jobs if job is not None]
    sites = _sites(settings, {i for _, job in found for i in _comment_ids(job)})
    return [
        {
            "id": job.id,
            "queue": name,
            "function": (job.func_name or "").rpartition(".")[2],
            "comments": _comment_ids(job),
            "sites": sorted({sites[i] for i in _comment_ids(job) if i in sites}),
            "delivery": job.args[0] if job.func_name == DELIVER_JOB and job.args else None,
            "failed_at": job.ended_at.isoformat() if job.ended_at else None,
            "error": _last_line(_traceback(job)),
        }
        for name, job in found
    ]


@click.group()
def jobs() -> None:
    """Jobs that failed, kept by RQ for MODERATION_FAILURE_TTL seconds."""


@jobs.command("failed")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
def failed(as_json: bool) -> None:
    """List failed jobs: id, queue, comments and sites (or delivery), the error's last line."""
    settings = load_settings()
    redis = connect_redis(settings.redis_url)
    rows = _failed(settings, redis)
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        what = (
            f"comments {','.join(row['comments'])} ({','.join(row['sites']) or 'unknown site'})"
            if row["comments"]
            else f"delivery {row['delivery']}"
            if row["delivery"]
            else row["function"]
        )
        click.echo(f"{row['id']}  {row['queue']}  {what}  {row['failed_at']}  {row['error']}")
    click.echo(f"{len(rows)} failed job(s)", err=True)


@jobs.command("retry")
@click.argument("job_ids", nargs=-1)
@click.option("--all", "retry_all", is_flag=True, help="Requeue every failed job.")
def retry(job_ids: tuple[str, ...], retry_all: bool) -> None:
    """Put failed jobs (by ID, or --all) back on their queue."""
    if bool(job_ids) == retry_all:
        raise click.UsageError("name job ids or --all, not both or neither")
    settings = load_settings()
    redis = connect_redis(settings.redis_url)
    registries = [(r, set(r.get_job_ids())) for r in _registries(settings, redis)]
    unknown = set(job_ids).difference(*(ids for _, ids in registries))
    if unknown:
        raise click.ClickException(f"no failed job {', '.join(sorted(unknown))}")
    requeued = 0
    for registry, ids in registries:
        for job_id in ids if retry_all else ids & set(job_ids):
            registry.requeue(job_id)
            requeued += 1
    click.echo(f"requeued {requeued} job(s)")
