"""Repository functions for moderator accounts and the sites they may review."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.store.ids import key_digest, new_id
from moderation.store.models import Moderator, ModeratorSite, Site
from moderation.store.sites import UnknownSite, find_site

#: Every moderator token starts with this, so it is told apart from a site key at a glance.
TOKEN_PREFIX = "mmt_"  # noqa: S105 - a public prefix, not a secret


class ModeratorExists(Exception):
    """A moderator by that name exists already."""


@dataclass(frozen=True)
class IssuedToken:
    """A moderator with a freshly issued token: the only moment the token is visible."""

    moderator_id: str
    name: str
    is_admin: bool
    sites: tuple[str, ...]
    token: str


def create_moderator(
    session: Session, name: str, *, sites: Sequence[str], is_admin: bool
) -> IssuedToken:
    """Create a moderator of some sites (or an admin of all) and issue its token."""
    if session.scalar(select(Moderator).where(Moderator.name == name)) is not None:
        raise ModeratorExists(name)
    if not sites and not is_admin:
        raise UnknownSite("a moderator needs at least one --site, or --admin")
    resolved = [find_site(session, site) for site in sites]
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    moderator = Moderator(
        id=new_id(),
        name=name,
        is_admin=is_admin,
        token_digest=key_digest(token),
        created_at=datetime.now(UTC),
    )
    session.add(moderator)
    session.flush()
    for site in resolved:
        session.add(ModeratorSite(moderator_id=moderator.id, site_id=site.id))
    return IssuedToken(moderator.id, name, is_admin, tuple(s.name for s in resolved), token)


def moderator_for_token(session: Session, token: str) -> Moderator | None:
    """The active moderator a token belongs to, or None."""
    return session.scalar(
        select(Moderator).where(
            Moderator.token_digest == key_digest(token), Moderator.disabled_at.is_(None)
        )
    )


def site_ids_of(session: Session, moderator: Moderator) -> frozenset[str] | None:
    """Ids of the sites a moderator may review; None means all (an admin)."""
    if moderator.is_admin:
        return None
    rows = session.scalars(
        select(ModeratorSite.site_id).where(ModeratorSite.moderator_id == moderator.id)
    )
    return frozenset(rows)


def list_moderators(session: Session) -> list[tuple[Moderator, list[str]]]:
    """Every moderator with the names of their sites."""
    moderators = session.scalars(select(Moderator).order_by(Moderator.created_at)).all()
    pairs = session.execute(
        select(ModeratorSite.moderator_id, Site.name).join(Site, Site.id == ModeratorSite.site_id)
    ).all()
    return [(m, sorted(name for mid, name in pairs if mid == m.id)) for m in moderators]


def disable_moderator(session: Session, name: str) -> bool:
    """Disable a moderator's token; False if there is no such moderator."""
    moderator = session.scalar(select(Moderator).where(Moderator.name == name))
    if moderator is None:
        return False
    moderator.disabled_at = moderator.disabled_at or datetime.now(UTC)
    return True
