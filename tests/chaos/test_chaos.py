"""Chaos on PostgreSQL: comments posted while workers, Redis and the database fail.

Every accepted comment must end with exactly one decision and one `decided` audit entry; every
request refused during an outage must be a 503 with Retry-After, and none a 500.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from moderation.local.localredis import LocalRedis, free_port
from moderation.services import Services, build_services
from moderation.store.models import AuditEntry, Comment, Decision
from tests.chaos.cluster import PrivateCluster, find_bin
from tests.chaos.load import Answer, Poster
from tests.conftest import make_settings
from tests.helpers import make_site, start_web, start_worker

pytestmark = pytest.mark.chaos

NO_PERSISTENCE = ("--save", "", "--appendonly", "no")
AOF = ("--save", "", "--appendonly", "yes", "--appendfsync", "everysec")
#: Seconds of posting per fault, and when in it the fault strikes.
PHASE_SECONDS = 9.0
STRIKE_AT = 1.5
#: A comment decided this long after it was accepted (or after the fault ended) is late.
LATE_SECONDS = 5.0


@pytest.fixture(scope="module")
def cluster() -> Iterator[PrivateCluster]:
    """A PostgreSQL cluster of this module's own, removed afterwards whatever happens."""
    bin_dir = find_bin()
    if bin_dir is None:
        pytest.skip("no PostgreSQL server programs (initdb, pg_ctl) on this machine")
    private = PrivateCluster(bin_dir)
    try:
        private.init().start()
        yield private
    finally:
        private.remove()


