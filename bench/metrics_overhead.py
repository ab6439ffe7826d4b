"""What the Prometheus metrics cost the intake: POST /v1/comments req/s with and without them.

Run from the repository root: `python -m bench.metrics_overhead [--seconds S] [--rounds N]`.
Two gunicorns (2 sync workers each) on one PostgreSQL schema and a private Redis: one as the
service runs (metrics in PROMETHEUS_MULTIPROC_DIR), one whose counters are no-ops
(bench/nometrics_wsgi.py). They are driven in alternating rounds, so a burst of other work on
the shared machine slows both sides, not one. No worker runs: the ids pile up in Redis.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import replace
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.harness import (  # noqa: E402 - after the sys.path fix above
    answers,
    child_env,
    children_of,
    database,
    proc_cpu,
    rss_mb,
    running,
    wait_for,
)
from bench.loadgen import LoadGen, rate_of  # noqa: E402
from moderation.local.localredis import LocalRedis, free_port  # noqa: E402
from moderation.services import build_services  # noqa: E402
from moderation.settings import Settings  # noqa: E402
from moderation.store.sites import create_site  # noqa: E402

#: What one intake request adds, timed in a child that runs multiprocess mode as gunicorn does.
_PER_REQUEST = """
import timeit
from moderation import metrics
def request():
    metrics.COMMENTS_RECEIVED.labels("bench-planet").inc()
    metrics.HTTP_REQUESTS.labels("/v1/comments", "202").inc()
n = 20000
print(1e6 * min(timeit.repeat(request, number=n, repeat=5)) / n)
"""


def per_request_us(tmp: Path) -> float:
    """Microseconds the intake's two metric updates take, files and all (multiprocess mode)."""
    folder = tmp / "micro"
    folder.mkdir()
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(folder), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", _PER_REQUEST], env=env, capture_output=True, text=True, check=True
    )
    return float(done.stdout)


def main(argv: list[str] | None = None) -> int:
    """Alternate rounds against both gunicorns and print req/s and web CPU per request."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="per side and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--loadgen", type=int, default=2, help="load-generator processes")
    args = parser.parse_args(argv)
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-metrics-")))
        redis = LocalRedis().start()
        stack.callback(redis.stop)
        url = stack.enter_context(database(False, tmp))
        settings = replace(Settings.from_env({}), database_url=url, redis_url=redis.url)
        services = build_services(settings)
        stack.callback(services.close)
        services.db.upgrade()
        with services.db.session() as session:
            key = create_site(session, "bench-planet").api_key
        servers = {}
        for side, app in (("with", "moderation.wsgi:app"), ("without", "bench.nometrics_wsgi:app")):
            env = child_env(settings)
            if side == "with":
                (tmp / "metrics").mkdir()
                env["PROMETHEUS_MULTIPROC_DIR"] = str(tmp / "metrics")
            port = free_port()
            argv = [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", app]
            server = stack.enter_context(running(argv, env, tmp / f"{side}.log"))
            wait_for(partial(answers, port), f"gunicorn {side} metrics", 30)
            servers[side] = (server, port)
        gen = LoadGen(args.loadgen)
        stack.callback(gen.close)
        ok = dict.fromkeys(servers, 0)
        window = dict.fromkeys(servers, 0.0)
        cpu = dict.fromkeys(servers, 0.0)
        by_round = []
        for _ in range(args.rounds):
            rates = {}
            for side, (server, port) in servers.items():
                before = proc_cpu(server.pid, children=True)
                sent = gen.run("single", port=port, key=key, threads=4, seconds=args.seconds)
                cpu[side] += proc_cpu(server.pid, children=True) - before
                rates[side], answered, errors = rate_of(sent)
                if errors:
                    print(f"  warning: {side}: {errors} errors")
                ok[side] += answered
                window[side] += answered / rates[side] if rates[side] else 0.0
            by_round.append(f"{rates['with'] / rates['without']:.3f}")
            time.sleep(0.5)
        micro = per_request_us(tmp)
        server = servers["with"][0]
        workers = ", ".join(f"{rss_mb(pid):.0f}" for pid in children_of(server.pid))
        rss = f"RSS MiB after the load: gunicorn master {rss_mb(server.pid):.0f}, workers {workers}"
    print(f"\n{'POST /v1/comments':<28}{'req/s':>10}{'web CPU ms/req':>18}")
    for side in servers:
        rate = ok[side] / window[side]
        print(f"{side + ' metrics':<28}{rate:>10.1f}{1000 * cpu[side] / ok[side]:>18.2f}")
    overall = (ok["with"] / window["with"]) / (ok["without"] / window["without"])
    print(f"with/without: {overall:.3f} (round by round: {', '.join(by_round)})")
    print(f"the intake's two metric updates, timed alone: {micro:.1f} us per request")
    print(rss)
    return 0


if __name__ == "__main__":
    sys.exit(main())
