"""The pipeline bench's phases: (a) RQ's floor, (b) our worker, (c)-(e) end to end, (d) intake."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from rq import Queue, Worker
from rq.serializers import JSONSerializer
from sqlalchemy import func, select

from bench.harness import (
    Drain,
    JobsFailed,
    Row,
    clear_failures,
    decided_times,
    drain,
    failed_jobs,
    log_tail,
    percentile,
    proc_cpu,
    running,
    undecided,
    wait_for,
)
from bench.loadgen import LoadGen, rate_of
from bench.seeding import record_queued
from moderation.engine import Action, Decision
from moderation.services import Services
from moderation.store.models import Comment, CommentStatus

NOOP_JOB = "bench.phases.noop"
#: (e)'s targets: p99 from POST to decision at a steady 100 comments/s, and at half the maximum.
LIGHT_RATE, LIGHT_P99_MS, HALF_P99_MS = 100.0, 20.0, 50.0


def noop(*_args: Any) -> None:
    """A job that does nothing, so what remains is RQ's own per-job cost."""


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
            select(func.count()).where(Comment.id.in_(ids), Comment.status == CommentStatus.QUEUED)
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
        notes: list[str] = []
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
            # The two loads: a steady 100/s, and half the single-comment maximum.
            for offered, ceiling in ((LIGHT_RATE, LIGHT_P99_MS), (single / 2, HALF_P99_MS)):
                print(f"(e) open loop at {offered:.0f} comments/s for {stage.seconds:.0f} s")
                p50, p99, q50, q99, measured = latency(
                    services, gen, offered, stage.seconds, port=port, key=key
                )
                rows += [
                    Row(f"(e) POST to decided, p50 at {offered:.0f}/s", p50, "ms"),
                    Row(f"(e) POST to decided, p99 at {offered:.0f}/s", p99, "ms", ceiling=ceiling),
                    Row("    received_at to decided_at, p50", q50, "ms"),
                    Row("    received_at to decided_at, p99", q99, "ms"),
                ]
                notes.append(f"(e) at {offered:.0f}/s: {measured} comments, from planned send time")
        except JobsFailed as error:
            why = log_tail(stage.tmp / "w0.log")
            rows.append(Row("(c) aborted", 0.0, "", simple.rate, "(a)", 10))
            return [f"(c)/(e) aborted: {error}; worker log ends: {why}"]
        finally:
            clear_failures(services)
    return notes


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
        # No target: the intake against a constant endpoint is a figure to watch, not a goal.
        ("(d) POST /v1/comments (validate+enqueue)", "single", None),
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
