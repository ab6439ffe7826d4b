"""Sizing: the same backlog drained by 1, 2 and 4 worker processes, and latency below that.

Run from the repository root: `python -m bench.scale [--comments N] [--workers 1,2,4]`.
For each worker count it stores a backlog of N queued comments (bulk, untimed), starts the
workers and waits until each has loaded its engine, hands the ids to Redis as busy web
processes do (groups of 50, so all but the first few go to the pending list that drain jobs
empty in batches), and times the drain to the last decided_at. Then it feeds comments at a
quarter and at half that drain rate for a few seconds each, in groups every 50 ms (a web
process's hand-over window), and reports p50/p99 from received_at to decided_at. PostgreSQL, a
private Redis, production settings; it owns and removes everything it makes, as
bench/pipeline.py does.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from rq import Worker  # noqa: E402 - after the sys.path fix above

from bench.harness import (  # noqa: E402
    child_env,
    clear_failures,
    database,
    decided_times,
    percentile,
    proc_cpu,
    rss_mb,
    running,
    settle,
    undecided,
    wait_for,
)
from bench.loadgen import BODIES  # noqa: E402
from bench.seeding import insert_comments, seed_history  # noqa: E402
from moderation.local.localredis import LocalRedis  # noqa: E402
from moderation.services import Services, build_services  # noqa: E402
from moderation.settings import Settings  # noqa: E402
from moderation.store.sites import create_site  # noqa: E402

#: Ids handed to Redis at once: about what a busy web process gathers in one 50 ms window.
HANDOVER = 50
#: Seconds between two hand-overs of the open-loop feed (MODERATION_ENQUEUE_WINDOW's default).
WINDOW = 0.05


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, from /proc/stat."""
    with open("/proc/stat") as stat:
        fields = [int(x) for x in stat.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    tick = os.sysconf("SC_CLK_TCK")
    return (sum(fields) - idle) / tick, sum(fields) / tick


def postgres_cpu() -> float:
    """CPU seconds of every PostgreSQL process on this machine (the server the bench uses)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        if "(postgres)" in text:
            total += proc_cpu(int(stat.parent.name))
    return total


@dataclass
class Result:
    """One worker count: its drain, its CPU, its memory and its latency at half load."""

    workers: int
    comments: int
    wall: float
    worker_cpu: float
    postgres_cpu: float
    busy: float
    rss: list[float]
    #: (offered comments/s, p50 ms, p99 ms) at each fraction of the drain rate
    latencies: list[tuple[float, float, float]] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.comments / self.wall


def drain(services: Services, site_id: str, n: int, workers: int, pids: list[int]) -> Result:
    """Store n queued comments, hand them over, and time the workers' drain."""
    prefix = f"backlog{workers}"
    now = datetime.now(UTC)
    ids = insert_comments(
        services, site_id, n, prefix=prefix, at=lambda _: now, decided=False, bodies=BODIES
    )
    settle(services)  # the insert's vacuum and checkpoint now, not inside the drain
    cpu0 = sum(proc_cpu(pid, children=True) for pid in pids)
    pg0 = postgres_cpu()
    busy0, total0 = machine_busy()
    started = time.time()
    for start in range(0, n, HANDOVER):
        services.queue.enqueue(ids[start : start + HANDOVER])
    wait_for(lambda: undecided(services, prefix) == 0, f"{n} comments decided", 600)
    busy1, total1 = machine_busy()
    cpu1 = sum(proc_cpu(pid, children=True) for pid in pids)
    pg1 = postgres_cpu()
    last = max(d.timestamp() for _, d in decided_times(services, prefix).values())
    return Result(
        workers=workers,
        comments=n,
        wall=last - started,
        worker_cpu=cpu1 - cpu0,
        postgres_cpu=pg1 - pg0,
        busy=(busy1 - busy0) / (total1 - total0),
        rss=[rss_mb(pid) for pid in pids],
    )


def _now(_: int) -> datetime:
    return datetime.now(UTC)


def feed(services: Services, site_id: str, rate: float, seconds: float, prefix: str) -> None:
    """Open loop: every WINDOW seconds, store and hand over what arrived at `rate` meanwhile."""
    started = time.monotonic()
    sent = 0
    while (elapsed := time.monotonic() - started) < seconds:
        due = int(rate * elapsed) - sent
        if due > 0:
            ids = insert_comments(
                services, site_id, due, prefix=f"{prefix}-{sent}", at=_now, decided=False,
                bodies=BODIES,
            )  # fmt: skip
            services.queue.enqueue(ids)
            sent += due
        time.sleep(max(0.0, WINDOW - (time.monotonic() - started - elapsed)))


#: Fractions of a worker count's drain rate at which comments are fed to measure latency.
LOADS = (0.25, 0.5)


def _settled(services: Services, prefix: str) -> bool:
    return undecided(services, prefix) == 0


def _registered(services: Services, workers: int) -> bool:
    return Worker.count(connection=services.redis) >= workers


def latency(services: Services, site_id: str, result: Result, seconds: float) -> None:
    """p50/p99 from receipt to decision while comments arrive at each of LOADS."""
    for load in LOADS:
        prefix = f"steady{result.workers}x{int(load * 100)}"
        rate = result.rate * load
        feed(services, site_id, rate, seconds, prefix)
        wait_for(partial(_settled, services, prefix), "steady comments decided", 120)
        times = decided_times(services, prefix)
        waits = [1000 * (d - r).total_seconds() for r, d in times.values()]
        result.latencies.append((rate, percentile(waits, 50), percentile(waits, 99)))


def measure(stack: ExitStack, args: argparse.Namespace, tmp: Path) -> list[Result]:
    """Every worker count in turn, on one database and Redis."""
    redis = LocalRedis().start()
    stack.callback(redis.stop)
    url = stack.enter_context(database(False, tmp))
    settings = replace(Settings.from_env({}), database_url=url, redis_url=redis.url)
    services = build_services(settings)
    stack.callback(services.close)
    services.db.upgrade()
    with services.db.session() as session:
        site_id = create_site(session, "bench-planet").site_id
    print(f"seeding {args.history:,} decided comments (author histories), then the backlogs")
    seed_history(services, site_id, args.history)
    env = child_env(settings)
    results = []
    for workers in args.workers:
        with ExitStack() as pool:
            procs = [
                pool.enter_context(
                    running([sys.executable, "-m", "workers"], env, tmp / f"w{workers}-{i}.log")
                )
                for i in range(workers)
            ]
            wait_for(partial(_registered, services, workers), "workers", 60)
            pids = [p.pid for p in procs]
            result = drain(services, site_id, args.comments, workers, pids)
            print(f"  {workers} worker(s): {result.rate:,.0f} comments/s; latency at half load")
            latency(services, site_id, result, args.seconds)
            clear_failures(services)
            results.append(result)
        wait_for(lambda: Worker.count(connection=services.redis) == 0, "workers gone", 60)
    return results


def main(argv: list[str] | None = None) -> int:
    """Drain with each worker count and print the sizing table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=20_000, help="backlog per worker count")
    parser.add_argument("--history", type=int, default=50_000, help="decided comments first")
    parser.add_argument("--workers", default="1,2,4", help="worker counts, comma-separated")
    parser.add_argument("--seconds", type=float, default=6.0, help="open-loop feed per count")
    args = parser.parse_args(argv)
    args.workers = [int(k) for k in args.workers.split(",")]
    if args.comments > 100_000:
        parser.error("--comments is at most 100,000: the bench is meant to stay short")
    cores = os.cpu_count() or 1
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    started = time.monotonic()
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-scale-")))
        results = measure(stack, args, tmp)
    base = results[0].rate
    print(
        f"\n{'workers':>7}{'cmt/s':>9}{'x 1':>6}{'per proc':>10}{'per core':>10}"
        f"{'wkr CPU':>9}{'PG CPU':>8}{'machine':>9}{'RSS MiB':>9}"
        + "".join(f"{f'at {load:.0%}: cmt/s  p50  p99 ms':>32}" for load in LOADS)
    )
    for r in results:
        # Per core: comments per second of worker CPU, i.e. what one fully busy core drains.
        per_core = r.comments / r.worker_cpu if r.worker_cpu else 0.0
        print(
            f"{r.workers:>7}{r.rate:>9,.0f}{r.rate / base:>6.2f}{r.rate / r.workers:>10,.0f}"
            f"{per_core:>10,.0f}{r.worker_cpu / r.wall:>9.2f}{r.postgres_cpu / r.wall:>8.2f}"
            f"{r.busy:>9.0%}"
            f"{max(r.rss):>9.0f}"
            + "".join(f"{rate:>19,.0f}{p50:>6.0f}{p99:>7.0f}" for rate, p50, p99 in r.latencies)
        )
    print(
        f"\n{cores} cores, load average at start {load}; backlog {args.comments:,} per count, "
        f"handed over {HANDOVER} at a time. 'wkr CPU', 'PG CPU': cores the workers and "
        "PostgreSQL kept busy; 'machine': all CPU busy (those, Redis, this process, other "
        "tenants). Latency: receipt to "
        f"decision while fed at a quarter, then half, the drain rate for {args.seconds:.0f} s. "
        f"Ran {time.monotonic() - started:.0f} s."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
