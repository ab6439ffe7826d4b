"""Pipeline bench: RQ's per-job floor against our worker, HTTP intake and end-to-end latency.

Run from the repository root: `python -m bench.pipeline [--quick] [--sqlite]`. It owns everything
it touches: a private redis-server on a free loopback port, a fresh PostgreSQL schema (or an
SQLite file), a gunicorn and RQ workers it starts and stops. The machine is shared and noisy, so
each figure is printed with its ratio to a baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import multiprocessing
import os
import resource
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: RQ and the children import `bench`, `workers`
    sys.path.insert(0, str(ROOT))

from rq import Queue, SimpleWorker, Worker  # noqa: E402 - after the sys.path fix above
from rq.serializers import JSONSerializer  # noqa: E402
from sqlalchemy import Table, create_engine, func, insert, select, text  # noqa: E402

from moderation.engine import Action, Decision, duplicate_key  # noqa: E402
from moderation.localredis import LocalRedis, free_port  # noqa: E402
from moderation.services import Services, build_services  # noqa: E402
from moderation.settings import Settings  # noqa: E402
from moderation.store import comments as store  # noqa: E402
from moderation.store.ids import new_id  # noqa: E402
from moderation.store.models import Base, Comment  # noqa: E402
from moderation.store.sites import create_site  # noqa: E402

POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
NOOP_JOB = "bench.pipeline.noop"
BODIES = (
    "What a thoughtful article, thank you for the careful reporting.",
    "I disagree with the council here: the budget figures simply do not add up.",
    "This is shit journalism and you know it.",
    "Great piece! Cheap pills at http://pills.example, click now!!!",
    "My grandmother lived on that street for forty years; it was never this bad.",
    "You are an idiot if you believe a word of this.",
)


def noop(*_args: Any) -> None:
    """A job that does nothing, so what remains is RQ's own per-job cost."""


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

    @property
    def ratio(self) -> float | None:
        return self.value / self.base if self.base else None

    @property
    def verdict(self) -> str:
        if self.target is None or self.ratio is None:
            return ""
        return "PASS" if self.ratio >= self.target else "FAIL"


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


# --- (a) RQ's floor and (b) our worker with a no-op engine ----------------------------------


def _noop_options(services: Services) -> dict[str, Any]:
    s = services.settings
    # The same options our queue sets, so (a) and (b) differ only by what the job does.
    return {
        "timeout": s.job_timeout,
        "ttl": s.job_ttl,
        "result_ttl": s.result_ttl,
        "failure_ttl": s.failure_ttl,
    }


def measure_rq(services: Services, n: int, *, forking: bool = False) -> tuple[Drain, float]:
    """(a): RQ draining n no-op jobs, and this process's enqueue rate while making them."""
    queue = Queue("bench-noop", connection=services.redis, serializer=JSONSerializer)
    options = _noop_options(services)
    started = time.perf_counter()
    for _ in range(n):
        queue.enqueue_call(NOOP_JOB, **options)
    enqueue_rate = n / (time.perf_counter() - started)
    return drain(queue, services, forking=forking), enqueue_rate


_NOOP_DECISION = Decision(Action.APPROVE, (), "noop")


class _NoopEngine:
    duplicate_window_seconds = 0  # also skips the author-history query: (b) measures the rest
    new_author_hold_max = 0
    version = "noop"

    def moderate_many(self, items: list[tuple[str, object]]) -> list[Decision]:
        return [_NOOP_DECISION] * len(items)


class _NoopRules:
    def engine(self) -> _NoopEngine:
        return _NoopEngine()


