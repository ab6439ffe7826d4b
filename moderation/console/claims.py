"""Claims: opening a comment keeps it for one moderator two minutes, so two do not work it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from redis import Redis
from redis.exceptions import RedisError

#: How long opening a comment keeps it for the moderator who opened it.
CLAIM_SECONDS = 120
_PREFIX = "moderation:console:claim:"


def claim(redis: Redis, comment_id: str, moderator: str) -> str:
    """Claim a comment unless another moderator holds it; returns who holds it now."""
    key = _PREFIX + comment_id
    try:
        if redis.set(key, moderator, nx=True, ex=CLAIM_SECONDS):
            return moderator
        holder = cast(bytes | None, redis.get(key))
        if holder is None or holder.decode() == moderator:
            redis.set(key, moderator, ex=CLAIM_SECONDS)
            return moderator
        return holder.decode()
    except RedisError:
        # Fail open: a claim only spares duplicate work; without Redis the console still works.
        return moderator


def holders(redis: Redis, comment_ids: Sequence[str]) -> dict[str, str]:
    """Who holds each claimed comment among these, in one round trip."""
    if not comment_ids:
        return {}
    try:
        found = cast(list[bytes | None], redis.mget([_PREFIX + cid for cid in comment_ids]))
    except RedisError:
        return {}
    return {cid: v.decode() for cid, v in zip(comment_ids, found, strict=True) if v is not None}


def release(redis: Redis, comment_ids: Sequence[str]) -> None:
    """Let go of comments a verdict has settled."""
    if comment_ids:
        try:
            redis.delete(*(_PREFIX + cid for cid in comment_ids))
        except RedisError:
            return
