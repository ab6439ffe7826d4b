"""Story-page bench: a page of 50 approved comments from a PostgreSQL store of many comments.

Run from the repository root: `python -m bench.stories [--comments N] [--requests N]`. It fills
a fresh PostgreSQL schema (dropped at the end) with one set-based INSERT … SELECT over
generate_series, gathers planner statistics, and times `GET /v1/comments` through the app
(key check, query-string schema, SQL, JSON) in this process: p50 and p99 per kind of page.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import bindparam, create_engine, select, text  # noqa: E402

from moderation.app import create_app  # noqa: E402
from moderation.local.localredis import LocalRedis  # noqa: E402
from moderation.services import build_services  # noqa: E402
from moderation.settings import Settings  # noqa: E402
from moderation.store import listing, paging  # noqa: E402
from moderation.store.models import Comment  # noqa: E402
from moderation.store.sites import create_site  # noqa: E402

POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
#: Comments per ordinary story, on average; one story in twenty of the rows is a big one.
PER_STORY = 60
BIG_SHARE = 20
PAGE = 50

# Ids sort as the service's do (time order), statuses are 80% approved, 1 in 5 comments is
# a reply to the comment before it on its story, and the big story takes every 20th row.
_SEED = """
INSERT INTO comments (id, site_id, external_id, request_digest, story_id, section, author_id,
    author_name, parent_id, body, received_at, status, revision, enqueued_at, decided_at,
    categories, report_weight)
SELECT '01' || lpad(g::text, 24, '0'), :site_id, 'c-' || g, md5(g::text),
    CASE WHEN g % :big_share = 0 THEN 's-big' ELSE 's-' || (g % :stories) END,
    'politics', 'u-' || (g % 50000), 'Reader ' || (g % 50000),
    CASE WHEN g % 5 = 0 AND g % :big_share <> 0 AND g > :stories
        THEN 'c-' || (g - :stories) END,
    'Comment ' || g || ' on the bypass plan and the council budget.',
    moment,
    CASE WHEN g % 10 < 8 THEN 'approved' WHEN g % 10 = 8 THEN 'held' ELSE 'rejected' END,
    1, moment, moment, '', 0
FROM generate_series(1, :count) AS g,
    LATERAL (SELECT CAST(:start AS timestamptz) + g * interval '1 millisecond' AS moment) AS t
"""


def _timed(client, headers, paths: list[str]) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for path in paths:
        started = time.perf_counter()
        response = client.get(path, headers=headers)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path}: {response.status_code} {response.get_data(as_text=True)}")
    return times


def _queried(services, site_id: str, stories: list[str]) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for story in stories:
        started = time.perf_counter()
        with services.db.autocommit() as session:  # as the view reads it
            listing.list_comments(
                session,
                listing.Listing(site_id=site_id, story_id=story, status="approved"),
                after=None,
                limit=PAGE,
                newest_first=False,
            )
        times.append((time.perf_counter() - started) * 1000)
    return times


def _executed(services, site_id: str, stories: list[str]) -> list[float]:  # type: ignore[no-untyped-def]
    """The server's own time for the page's query (EXPLAIN ANALYZE): no client, no round trip."""
    statement = paging.by_id(
        select(*listing.COLUMNS).where(
            Comment.site_id == site_id,
            Comment.story_id == bindparam("story"),
            Comment.status == "approved",
        ),
        after=None,
        newest_first=False,
    ).limit(PAGE + 1)
    sql = str(statement.compile(dialect=services.db.engine.dialect))
    times = []
    with services.db.engine.connect() as connection:
        for story in stories:
            plan = connection.exec_driver_sql(
                f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}",
                {"site_id_1": site_id, "story": story, "status_1": "approved", "param_1": PAGE + 1},
            ).scalar_one()
            times.append(float(plan[0]["Execution Time"]))
    return times


def _report(name: str, times: list[float]) -> None:
    ordered = sorted(times)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    print(
        f"{name:<44} n={len(times):>5}  p50 {statistics.median(times):6.2f} ms"
        f"  p99 {p99:6.2f} ms  max {ordered[-1]:6.2f} ms"
    )


def main() -> None:
    """Seed, time, report, drop."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    schema = "bench_" + secrets.token_hex(6)
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    redis = LocalRedis().start()  # a private one: the pages never touch it, the app wants one
    settings = Settings(
        database_url=f"{POSTGRES_URL}?options=-csearch_path%3D{schema}",
        redis_url=redis.url,
        log_level="WARNING",
    )
    services = build_services(settings)
    try:
        services.db.upgrade()
        with services.db.session() as session:
            site = create_site(session, "daily-planet")
        stories = max(1, args.comments // PER_STORY)
        started = time.perf_counter()
        with services.db.engine.begin() as connection:
            connection.execute(
                text(_SEED),
                {
                    "site_id": site.site_id,
                    "count": args.comments,
                    "stories": stories,
                    "big_share": BIG_SHARE,
                    "start": "2026-01-01T00:00:00+00:00",
                },
            )
        seeded = time.perf_counter() - started
        with services.db.engine.connect().execution_options(
            isolation_level="AUTOCOMMIT"
        ) as connection:
            connection.execute(text("VACUUM ANALYZE comments"))
        print(
            f"seeded {args.comments:,} comments on {stories:,} stories + s-big "
            f"({args.comments // BIG_SHARE:,}) in {seeded:.1f} s (with VACUUM ANALYZE after)"
        )
        client = create_app(services=services).test_client()
        headers = {"Authorization": f"Bearer {site.api_key}"}
        rng = random.Random(18)
        pick = [f"s-{rng.randrange(stories)}" for _ in range(args.requests)]
        base = f"/v1/comments?status=approved&limit={PAGE}&story_id="
        _timed(client, headers, [base + s for s in pick[:100]])  # warm the pool and the caches
        _report("story page, oldest first", _timed(client, headers, [base + s for s in pick]))
        _report("  the same, its query alone", _queried(services, site.site_id, pick))
        _report("  the same, PostgreSQL's execution time", _executed(services, site.site_id, pick))
        newest = [f"{base}{s}&order=newest" for s in pick]
        _report("story page, newest first", _timed(client, headers, newest))
        threads = [f"/v1/comments?thread=true&limit={PAGE}&story_id={s}" for s in pick]
        _report("story page, thread=true", _timed(client, headers, threads))
        big = [f"{base}s-big&order=newest"] * args.requests
        _report(
            f"big story ({args.comments // BIG_SHARE:,}), first page", _timed(client, headers, big)
        )
        deep = client.get(f"{base}s-big&limit=200", headers=headers).get_json()["next_cursor"]
        later = [f"{base}s-big&cursor={deep}"] * args.requests
        _report("big story, page after a cursor", _timed(client, headers, later))
        authors = [f"/v1/comments?limit={PAGE}&author_id=u-{rng.randrange(50000)}" for _ in pick]
        _report("an author's comments", _timed(client, headers, authors))
    finally:
        services.close()
        redis.stop()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
