"""Identifiers and secrets: sortable comment ids, site keys and their digests."""

from __future__ import annotations

import hashlib
import os
import secrets
import time

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base32, lower case

#: Every site key starts with this, so a leaked key is easy to recognise in logs and scanners.
KEY_PREFIX = "msk_"


def new_id() -> str:
    """A 26-character, time-ordered, random id (ULID layout) for comments and sites."""
    value = (time.time_ns() // 1_000_000) << 80 | int.from_bytes(os.urandom(10), "big")
    chars = []
    for _ in range(26):
        chars.append(_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def id_time(value: str) -> float:
    """When an id from new_id was made, in seconds since the epoch (its first 48 bits)."""
    millis = 0
    for char in value[:10]:
        millis = millis * 32 + _ALPHABET.index(char)
    return millis / 1000


def new_key() -> str:
    """A new site API key: 256 random bits."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def key_digest(key: str) -> str:
    """The digest a key is stored and looked up by (the key has enough entropy for SHA-256)."""
    return hashlib.sha256(key.encode()).hexdigest()
