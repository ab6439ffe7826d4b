"""Small builders the tests share."""

from __future__ import annotations


def auth(key: str) -> dict[str, str]:
    """Authorization header for a site key."""
    return {"Authorization": f"Bearer {key}"}


def comment_json(
    external_id: str = "c-1", body: str = "What a thoughtful article.", **extra: object
) -> dict[str, object]:
    """A valid comment as a site would post it."""
    payload: dict[str, object] = {
        "id": external_id,
        "story": {"id": "story-1", "url": "https://planet.example/news/1", "section": "politics"},
        "author": {"id": "reader-1", "name": "Lois"},
        "body": body,
        "parent_id": None,
    }
    payload.update(extra)
    return payload
