"""Console bench: server time to render a queue page of held comments, and its SQL queries.

Run from the repository root: `python -m bench.console [--comments N] [--requests N]`. It owns
what it touches: a fresh PostgreSQL schema (dropped at the end) and a private redis-server. It
seeds N comments (100,000 by default; a tenth held, with a profanity reason whose offsets the
page highlights, the rest approved or rejected, over two sites), signs a moderator of one site
in, and renders `/console/` (50 held comments with highlights, and the first one's card) in
process through the WSGI app, timing each request and counting the SQL statements it runs.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, event, insert, text  # noqa: E402

from moderation.app import create_app  # noqa: E402
from moderation.local.localredis import LocalRedis  # noqa: E402
from moderation.services import build_services  # noqa: E402
from moderation.settings import Settings  # noqa: E402
from moderation.store.console import open_session  # noqa: E402
from moderation.store.ids import new_id  # noqa: E402
from moderation.store.models import Comment, Decision, Moderator  # noqa: E402
from moderation.store.moderators import create_moderator  # noqa: E402
from moderation.store.sites import create_site  # noqa: E402

POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
WORD = "fucking"
OPENINGS = (
    "The council's budget is a",
    "Honestly this reporter is a",
    "What a",
    "I have read this twice and it is a",
)
CLOSINGS = (
    " disgrace, and everyone on the committee knows it.",
    " joke. Do some research next time.",
    " mess of a policy; the figures do not add up at all.",
)


@contextmanager
def schema_url() -> Iterator[str]:
    """A fresh PostgreSQL schema, dropped afterwards."""
    name = "bench_console_" + secrets.token_hex(4)
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{name}"'))
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{name}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()


def _comment(n: int, site_id: str, now: datetime) -> tuple[dict[str, Any], dict[str, Any]]:
    opening, closing = OPENINGS[n % len(OPENINGS)], CLOSINGS[n % len(CLOSINGS)]
    body = f"{opening} {WORD}{closing}"
    start = len(opening) + 1
    status = "held" if n % 10 == 0 else ("rejected" if n % 10 == 1 else "approved")
    at = now - timedelta(seconds=100_000 - n)
    comment_id = new_id()
    reasons = [
        {
            "rule_id": "lexicon",
            "code": "strong_profanity",
            "category": "profanity",
            "severity": 2,
            "action": "hold",
            "term": WORD,
            "start": start,
            "end": start + len(WORD),
            "count": 1,
            "spans": [[start, start + len(WORD)]],
        }
    ]
    comment = {
        "id": comment_id,
        "site_id": site_id,
        "external_id": f"c-{n}",
        "request_digest": "0" * 64,
        "story_id": f"story-{n % 500}",
        "story_url": f"https://planet.example/story-{n % 500}",
        "story_title": f"Story {n % 500}",
        "section": "politics",
        "author_id": f"reader-{n % 5000}",
        "author_name": f"Reader {n % 5000}",
        "body": body,
        "received_at": at,
        "enqueued_at": at,
        "decided_at": at,
        "status": status,
        "revision": 1,
        "categories": ",profanity,",
        "report_weight": 0.0,
    }
    decision = {
        "comment_id": comment_id,
        "revision": 1,
        "action": "hold" if status == "held" else "approve",
        "reasons": reasons if status != "approved" else [],
        "ruleset_version": "bench",
        "decided_at": at,
        "decided_by": "bench",
    }
    return comment, decision


def seed(services: Any, count: int) -> tuple[str, str]:
    """Two sites with `count` comments between them; the moderator's site id and a cookie."""
    now = datetime.now(UTC)
    with services.db.session() as session:
        planet = create_site(session, "planet").site_id
        gazette = create_site(session, "gazette").site_id
        create_moderator(session, "lois", sites=["planet"], is_admin=False)
    started = time.perf_counter()
    batch = 5000
    for first in range(0, count, batch):
        pairs = [
            _comment(n, planet if n % 4 else gazette, now)
            for n in range(first, min(count, first + batch))
        ]
        with services.db.session() as session:
            session.execute(insert(Comment), [c for c, _ in pairs])
            session.execute(insert(Decision), [d for _, d in pairs])
    with services.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.execute(text("VACUUM ANALYZE comments"))
        c.execute(text("VACUUM ANALYZE decisions"))
    print(f"seeded {count:,} comments in {time.perf_counter() - started:.1f} s")
    with services.db.session() as session:
        moderator = session.query(Moderator).filter_by(name="lois").one()
        cookie = open_session(session, moderator, now=now, lifetime=timedelta(hours=1))
    return planet, cookie


def measure(client: Any, engine: Any, path: str, requests: int) -> tuple[list[float], set[int]]:
    """Milliseconds per request and the distinct numbers of SQL statements per request."""
    statements = [0]

    def count(*_args: Any) -> None:
        statements[0] += 1

    event.listen(engine, "before_cursor_execute", count)
    times, per_page = [], set()
    try:
        for _ in range(20):  # warm: connection pool, templates, plan caches
            assert client.get(path).status_code == 200
        for _ in range(requests):
            statements[0] = 0
            started = time.perf_counter()
            answer = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            assert answer.status_code == 200
            per_page.add(statements[0])
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return times, per_page


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    """Seed, then time the queue page at 10 and 50 rows, and the second page."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    redis = LocalRedis().start()
    try:
        with schema_url() as url:
            settings = replace(
                Settings.from_env({}), database_url=url, redis_url=redis.url, log_level="WARNING"
            )
            services = build_services(settings)
            try:
                services.db.upgrade()
                _, cookie = seed(services, args.comments)
                client = create_app(services=services).test_client()
                client.set_cookie("console_session", cookie, domain="localhost", path="/console")
                page = client.get("https://localhost/console/?limit=50").get_data(as_text=True)
                rows, marks = page.count('<li class="row'), page.count("<mark")
                print(f"held rows on the page: {rows}, highlights: {marks}")
                base, _ = measure(client, services.db.engine, "/readyz", args.requests)
                baseline = statistics.median(base)
                print(f"{'baseline GET /readyz':26} p50 {baseline:6.1f} ms")
                for label, path in (
                    ("queue, 50 rows + card", "https://localhost/console/?limit=50"),
                    ("queue, 50, most severe", "https://localhost/console/?limit=50&order=severe"),
                    ("queue, 10 rows + card", "https://localhost/console/?limit=10"),
                    ("queue, 50 rows, search", "https://localhost/console/?limit=50&q=joke"),
                ):
                    times, per_page = measure(client, services.db.engine, path, args.requests)
                    p50 = statistics.median(times)
                    print(
                        f"{label:26} p50 {p50:6.1f} ms  "
                        f"p99 {_percentile(times, 0.99):6.1f} ms  "
                        f"({p50 / baseline:.1f} x /readyz)  "
                        f"SQL statements per page {sorted(per_page)}"
                    )
            finally:
                services.close()
    finally:
        redis.stop()


if __name__ == "__main__":
    main()
