"""Throughput of the engine vs better-profanity, on real text, worst cases, and worker RSS."""

from __future__ import annotations

import csv
import dataclasses
import os
import random
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from better_profanity import Profanity

from moderation.engine import Context, Engine
from moderation.engine.loader import load

ROOT = Path(__file__).resolve().parent.parent
WORDS = [
    "the",
    "council",
    "voted",
    "on",
    "tuesday",
    "to",
    "approve",
    "a",
    "new",
    "budget",
    "for",
    "roads",
    "schools",
    "and",
    "parks",
    "residents",
    "said",
    "they",
    "were",
    "worried",
    "about",
    "traffic",
    "while",
    "the",
    "mayor",
    "promised",
    "more",
    "police",
    "officers",
    "in",
    "the",
    "downtown",
    "district",
    "after",
    "last",
    "week's",
    "storm",
    "damaged",
    "several",
    "homes",
]
# About one typical comment in ten carries a trigger (profanity, link, phone, threat).
SPICE_RATE = 0.002
SPICE = [
    "damn",
    "shit",
    "fuuuck",
    "Dick Cheney",
    "kill the bill",
    "http://example.com/x",
    "call 555-123-4567",
    "I will kill you",
    "magna cum laude",
    "f.u.c.k",
]


def comment(rng: random.Random, length: int) -> str:
    """A news-like comment of about `length` characters, sometimes with a rule trigger."""
    words: list[str] = []
    size = 0
    while size < length:
        word = rng.choice(SPICE) if rng.random() < SPICE_RATE else rng.choice(WORDS)
        words.append(word)
        size += len(word) + 1
    return " ".join(words)[:length].capitalize() + "."


def rate(fn: Callable[[str], object], texts: list[str], budget: float = 2.0) -> float:
    """Calls per second of fn over texts, within about `budget` seconds."""
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < budget:
        for text in texts:
            fn(text)
        done += len(texts)
    return done / (time.perf_counter() - start)


def main() -> None:
    """Print the figures."""
    rng = random.Random(7)
    engine = Engine.from_directory(ROOT / "config")
    ctx = Context(site="bench", author_prior_comments=10)
    bp = Profanity()  # an instance, never the module-level singleton
    moderate = lambda t: engine.moderate(t, ctx)  # noqa: E731
    mix = [comment(rng, rng.choice((80, 150, 300, 300, 300, 450, 600))) for _ in range(500)]
    mix += [comment(rng, 5000) for _ in range(5)]
    typical = [comment(rng, 300) for _ in range(300)]
    ours, ref = rate(moderate, typical), rate(bp.contains_profanity, typical[:30], 3.0)
    print(
        f"typical (~300 chars): engine {ours:,.0f}/s  better-profanity {ref:,.1f}/s  "
        f"ratio {ours / ref:,.0f}x  (targets: >= 50,000/s; Rust port ~46,000/s)"
    )
    ours_mix, ref_mix = rate(moderate, mix), rate(bp.contains_profanity, mix[:20], 3.0)
    print(
        f"mixed (80-600 chars + 1% 5,000 chars): engine {ours_mix:,.0f}/s  "
        f"better-profanity {ref_mix:,.1f}/s  ratio {ours_mix / ref_mix:,.0f}x"
    )
    print("time per 1,000 characters (must grow linearly):")
    for n in (100, 1000, 10000):
        texts = [comment(rng, n) for _ in range(20)]
        per = 1e6 / rate(moderate, texts, 1.0) * 1000 / n
        bp_per = 1e6 / rate(bp.contains_profanity, texts[:2], 1.5) * 1000 / n
        print(
            f"  {n:>6} chars: engine {per:8.1f} us/1k chars   better-profanity {bp_per:10.0f} us/1k"
        )
    real_comments(engine, ctx)
    worst_case(moderate, rng)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"max RSS of this process (engine + better-profanity loaded): {rss:.1f} MiB (target <= 80)"
    )
    for store, url in STORES.items():
        baseline, started, working = worker_rss(url)
        print(
            f"RSS of a worker process on {store} (RQ, Redis, SQLAlchemy and the engine loaded): "
            f"{started:.1f} MiB as it starts, {working:.1f} MiB after deciding 16,100 real "
            f"comments; of the same imports without the engine: {baseline:.1f} MiB; the engine "
            f"and its model add {started - baseline:.1f} MiB (target for the worker <= 100)"
        )


# Real comment text: (label, file under ../shared/data, column).
REAL = [
    ("Civil Comments", "civil-comments-toxic-spans/comments.csv", "comment_text"),
    ("Wikipedia talk", "wiki-talk-context/gn.csv", "text"),
]
# Packed text: one unit repeated to the length measured.
PACKED = {
    "fuck": "fuck ",
    "mixed terms": "shit fuck cunt bitch asshole ",
    "no spaces": "fuck",
    "spaced out": "f u c k ",
    "elongated": "fuuuuck ",
    "leetspeak": "sh!t f*ck ",
    "look-alike": "fu\u0441k ",
    "entity": "f&#117;ck ",
    "handles": "@fuck",
    "names (spared)": "Dick ",
    "allowlisted": "Dick Van Dyke ",
    "threats": "i will kill you ",
    "group names": "muslims and black people ",
    "people named": "the cop who talks to me will find it. ",
    "links": "http://bit.ly/x ",
    "one long word": "a",
}
SIZES = (100, 1_000, 10_000, 100_000)


