"""When to retry a failed delivery: exponential backoff with jitter, or what Retry-After asks."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


def backoff_delay(
    attempt: int, *, base: float, cap: float, rng: random.Random | None = None
) -> float:
    """Seconds to wait after the `attempt`-th failure (1 for the first).

    "Equal jitter": half of the exponential step is kept, half is random, so endpoints that
    failed together do not all come back at once, yet no retry follows its failure immediately.
    """
    step = min(cap, base * 2.0 ** max(0, attempt - 1))
    rand = (rng or random).random()
    return step / 2 + step / 2 * rand


def parse_retry_after(value: str | None, *, now: datetime) -> float | None:
    """The seconds a Retry-After header asks for (delta-seconds or HTTP-date); None if unusable."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def retry_delay(
    attempt: int,
    *,
    base: float,
    cap: float,
    retry_after: float | None = None,
    rng: random.Random | None = None,
) -> float:
    """Seconds until the next attempt: our backoff, or longer if the endpoint asked; never past cap.

    An endpoint's Retry-After may lengthen the wait but not shorten it below our own backoff
    (a `Retry-After: 0` must not turn retries into a tight loop), and is capped so one answer
    cannot park a delivery for days.
    """
    delay = backoff_delay(attempt, base=base, cap=cap, rng=rng)
    if retry_after is not None:
        delay = max(delay, min(retry_after, cap))
    return delay