def record_queued(services: Services, site_id: str, n: int, prefix: str) -> list[str]:
    """Store n queued comments directly (not timed), the way the intake would."""
    now = datetime.now(UTC)
    ids = []
    for i in range(n):
        raw = comment_json(f"{prefix}-{i}", i)
        intake = store.Intake(
            external_id=raw["id"],
            story_id="story-1",
            author_id=raw["author"]["id"],
            body=raw["body"],
            digest=secrets.token_hex(32),
            duplicate_key=duplicate_key(raw["body"]),
        )
        ids.append(store.record_comment(services.db, site_id, intake, now=now)[0].id)
    return ids


def measure_our_worker(services: Services, site_id: str, n: int, prefix: str) -> Drain:
    """(b): our job function, one comment per job, engine stubbed, in one SimpleWorker."""
    from workers import runtime  # only here: nothing in the service imports workers

    ids = record_queued(services, site_id, n, prefix)
    for comment_id in ids:
        services.queue.enqueue_job([comment_id])  # not enqueue(): no coalescing, one id a job
    runtime.bind(replace(services, rules=_NoopRules()))  # type: ignore[arg-type]
    result = drain(services.queue.queue, services)
    with services.db.session() as session:
        left = session.scalar(
            select(func.count()).where(Comment.id.in_(ids), Comment.status == store.QUEUED)
        )
    if left or failed_jobs(services):
        raise JobsFailed(f"(b) left {left} of {n} comments undecided")
    return result


def combined(drains: list[Drain]) -> Drain:
    """Rounds taken together: all their jobs over all their time."""
    return Drain(
        sum(d.jobs for d in drains), sum(d.wall for d in drains), sum(d.cpu for d in drains)
    )


# --- the machine: what a round trip costs after the caller was idle ------------------------

#: How long the server idles before each probed round trip: about what RQ spends on its own
#: Redis calls for one job, so the pause PostgreSQL has between one job's queries and the next's.
IDLE_GAP = 0.004


def round_trip_us(call: Callable[[], object], gap: float, n: int = 300) -> float:
    """Median microseconds of one call, made back to back or each `gap` seconds after the last.

    The caller spins through the gap rather than sleeping: a worker is busy with RQ's part of
    the job meanwhile, and only the server is idle.
    """
    times = []
    for _ in range(n):
        resume = time.perf_counter() + gap
        while time.perf_counter() < resume:
            pass
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return 1e6 * statistics.median(times)


def measure_round_trips(services: Services, rows: list[Row]) -> list[str]:
    """What a server's idle pause adds to a round trip here: (b) pays it, RQ's calls seldom do.

    RQ's calls for a job follow each other closely; our job's two database round trips come
    after RQ's part, when PostgreSQL has been idle for milliseconds. On a virtual machine,
    waking an idle CPU can cost more than the query, and that lands on (b) alone.
    """
    probes: list[tuple[str, Callable[[], object]]] = [("Redis PING", services.redis.ping)]
    with ExitStack() as stack:
        if services.db.is_postgresql:
            connection = stack.enter_context(services.db.driver())
            probes.insert(0, ("PostgreSQL SELECT 1", lambda: connection.execute("SELECT 1")))
        for label, call in probes:
            round_trip_us(call, 0.0, n=50)  # connect and warm up
            hot = round_trip_us(call, 0.0)
            idle = round_trip_us(call, IDLE_GAP)
            gap = f"{IDLE_GAP * 1000:.0f} ms"
            rows += [
                Row(f"rt: {label}, back to back", hot, "us", hot, "rt"),
                Row(f"rt: {label}, server idle {gap} before", idle, "us", hot, "rt"),
            ]
    return ["rt: median round trip from this process; its ratio is what the idle pause costs"]


# --- HTTP load, run in child processes so the generator is not one GIL ----------------------


def comment_json(external_id: str, i: int) -> dict[str, Any]:
    """A valid comment; authors spread so intakes rarely contend on one author row."""
    return {
        "id": external_id,
        "story": {"id": f"story-{i % 50}", "url": "https://planet.example/n/1", "section": "news"},
        "author": {"id": f"reader-{i % 997}", "name": "Reader"},
        "body": f"{BODIES[i % len(BODIES)]} ({i})",
    }


