"""Duplicate keys: a comment's text as the duplicate check compares it, hashed to store."""

from __future__ import annotations

from hashlib import blake2b

from moderation.engine.folding import fold


def key_of_folded(folded: str) -> str:
    """The duplicate key of a text already folded (spaces collapsed, 64-bit hash)."""
    return blake2b(" ".join(folded.split()).encode(), digest_size=8).hexdigest()


def duplicate_key(text: str) -> str:
    """The duplicate key of a text: equal keys for texts equal once folded."""
    return key_of_folded(fold(text))
