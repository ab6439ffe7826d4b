"""The bench's harness: figures and their table, the processes under test, the database."""

from __future__ import annotations

import http.client
import os
import resource
import secrets
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from rq import Queue, SimpleWorker, Worker
from rq.serializers import JSONSerializer
from sqlalchemy import create_engine, func, select, text

from moderation.services import Services
from moderation.settings import Settings
from moderation.store.models import Base, Comment, CommentStatus

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


# --- figures ------------------------------------------------------------------------------


@dataclass
class Row:
    """One printed line: a figure, what it is compared with, and the target if it has one."""

    label: str
    value: float
    unit: str
    base: float | None = None
    base_label: str = ""
    target: float | None = None  # minimum ratio to base
    ceiling: float | None = None  # maximum figure, for those with no baseline (latency)

    @property
    def ratio(self) -> float | None:
        return self.value / self.base if self.base else None

    @property
    def verdict(self) -> str:
        if self.ceiling is not None:
            return "PASS" if self.value <= self.ceiling else "FAIL"
        if self.target is None or self.ratio is None:
            return ""
        return "PASS" if self.ratio >= self.target else "FAIL"

    @property
    def goal(self) -> str:
        if self.ceiling is not None:
            return f"<={self.ceiling:g}"
        return f">={self.target:g}" if self.target is not None else ""


@dataclass
class Drain:
    """How fast a worker emptied a queue, and what it cost in this process's CPU."""

    jobs: int
    wall: float
    cpu: float

    @property
    def rate(self) -> float:
        return self.jobs / self.wall

    @property
    def cpu_ms(self) -> float:
        return 1000 * self.cpu / self.jobs


def _cpu(children: bool = False) -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def drain(queue: Queue, services: Services, *, forking: bool = False) -> Drain:
    """Run one RQ worker in burst mode in this process until the queue is empty."""
    jobs = queue.count
    worker_class = Worker if forking else SimpleWorker
    worker = worker_class([queue], connection=services.redis, serializer=JSONSerializer)
    wall, cpu = time.perf_counter(), _cpu() + _cpu(children=True)
    # WARNING, not the service's INFO: RQ logs three lines per job, which would flood this output.
    worker.work(burst=True, logging_level="WARNING", with_scheduler=False)
    return Drain(jobs, time.perf_counter() - wall, _cpu() + _cpu(children=True) - cpu)


# --- processes under test ----------------------------------------------------------------


def child_env(settings: Settings) -> dict[str, str]:
    """The environment that gives a child process these settings (and this repository)."""
    env = dict(os.environ)
    for name, variable in Settings.env_names().items():
        env[variable] = str(getattr(settings, name))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def wait_for(check: Callable[[], bool], what: str, timeout: float) -> None:
    """Poll until check() holds; fail loudly if it never does."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.05)


def proc_cpu(pid: int, *, children: bool = False) -> float:
    """CPU seconds a process (and, if asked, its direct children) used so far; 0 if not Linux."""
    try:
        with open(f"/proc/{pid}/stat") as stat:  # fields after "(comm)": utime, stime at 11, 12
            fields = stat.read().rpartition(")")[2].split()
        total = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        if children:
            with open(f"/proc/{pid}/task/{pid}/children") as kids:
                total += sum(proc_cpu(int(kid)) for kid in kids.read().split())
    except (OSError, ValueError, IndexError):
        return 0.0
    return total


def rss_mb(pid: int) -> float:
    """Resident set size of a process in MiB (VmRSS); 0 if not Linux or gone."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return 0.0


