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


def make_moderator(services, name: str, *sites: str, admin: bool = False) -> str:  # type: ignore[no-untyped-def]
    """A moderator's token for the given sites (or all, as admin)."""
    from moderation.store.moderators import create_moderator

    with services.db.session() as session:
        return create_moderator(session, name, sites=list(sites), is_admin=admin).token


def make_site(services, name: str) -> str:  # type: ignore[no-untyped-def]
    """A new site's API key."""
    from moderation.store.sites import create_site

    with services.db.session() as session:
        return create_site(session, name).api_key
