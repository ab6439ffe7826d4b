"""Retry timing: exponential backoff with jitter, Retry-After honoured and capped."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from moderation.webhooks.backoff import backoff_delay, parse_retry_after, retry_delay

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("attempt", "step"), [(1, 5), (2, 10), (3, 20), (6, 160)])
def test_delay_doubles_with_each_attempt_within_its_jitter(attempt, step):
    rng = random.Random(7)
    delays = [backoff_delay(attempt, base=5, cap=3600, rng=rng) for _ in range(200)]

    assert all(step / 2 <= d <= step for d in delays)
    assert len(set(delays)) > 100  # jittered, not a fixed schedule


def test_delay_is_capped():
    assert backoff_delay(40, base=5, cap=60, rng=random.Random(1)) <= 60


def test_retry_after_in_seconds_and_as_an_http_date():
    later = format_datetime(NOW + timedelta(seconds=90), usegmt=True)

    assert parse_retry_after("120", now=NOW) == 120
    assert parse_retry_after(later, now=NOW) == 90
    assert parse_retry_after(format_datetime(NOW - timedelta(hours=1), usegmt=True), now=NOW) == 0


@pytest.mark.parametrize("value", [None, "", "soon", "-5", "1.5"])
def test_unusable_retry_after_is_ignored(value):
    assert parse_retry_after(value, now=NOW) is None


def test_retry_after_lengthens_the_wait_but_is_capped():
    rng = random.Random(3)

    assert retry_delay(1, base=1, cap=600, retry_after=120, rng=rng) == 120
    assert retry_delay(1, base=1, cap=600, retry_after=86_400, rng=rng) == 600


def test_retry_after_never_shortens_our_backoff():
    delay = retry_delay(5, base=10, cap=3600, retry_after=0, rng=random.Random(5))

    assert delay >= 80