@dataclass(frozen=True)
class Load:
    """What one load-generator process sends; see _drive."""

    port: int
    key: str
    kind: str  # "get": GET /healthz; "single": POST /v1/comments; "batch": POST .../batch
    prefix: str  # external ids are prefix-n, unique per process
    threads: int
    start_at: float  # wall clock; every process starts together
    count: int = 0  # closed loop: this many requests...
    stop_at: float = 0.0  # ...or until this wall time
    rate: float = 0.0  # open loop: this process's requests per second
    batch: int = 100


@dataclass
class Sent:
    """What one load-generator process did."""

    ok: int = 0
    errors: int = 0
    first: float = 0.0
    last: float = 0.0
    schedule: dict[str, float] = field(default_factory=dict)  # open loop: id -> planned send


def _request(load: Load, n: int) -> tuple[str, str, str | None, list[str]]:
    if load.kind == "get":
        return "GET", "/healthz", None, []
    if load.kind == "single":
        ext = f"{load.prefix}-{n}"
        return "POST", "/v1/comments", json.dumps(comment_json(ext, n)), [ext]
    exts = [f"{load.prefix}-{n}-{j}" for j in range(load.batch)]
    body = {"comments": [comment_json(e, n * load.batch + j) for j, e in enumerate(exts)]}
    return "POST", "/v1/comments/batch", json.dumps(body), exts