def real_comments(engine: Engine, ctx: Context) -> None:
    """Comments per second on real text: the lexicon alone, and with the model (the baseline).

    With the model, one comment at a time (`moderation check`, a quiet worker) and in batches
    of 200 (a worker under load: MODERATION_JOB_BATCH_SIZE), which is what the target is for.
    """
    config = load(ROOT / "config")
    rules = [r for r in config.data["rules"] if r["type"] != "model"]
    lexicon = Engine(dataclasses.replace(config, data={**config.data, "rules": rules}))
    data = ROOT.parent / "shared" / "data"
    for label, path, column in REAL:
        if not (data / path).exists():
            print(f"real comments, {label}: {data / path} not found, skipped")
            continue
        with (data / path).open(encoding="utf-8") as fh:
            texts = [row[column] for row in csv.DictReader(fh)]
        mean = sum(map(len, texts)) / len(texts)
        alone = rate(lambda t: lexicon.moderate(t, ctx), texts)
        single = rate(lambda t: engine.moderate(t, ctx), texts)
        batches = [[(t, ctx) for t in texts[i : i + 200]] for i in range(0, len(texts), 200)]
        start, done = time.perf_counter(), 0
        while time.perf_counter() - start < 2.0:
            for batch in batches:
                engine.moderate_many(batch)
            done += len(texts)
        batched = done / (time.perf_counter() - start)
        print(
            f"real comments, {label} ({len(texts):,}, mean {mean:,.0f} chars): "
            f"lexicon alone {alone:,.0f}/s; lexicon + model {single:,.0f}/s one at a time "
            f"({single / alone:.2f}x), {batched:,.0f}/s in batches of 200 "
            f"({batched / alone:.2f}x; target >= 20,000/s)"
        )


def per_kilochar(moderate: Callable[[str], object], texts: list[str]) -> float:
    """Microseconds per 1,000 characters to decide `texts`: the best of several rounds.

    CPU time of this process, not wall time, so that other work on the machine does not
    inflate one side of a ratio.
    """
    size = sum(map(len, texts))
    rounds = max(3, min(30, 2_000_000 // size))
    best = min(_cpu_time(moderate, texts) for _ in range(rounds))
    return best * 1e9 / size


def _cpu_time(moderate: Callable[[str], object], texts: list[str]) -> float:
    start = time.process_time()
    for text in texts:
        moderate(text)
    return time.process_time() - start


def worst_case(moderate: Callable[[str], object], rng: random.Random) -> None:
    """Packed text against ordinary text of the same length, each measured in this run."""
    print(
        "worst case, us per 1,000 characters (and x ordinary text of the same length; "
        "target at 10,000: <= 3x):"
    )
    print(f"  {'':16}" + "".join(f"{n:>18,}" for n in SIZES))
    ordinary = {n: per_kilochar(moderate, [comment(rng, n) for _ in range(10)]) for n in SIZES}
    print(f"  {'ordinary':16}" + "".join(f"{ordinary[n]:18.1f}" for n in SIZES))
    for name, unit in PACKED.items():
        cells = []
        for n in SIZES:
            per = per_kilochar(moderate, [(unit * (n // len(unit) + 1))[:n]])
            cells.append(f"{per:10.1f} {per / ordinary[n]:5.1f}x ")
        print(f"  {name:16}" + "".join(cells))


_WORKER_RSS = """
import csv, sys
from pathlib import Path
from moderation.engine import Context
from moderation.services import build_services
from moderation.settings import Settings
import workers.jobs, workers.main
def rss():
    return int(open("/proc/self/status").read().split("VmRSS:")[1].split()[0]) / 1024
if sys.argv[1] == "imports":
    print(rss())
    sys.exit()
engine = build_services(Settings.from_env()).rules.engine()
print(rss())
# Then a worker's day: real comments in batches of 200, streamed so only a batch is held.
ctx = Context(site="bench", author_prior_comments=10)
with open(sys.argv[2], encoding="utf-8") as fh:
    batch = []
    for row in csv.DictReader(fh):
        batch.append((row["comment_text"], ctx))
        if len(batch) == 200:
            engine.moderate_many(batch)
            batch = []
print(rss())
"""


#: A worker's store decides what it loads: only PostgreSQL's needs psycopg and libpq.
STORES = {
    "SQLite": "",  # the embedded default
    "PostgreSQL": os.environ.get(
        "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    ),
}


def worker_rss(database_url: str) -> tuple[float, float, float]:
    """VmRSS of a fresh process with a worker's imports; with the engine built; and after it
    has decided the Civil Comments set (its memo of unseen words full, its heap grown)."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    if database_url:
        env["DATABASE_URL"] = database_url

    def measure(what: str) -> list[float]:
        comments = ROOT.parent / "shared" / "data" / REAL[0][1]
        out = subprocess.run(
            [sys.executable, "-c", _WORKER_RSS, what, str(comments)],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
        return [float(line) for line in out.stdout.split()]

    (baseline,) = measure("imports")
    started, working = measure("engine")
    return baseline, started, working


if __name__ == "__main__":
    main()
