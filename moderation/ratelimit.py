"""Request budgets per site, counted in Redis so every web process shares them (GCRA)."""

from __future__ import annotations

import logging
import math
import re
import time
from dataclasses import dataclass

from redis import Redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(s|m|h)\s*$")
_PERIODS = {"s": 1, "m": 60, "h": 3600}
#: Seconds the limiter stands aside after Redis failed: a request must not wait on a dead Redis.
PAUSE_AFTER_FAILURE = 5.0

# The generic cell rate algorithm: the key holds when the bucket would next be empty (its
# "theoretical arrival time", in microseconds of the server's clock, which every process
# shares). A request is allowed when that lies less than a whole burst ahead of now.
_SCRIPT = """
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local allow_at = tat + interval - burst * interval
if now < allow_at then
    return {0, 0, allow_at - now, tat - now}
end
local new_tat = tat + interval
local ttl = math.ceil((new_tat - now) / 1000) + 1
redis.call('SET', KEYS[1], string.format('%d', new_tat), 'PX', ttl)
return {1, math.floor((now - (new_tat - burst * interval)) / interval), 0, new_tat - now}
"""


@dataclass(frozen=True)
class Rate:
    """A budget: `count` requests per `period` seconds, all of them usable at once."""

    count: int
    period: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        """`N/s`, `N/m` or `N/h`; ValueError otherwise."""
        match = _RATE.match(text)
        if match is None or int(match.group(1)) < 1:
            raise ValueError(f"a rate is N/s, N/m or N/h with N at least 1, not {text!r}")
        return cls(int(match.group(1)), _PERIODS[match.group(2)])

    def __str__(self) -> str:
        unit = {period: unit for unit, period in _PERIODS.items()}[self.period]
        return f"{self.count}/{unit}"


@dataclass(frozen=True)
class Verdict:
    """Whether a request may go on, and what the RateLimit-* headers say of the budget."""

    allowed: bool
    limit: int
    remaining: int
    #: Seconds until the whole budget is available again.
    reset: int
    #: Seconds to wait before a request would be allowed (0 when allowed).
    retry_after: int

    def headers(self, rate: Rate) -> dict[str, str]:
        """The IETF draft's headers (draft-ietf-httpapi-ratelimit-headers)."""
        return {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset),
            "RateLimit-Policy": f"{rate.count};w={rate.period}",
        }


class RateLimiter:
    """Counts each site's requests in Redis under the given key prefix."""

    def __init__(self, *, connection: Redis, prefix: str) -> None:
        self._redis = connection
        self._prefix = prefix
        self._script = connection.register_script(_SCRIPT)
        self._paused_until = 0.0

    def check(self, site_id: str, rate: Rate) -> Verdict | None:
        """Take one request from the site's budget; None when Redis cannot be asked.

        Fails open: a Redis outage must not stop the intake, which records comments without
        Redis. After a failure the limiter stands aside PAUSE_AFTER_FAILURE seconds.
        """
        if time.monotonic() < self._paused_until:
            return None
        interval = rate.period * 1_000_000 // rate.count
        try:
            allowed, remaining, wait, reset = self._script(
                keys=[f"{self._prefix}{site_id}"], args=[interval, rate.count]
            )
        except RedisError as error:
            log.warning("rate limits not counted for %.0f s: %s", PAUSE_AFTER_FAILURE, error)
            self._paused_until = time.monotonic() + PAUSE_AFTER_FAILURE
            return None
        return Verdict(
            allowed=bool(allowed),
            limit=rate.count,
            remaining=int(remaining),
            reset=math.ceil(int(reset) / 1_000_000),
            retry_after=max(1, math.ceil(int(wait) / 1_000_000)) if not allowed else 0,
        )