def _drive(load: Load) -> Sent:
    """Send a process's share of the load from `threads` threads, closed or open loop."""
    sent, lock, counter = Sent(), threading.Lock(), itertools.count()
    headers = {"Authorization": f"Bearer {load.key}", "Content-Type": "application/json"}

    def one(n: int, planned: float | None) -> None:
        method, path, body, exts = _request(load, n)
        conn = http.client.HTTPConnection("127.0.0.1", load.port, timeout=30)
        try:  # gunicorn's sync workers close after each response: one connection per request
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            good = response.status in (200, 202)
        except OSError:
            good = False
        finally:
            conn.close()
        with lock:
            sent.ok += good
            sent.errors += not good
            sent.last = time.time()
            if planned is not None:
                sent.schedule.update(dict.fromkeys(exts, planned))

    def loop() -> None:
        while True:
            n = next(counter)
            if load.rate:  # open loop: send at the planned time even if earlier ones lag
                planned = load.start_at + n / load.rate
                if planned >= load.stop_at:
                    return
                time.sleep(max(0.0, planned - time.time()))
                one(n, planned)
            elif (load.count and n >= load.count) or (load.stop_at and time.time() > load.stop_at):
                return
            else:
                one(n, None)

    time.sleep(max(0.0, load.start_at - time.time()))
    sent.first = time.time()
    threads = [threading.Thread(target=loop) for _ in range(load.threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sent


def _ready(_: int) -> None:
    """Force the imports in a fresh pool process before anything is timed."""


class LoadGen:
    """A pool of load-generator processes; they share the machine's cores with the server."""

    def __init__(self, processes: int) -> None:
        self.processes = processes
        self.pool = multiprocessing.get_context("spawn").Pool(processes)
        self.pool.map(_ready, range(processes))
        self.rounds = 0

    def run(self, kind: str, *, port: int, key: str, threads: int, **how: float) -> list[Sent]:
        """Split one load over the processes; count/rate are totals, times are relative."""
        self.rounds += 1
        start_at = time.time() + 0.3
        loads = [
            Load(
                port=port,
                key=key,
                kind=kind,
                prefix=f"{kind}{self.rounds}p{p}",
                threads=threads,
                start_at=start_at,
                count=int(how.get("count", 0)) // self.processes,
                stop_at=start_at + how["seconds"] if "seconds" in how else 0.0,
                rate=how.get("rate", 0.0) / self.processes,
            )
            for p in range(self.processes)
        ]
        return self.pool.map(_drive, loads)

    def close(self) -> None:
        self.pool.close()
        self.pool.join()


def rate_of(results: list[Sent]) -> tuple[float, int, int]:
    """Successful requests per second over the whole window, successes, errors."""
    ok, errors = sum(r.ok for r in results), sum(r.errors for r in results)
    window = max(r.last for r in results) - min(r.first for r in results)
    return ok / window if window > 0 else 0.0, ok, errors


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


def _answers(port: int) -> bool:
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
                    Comment.external_id.startswith(prefix), Comment.status == store.QUEUED
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


def end_to_end(
    services: Services,
    gen: LoadGen,
    kind: str,
    seconds: float,
    *,
    port: int,
    key: str,
    cpu: Callable[[], tuple[float, float]],
) -> tuple[float, float, float, float]:
    """(c): post for `seconds` as fast as the intake takes it; comments/s to the last decision.

    Bounded by time, not count, so the run stays short whatever the service's speed.
    Returns end-to-end and intake comments/s, and web and worker CPU ms per comment.
    """
    web0, work0 = cpu()
    per_request = 100 if kind == "batch" else 1
    threads = 4 if kind == "single" else 2
    results = gen.run(kind, port=port, key=key, threads=threads, seconds=seconds)
    prefix = f"{kind}{gen.rounds}p"
    wait_for(lambda: undecided(services, prefix) == 0, f"{kind} comments decided", 120)
    web1, work1 = cpu()
    times = decided_times(services, prefix)
    first = min(r.first for r in results)
    last_decided = max(d.timestamp() for _, d in times.values())
    intake_rate, ok, errors = rate_of(results)
    n = ok * per_request
    if errors or len(times) != n:
        print(f"  warning: (c) {kind}: {errors} errors, {len(times)} of {n} decided")
    return (
        len(times) / (last_decided - first),
        intake_rate * per_request,
        1000 * (web1 - web0) / n,
        1000 * (work1 - work0) / n,
    )


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def latency(
    services: Services, gen: LoadGen, rate: float, seconds: float, *, port: int, key: str
) -> tuple[float, float, float, float, int]:
    """(e): open-loop single posts at `rate`; ms from planned POST to decided_at, p50 and p99."""
    results = gen.run("single", port=port, key=key, threads=8, rate=rate, seconds=seconds)
    prefix = f"single{gen.rounds}p"
    wait_for(lambda: undecided(services, prefix) == 0, "latency comments decided", 120)
    times = decided_times(services, prefix)
    planned = {k: v for r in results for k, v in r.schedule.items()}
    total = [1000 * (times[k][1].timestamp() - t) for k, t in planned.items() if k in times]
    queued = [1000 * (d - r).total_seconds() for r, d in times.values()]
    return (
        percentile(total, 50),
        percentile(total, 99),
        percentile(queued, 50),
        percentile(queued, 99),
        len(total),
    )


# --- the run ------------------------------------------------------------------------------


#: Decided comments the store holds before anything is measured, as a newsroom's would.
HISTORY = 50_000


def seed_history(services: Services, site_id: str, n: int = HISTORY) -> None:
    """Fill the store with n decided comments from the last 30 days, and gather statistics.

    A running service's tables hold months of comments, and autovacuum keeps their statistics.
    A schema seconds old and empty misleads PostgreSQL: it plans for tiny tables (a scan where
    an index is right) and keeps those plans while the bench grows them by thousands of rows a
    second. The bench's own comments come from the same readers, as a site's regulars' do.
    """
    now = datetime.now(UTC)
    table = cast(Table, Comment.__table__)
    with services.db.engine.begin() as connection:
        for start in range(0, n, 5_000):
            rows = []
            for i in range(start, min(n, start + 5_000)):
                at = now - timedelta(days=30) * (n - i) / n
                body = f"{BODIES[i % 2]} ({i})"
                rows.append(
                    {
                        "id": new_id(),
                        "site_id": site_id,
                        "external_id": f"history-{i}",
                        "request_digest": secrets.token_hex(32),
                        "story_id": f"story-{i % 500}",
                        "author_id": f"reader-{i % 997}",
                        "body": body,
                        "duplicate_key": duplicate_key(body),
                        "received_at": at,
                        "status": "approved",
                        "revision": 1,
                        "enqueued_at": at,
                        "decided_at": at,
                        "categories": "",
                        "report_weight": 0.0,
                    }
                )
            connection.execute(insert(table), rows)
    maintain(services, "ANALYZE")


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
        target = f">={row.target:g}" if row.target is not None else ""
        figure = f"{row.value:,.1f} {row.unit}"
        print(
            f"{row.label:<52}{figure:>16}  {row.base_label:<6}{ratio:>8}  {target:>7}  "
            f"{row.verdict}"
        )
    for note in notes:
        print(f"  note: {note}")
    checked = [r for r in rows if r.verdict]
    passed = [r for r in checked if r.verdict == "PASS"]
    failed = ", ".join(r.label.split()[0] for r in checked if r.verdict == "FAIL") or "none"
    print(f"\nSUMMARY: {len(passed)}/{len(checked)} targets met; failed: {failed}")


#: (a) and (b), and the two sides of (d), alternate in this many rounds: a burst of other
#: work on the shared machine then slows both sides of a ratio, not one.
ROUNDS = 4


def measure_workers(
    services: Services, site_id: str, n: int, rows: list[Row]
) -> tuple[Drain, list[str]]:
    """(a) and (b), in this process, in alternating rounds; returns (a), the baseline, and notes."""
    print(f"(a) RQ draining {n} no-op jobs (SimpleWorker) and {n // 10} (forking Worker);")
    print(f"(b) our worker draining {n // 2} single-comment jobs, engine stubbed; {ROUNDS} rounds")
    simple: list[Drain] = []
    ours: list[Drain] = []
    enqueue_rates: list[float] = []
    try:
        for round_ in range(ROUNDS):
            noop, enqueue_rate = measure_rq(services, n // ROUNDS)
            simple.append(noop)
            enqueue_rates.append(enqueue_rate)
            ours.append(measure_our_worker(services, site_id, n // 2 // ROUNDS, f"b{round_}"))
    except JobsFailed as error:  # still run the rest: a bench reports, it does not stop
        rows.append(Row(f"(b) aborted: {error}", 0.0, "", None, "(a)", 0.70))
    finally:
        clear_failures(services)
    forking, _ = measure_rq(services, n // 10, forking=True)
    a = combined(simple)
    rows += [
        Row("(a) RQ SimpleWorker, no-op jobs", a.rate, "jobs/s", a.rate, "(a)"),
        Row("    worker CPU per no-op job", a.cpu_ms, "ms"),
        Row("    RQ forking Worker, no-op jobs", forking.rate, "jobs/s", a.rate, "(a)"),
        Row("    enqueue, one process", statistics.median(enqueue_rates), "jobs/s", a.rate, "(a)"),
    ]
    if len(ours) == ROUNDS:
        b = combined(ours)
        rows += [
            Row("(b) our worker, 1 comment/job, no-op engine", b.rate, "jobs/s", a.rate, "(a)",
                0.70),
            Row("    worker CPU per job", b.cpu_ms, "ms", a.cpu_ms, "(a)"),
        ]  # fmt: skip
        ratios = ", ".join(f"{o.rate / r.rate:.2f}" for o, r in zip(ours, simple, strict=True))
        return a, [f"(b)/(a) round by round: {ratios}"]
    return a, []


@dataclass
class Stage:
    """The running web server and what every HTTP phase needs to reach and measure it."""

    services: Services
    gen: LoadGen
    server: subprocess.Popen[bytes]
    port: int
    key: str
    seconds: float
    tmp: Path
    env: dict[str, str]


def measure_pipeline(stage: Stage, simple: Drain, workers: int, rows: list[Row]) -> list[str]:
    """(c) and (e), with RQ workers running as the service runs them; returns notes."""
    services, gen, port, key = stage.services, stage.gen, stage.port, stage.key
    with ExitStack() as pool:
        procs = [
            pool.enter_context(
                running([sys.executable, "-m", "workers"], stage.env, stage.tmp / f"w{i}.log")
            )
            for i in range(workers)
        ]
        queue = services.queue.queue
        wait_for(
            lambda: Worker.count(connection=services.redis, queue=queue) >= workers,
            "RQ workers",
            60,
        )

        def cpu() -> tuple[float, float]:
            web = proc_cpu(stage.server.pid, children=True)
            return web, sum(proc_cpu(w.pid) for w in procs)

        single = 0.0
        try:
            print(f"(c) end to end with {workers} RQ workers, single then batched, closed loop")
            for name, kind, target in (
                ("single comments", "single", None),
                ("batches of 100", "batch", 10.0),
            ):
                e2e, intake_rate, web_ms, work_ms = end_to_end(
                    services, gen, kind, stage.seconds, port=port, key=key, cpu=cpu
                )
                single = e2e if kind == "single" else single
                rows += [
                    Row(f"(c) end to end, {name}", e2e, "cmt/s", simple.rate, "(a)", target),
                    Row("    intake rate meanwhile", intake_rate, "cmt/s", simple.rate, "(a)"),
                    Row("    web CPU per comment", web_ms, "ms"),
                    Row("    worker CPU per comment", work_ms, "ms", simple.cpu_ms, "(a)"),
                ]
            offered = single / 2
            print(f"(e) open loop at {offered:.0f} comments/s for {stage.seconds:.0f} s")
            p50, p99, q50, q99, measured = latency(
                services, gen, offered, stage.seconds, port=port, key=key
            )
        except JobsFailed as error:
            why = log_tail(stage.tmp / "w0.log")
            rows.append(Row("(c) aborted", 0.0, "", simple.rate, "(a)", 10))
            return [f"(c)/(e) aborted: {error}; worker log ends: {why}"]
        finally:
            clear_failures(services)
    rows += [
        Row(f"(e) POST to decided, p50 at {offered:.0f}/s", p50, "ms"),
        Row(f"(e) POST to decided, p99 at {offered:.0f}/s", p99, "ms"),
        Row("    received_at to decided_at, p50", q50, "ms"),
        Row("    received_at to decided_at, p99", q99, "ms"),
    ]
    return [f"(e) {measured} comments, latency from planned send time"]


def measure_intake(stage: Stage, rows: list[Row]) -> list[str]:
    """(d): closed-loop req/s of the intake against a constant endpoint, no worker running."""
    seconds = stage.seconds / ROUNDS
    print(f"(d) intake under gunicorn, workers stopped, {ROUNDS} rounds of {seconds:.0f} s each")
    kinds = ("get", "single")
    ok, errors = dict.fromkeys(kinds, 0), dict.fromkeys(kinds, 0)
    window, web_cpu = dict.fromkeys(kinds, 0.0), dict.fromkeys(kinds, 0.0)
    by_round: list[str] = []
    for _ in range(ROUNDS):
        rates = {}
        for kind in kinds:
            web0 = proc_cpu(stage.server.pid, children=True)
            sent = stage.gen.run(kind, port=stage.port, key=stage.key, threads=4, seconds=seconds)
            web_cpu[kind] += proc_cpu(stage.server.pid, children=True) - web0
            rates[kind], answered, failed = rate_of(sent)
            ok[kind] += answered
            errors[kind] += failed
            window[kind] += answered / rates[kind] if rates[kind] else 0.0
        by_round.append(f"{rates['single'] / rates['get']:.2f}" if rates["get"] else "-")
    notes, constant = [], 0.0
    for label, kind, target in (
        ("(d) GET /healthz (constant)", "get", None),
        ("(d) POST /v1/comments (validate+enqueue)", "single", 0.40),
    ):
        rate = ok[kind] / window[kind] if window[kind] else 0.0
        constant = rate if kind == "get" else constant
        rows += [
            Row(label, rate, "req/s", constant, "(d)", target),
            Row("    web CPU per request", 1000 * web_cpu[kind] / max(ok[kind], 1), "ms"),
        ]
        notes.append(f"(d) {kind}: {ok[kind]} answered, {errors[kind]} errors")
    notes.append(f"(d) POST/GET round by round: {', '.join(by_round)}")
    queue = stage.services.queue
    notes.append(
        f"(d) with no worker running the intake made {queue.queue.count} jobs and put "
        f"{queue.pending_count()} ids on the pending list (coalescing)"
    )
    return notes


def main(argv: list[str] | None = None) -> int:
    """Measure (a) to (e) in one run and print them against their baselines."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="about a quarter of the work")
    parser.add_argument("--sqlite", action="store_true", help="SQLite file, not PostgreSQL")
    parser.add_argument("--workers", type=int, default=2, help="RQ workers for (c) and (e)")
    parser.add_argument("--loadgen", type=int, default=2, help="load-generator processes")
    args = parser.parse_args(argv)
    n_jobs, seconds = (500, 3.0) if args.quick else (2000, 8.0)
    started = time.monotonic()
    rows: list[Row] = []
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    notes = [
        f"load average at start {load}: other work on this machine skews absolute figures",
        f"{os.cpu_count()} cores shared by load generator ({args.loadgen} Python processes), "
        "gunicorn (2 sync workers), RQ workers, PostgreSQL and Redis: figures are relative",
    ]
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-pipeline-")))
        redis = LocalRedis().start()
        stack.callback(redis.stop)
        url = stack.enter_context(database(args.sqlite, tmp))
        # Production defaults but for where the data lives; WARNING keeps this process quiet.
        settings = replace(
            Settings.from_env({}), database_url=url, redis_url=redis.url, log_level="WARNING"
        )
        # Built as the moderation worker builds its own (workers/main.py), so (b) runs our job
        # as it runs in production; this process writes nothing else that must be durable.
        services = build_services(settings, worker=True, redone_if_lost=True)
        stack.callback(services.close)
        services.db.upgrade()
        with services.db.session() as session:
            key = create_site(session, "bench-planet")
        print(f"database: {'SQLite' if args.sqlite else 'PostgreSQL schema'}; redis: {redis.url}")
        print(f"seeding {HISTORY:,} decided comments of the last 30 days")
        seed_history(services, key.site_id)
        notes += measure_round_trips(services, rows)
        simple, worker_notes = measure_workers(services, key.site_id, n_jobs, rows)
        notes += worker_notes

        port = free_port()
        env = child_env(replace(settings, log_level="INFO"))  # the service's default level
        gunicorn = [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}"]
        server = stack.enter_context(
            running([*gunicorn, "moderation.wsgi:app"], env, tmp / "gunicorn.log")
        )
        wait_for(lambda: _answers(port) or server.poll() is not None, "gunicorn", 30)
        gen = LoadGen(args.loadgen)
        stack.callback(gen.close)
        engine = services.rules.engine()
        notes.append(f"(c)/(e) engine: {type(engine).__module__} ruleset {engine.version}")
        stage = Stage(services, gen, server, port, key.api_key, seconds, tmp, env)
        notes += measure_pipeline(stage, simple, args.workers, rows)
        # Last: with no worker the intake's ids pile up, and a later phase would drain them.
        settle(services)
        notes += measure_intake(stage, rows)
    notes.append(f"bench ran {time.monotonic() - started:.0f} s")
    print_table(rows, notes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
