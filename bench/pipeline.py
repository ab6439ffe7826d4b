"""Pipeline bench: RQ's per-job floor against our worker, HTTP intake and end-to-end latency.

Run from the repository root: `python -m bench.pipeline [--quick] [--sqlite]`. It owns everything
it touches: a private redis-server on a free loopback port, a fresh PostgreSQL schema (or an
SQLite file), a gunicorn and RQ workers it starts and stops. The machine is shared and noisy, so
each figure is printed with its ratio to a baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: RQ and the children import `bench`, `workers`
    sys.path.insert(0, str(ROOT))

from bench.harness import (  # noqa: E402
    Row,
    answers,
    child_env,
    database,
    print_table,
    running,
    settle,
    wait_for,
)
from bench.loadgen import LoadGen  # noqa: E402
from bench.phases import (  # noqa: E402
    Stage,
    measure_intake,
    measure_pipeline,
    measure_round_trips,
    measure_workers,
)
from bench.seeding import HISTORY, seed_history  # noqa: E402
from moderation.local.localredis import LocalRedis, free_port  # noqa: E402 - after the sys.path fix
from moderation.services import build_services  # noqa: E402
from moderation.settings import Settings  # noqa: E402
from moderation.store.sites import create_site  # noqa: E402


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
        wait_for(lambda: answers(port) or server.poll() is not None, "gunicorn", 30)
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