@dataclass
class Stack:
    """The service as deployed: Redis, gunicorn, two workers, on the private cluster."""

    folder: Path
    cluster: PrivateCluster
    redis: LocalRedis
    services: Services
    web: subprocess.Popen[bytes] | None = None
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def _log(self, name: str) -> int:
        return os.open(self.folder / name, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

    def start_workers(self, count: int = 2) -> None:
        """Start worker processes (their logs go to files in the test's folder)."""
        for _ in range(count):
            self.workers.append(
                start_worker(self.services.settings, stderr=self._log("workers.log"))
            )

    def kill_workers(self, count: int = 2) -> None:
        """SIGKILL workers and the schedulers they forked, as the OOM killer would."""
        for worker in self.workers[:count]:
            _kill_group(worker, signal.SIGKILL)
        del self.workers[:count]

    def restart_redis(self, args: tuple[str, ...], down: float) -> float:
        """Kill Redis, leave it down for `down` seconds, start it with `args`; when it is back."""
        self.redis.kill()
        time.sleep(down)
        self.redis = LocalRedis(port=self.redis.port, args=args, data_dir=self.redis.data_dir)
        self.redis.start()
        return time.time()

    def stop(self) -> None:
        """Stop the web, the workers and Redis, even half-started."""
        for process in [*self.workers, *([self.web] if self.web else [])]:
            _kill_group(process, signal.SIGTERM)
        for process in [*self.workers, *([self.web] if self.web else [])]:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                _kill_group(process, signal.SIGKILL)
        self.redis.kill()
        self.services.close()


def _kill_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        return
    if sig == signal.SIGKILL:
        process.wait(timeout=10)


@pytest.fixture
def stack(cluster: PrivateCluster, tmp_path: Path) -> Iterator[Stack]:
    """Redis without persistence, gunicorn with two workers, two moderation workers."""
    redis_dir = tmp_path / "redis"
    redis_dir.mkdir()
    redis = LocalRedis(args=NO_PERSISTENCE, data_dir=redis_dir).start()
    settings = make_settings(
        cluster.url,
        redis.url,
        bind=f"127.0.0.1:{free_port()}",
        web_workers=2,
        sweep_after=3,
        sweep_interval=2,
        job_retries=3,
        key_cache_seconds=30,  # as deployed: a cached key must not turn an outage into a 500
    )
    services = build_services(settings)
    built = Stack(tmp_path, cluster, redis, services)
    try:
        services.db.upgrade()
        built.web = start_web(
            settings,
            workers=2,
            stdout=subprocess.DEVNULL,
            stderr=built._log("web.log"),
            start_new_session=True,
        )
        built.start_workers()
        yield built
    finally:
        built.stop()


def _workers_killed(stack: Stack) -> float:
    stack.kill_workers()
    time.sleep(1.0)
    stack.start_workers()
    time.sleep(2.0)
    stack.kill_workers(1)  # one again, mid-work, while the other carries on
    stack.start_workers(1)
    return time.time()


def _redis_lost(stack: Stack) -> float:
    # Down 3 s, back empty (no persistence), and from now on with an append-only file.
    return stack.restart_redis(AOF, down=3.0)


def _redis_aof(stack: Stack) -> float:
    return stack.restart_redis(AOF, down=3.0)


def _postgres_stopped(stack: Stack) -> float:
    # Immediate: no checkpoint, clients cut off mid-statement, recovery from WAL at start.
    stack.cluster.stop("immediate")
    time.sleep(4.0)
    stack.cluster.start()
    return time.time()


#: Each fault, in order, and what it does; it returns when the service was whole again.
FAULTS: dict[str, Callable[[Stack], float]] = {
    "none (baseline)": lambda stack: time.time(),
    "2 workers SIGKILLed, then 1": _workers_killed,
    "Redis killed, no persistence": _redis_lost,
    "Redis killed, AOF": _redis_aof,
    "PostgreSQL stopped 4 s": _postgres_stopped,
}


def _run_fault(stack: Stack, poster: Poster, name: str) -> float:
    """Post for PHASE_SECONDS with the fault striking at STRIKE_AT; when it was over."""
    stop = threading.Event()
    posting = threading.Thread(target=poster.run, args=(name, stop), daemon=True)
    posting.start()
    time.sleep(STRIKE_AT)
    struck = time.monotonic()
    recovered = FAULTS[name](stack)
    time.sleep(max(0.0, PHASE_SECONDS - STRIKE_AT - (time.monotonic() - struck)))
    stop.set()
    posting.join(timeout=60)
    return recovered


def _decisions(services: Services, ids: set[str]) -> dict[str, tuple[int, datetime | None]]:
    """Each comment's (number of decisions, first decided_at); comments not found are absent."""
    with services.db.session() as session:
        known = set(session.scalars(select(Comment.id)))
        rows = session.execute(
            select(Decision.comment_id, func.count(), func.min(Decision.decided_at)).group_by(
                Decision.comment_id
            )
        ).all()
    found = {row[0]: (int(row[1]), row[2]) for row in rows}
    return {cid: found.get(cid, (0, None)) for cid in ids if cid in known}


def _audited(services: Services) -> dict[str, int]:
    with services.db.session() as session:
        rows = session.execute(
            select(AuditEntry.comment_id, func.count())
            .where(AuditEntry.action == "decided")
            .group_by(AuditEntry.comment_id)
        ).all()
    return {row[0]: int(row[1]) for row in rows}


def _wait_all_decided(services: Services, ids: set[str], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        decided = _decisions(services, ids)
        if len(decided) == len(ids) and all(n >= 1 for n, _ in decided.values()):
            return
        time.sleep(0.5)


def test_every_accepted_comment_is_decided_once_through_every_fault(
    stack: Stack, figures: list[str]
) -> None:
    key = make_site(stack.services, "chaos")
    host, port = stack.services.settings.bind.split(":")
    poster = Poster(host, int(port), key, threads=4, per_second=100)
    recovered = {name: _run_fault(stack, poster, name) for name in FAULTS}
    accepted = {cid for answer in poster.answers for cid in answer.accepted}
    _wait_all_decided(stack.services, accepted, timeout=60)
    decisions = _decisions(stack.services, accepted)
    audited = _audited(stack.services)

    table = _table(poster.answers, decisions, audited, recovered)
    (stack.folder / "chaos.txt").write_text("\n".join(table) + "\n")
    figures.extend(table)

    assert [w.pid for w in stack.workers if w.poll() is not None] == [], "a worker quit by itself"
    refused = [a for a in poster.answers if a.status not in (200, 202)]
    assert not [a for a in refused if a.status != 503], "answers other than 503 (0: no answer)"
    assert all(a.retry_after for a in refused), "a 503 without Retry-After"
    assert {a.fault for a in refused} <= {"PostgreSQL stopped 4 s"}, "a 503 with the database up"
    batches = [a for a in poster.answers if a.status == 200]
    assert all(len(a.accepted) == a.posted for a in batches), "a batch item refused"
    lost = accepted - decisions.keys()
    assert not lost, f"{len(lost)} accepted comments are not on record"
    assert {cid for cid, (n, _) in decisions.items() if n != 1} == set(), "not one decision each"
    assert {cid for cid in accepted if audited.get(cid) != 1} == set(), "not one decided entry each"


def _table(
    answers: list[Answer],
    decisions: dict[str, tuple[int, datetime | None]],
    audited: dict[str, int],
    recovered: dict[str, float],
) -> list[str]:
    """Per fault: posted, 202, 503, other, exactly-one-decision, late, slowest."""
    head = f"{'fault':<30}{'posted':>8}{'202':>7}{'503':>6}{'other':>7}{'one':>7}{'late':>6}"
    lines = [f"chaos: {head}{'slowest':>10}"]
    for fault, back in recovered.items():
        mine = [a for a in answers if a.fault == fault]
        once = late = 0
        slowest = 0.0
        for answer in mine:
            for cid in answer.accepted:
                count, decided_at = decisions.get(cid, (0, None))
                once += count == 1 and audited.get(cid) == 1
                if decided_at is not None:
                    took = decided_at.timestamp() - answer.at
                    slowest = max(slowest, took)
                    late += decided_at.timestamp() - max(answer.at, back) > LATE_SECONDS
        row = (
            f"{fault:<30}{sum(a.posted for a in mine):>8}{sum(len(a.accepted) for a in mine):>7}"
            f"{sum(a.status == 503 for a in mine):>6}"
            f"{sum(a.status not in (200, 202, 503) for a in mine):>7}{once:>7}{late:>6}"
            f"{slowest:>9.1f}s"
        )
        lines.append(f"chaos: {row}")
    return lines