def children_of(pid: int) -> list[int]:
    """A process's direct children (gunicorn's workers); empty if not Linux or gone."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as kids:
            return [int(kid) for kid in kids.read().split()]
    except (OSError, ValueError):
        return []


def answers(port: int) -> bool:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        conn.request("GET", "/healthz")
        return conn.getresponse().status == 200
    except OSError:
        return False


@contextmanager
def running(
    command: list[str], env: dict[str, str], log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """A child process we started, terminated (then killed) when the block ends."""
    with log.open("ab") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class JobsFailed(RuntimeError):
    """Moderation jobs raised: the figures would measure retry back-off, not the pipeline."""


def failed_jobs(services: Services) -> int:
    """Jobs that raised: failed for good, or waiting to be retried."""
    queue = services.queue.queue
    return int(queue.failed_job_registry.count + queue.scheduled_job_registry.count)


def clear_failures(services: Services) -> None:
    """Forget jobs that raised in an earlier phase (our private Redis: nobody else's data)."""
    queue = services.queue.queue
    for registry in (queue.failed_job_registry, queue.scheduled_job_registry):
        for job_id in registry.get_job_ids():
            registry.remove(job_id, delete_job=True)


def log_tail(path: Path) -> str:
    """The last non-empty line of a child's log, to say why it failed."""
    lines = [line for line in path.read_text(errors="replace").splitlines() if line.strip()]
    return lines[-1].strip() if lines else "(empty log)"


def undecided(services: Services, prefix: str) -> int:
    """How many comments whose site id starts with prefix are still queued; raise if jobs fail."""
    if failed_jobs(services):
        raise JobsFailed(f"{failed_jobs(services)} moderation job(s) raised")
    with services.db.session() as session:
        return int(
            session.scalar(
                select(func.count()).where(
                    Comment.external_id.startswith(prefix), Comment.status == CommentStatus.QUEUED
                )
            )
            or 0
        )


def decided_times(services: Services, prefix: str) -> dict[str, tuple[datetime, datetime]]:
    """external id -> (received_at, decided_at) of decided comments whose id starts with prefix."""
    with services.db.session() as session:
        rows = session.execute(
            select(Comment.external_id, Comment.received_at, Comment.decided_at).where(
                Comment.external_id.startswith(prefix), Comment.decided_at.is_not(None)
            )
        ).all()
    return {r[0]: (r[1], r[2]) for r in rows if r[2] is not None}


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def maintain(services: Services, command: str) -> None:
    """Run a maintenance command (ANALYZE, VACUUM ...) on every table of the store."""
    with services.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        for each in Base.metadata.sorted_tables:
            c.execute(text(f'{command} "{each.name}"'))


def settle(services: Services) -> None:
    """Do now the vacuum and checkpoint that what the bench wrote so far will need.

    Else PostgreSQL's background processes do them when they choose, and a burst of that work
    inside one side of (d)'s rounds would skew a ratio it has nothing to do with.
    """
    if not services.db.is_postgresql:
        return
    maintain(services, "VACUUM (ANALYZE)")
    with services.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.execute(text("CHECKPOINT"))


@contextmanager
def database(sqlite: bool, tmp: Path) -> Iterator[str]:
    """A fresh database URL: a PostgreSQL schema of our own (dropped after), or an SQLite file."""
    if sqlite:
        yield f"sqlite:///{tmp / 'bench.sqlite3'}"
        return
    schema = "bench_" + secrets.token_hex(6)
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def print_table(rows: list[Row], notes: list[str]) -> None:
    """The figures, each against its baseline, with PASS/FAIL where the issue sets a target."""
    print(f"\n{'measure':<52}{'figure':>16}  {'vs':<6}{'ratio':>8}  {'target':>7}  verdict")
    print("-" * 100)
    for row in rows:
        ratio = f"{row.ratio:.2f}" if row.ratio is not None else ""
        figure = f"{row.value:,.1f} {row.unit}"
        print(
            f"{row.label:<52}{figure:>16}  {row.base_label:<6}{ratio:>8}  {row.goal:>7}  "
            f"{row.verdict}"
        )
    for note in notes:
        print(f"  note: {note}")
    checked = [r for r in rows if r.verdict]
    passed = [r for r in checked if r.verdict == "PASS"]
    failed = ", ".join(r.label.split()[0] for r in checked if r.verdict == "FAIL") or "none"
    print(f"\nSUMMARY: {len(passed)}/{len(checked)} targets met; failed: {failed}")
