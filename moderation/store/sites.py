"""Repository functions for sites and their API keys."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.store.ids import key_digest, new_id, new_key
from moderation.store.models import ApiKey, Site


class SiteExists(Exception):
    """A site by that name is already registered."""


class UnknownSite(Exception):
    """No site by that name or id."""


@dataclass(frozen=True)
class SiteKey:
    """A site together with a freshly issued key: the only moment the key is visible."""

    site_id: str
    site: str
    key_id: str
    api_key: str


def _now() -> datetime:
    return datetime.now(UTC)


def _issue_key(session: Session, site: Site) -> SiteKey:
    key = new_key()
    row = ApiKey(
        id=new_id(), site_id=site.id, digest=key_digest(key), hint=key[:10], created_at=_now()
    )
    session.add(row)
    return SiteKey(site_id=site.id, site=site.name, key_id=row.id, api_key=key)


def create_site(session: Session, name: str) -> SiteKey:
    """Register a site and issue its first key."""
    if session.scalar(select(Site).where(Site.name == name)) is not None:
        raise SiteExists(name)
    site = Site(id=new_id(), name=name, created_at=_now())
    session.add(site)
    session.flush()
    return _issue_key(session, site)


def find_site(session: Session, name_or_id: str) -> Site:
    """The site with this name or id."""
    site = session.scalar(select(Site).where((Site.name == name_or_id) | (Site.id == name_or_id)))
    if site is None:
        raise UnknownSite(name_or_id)
    return site


def rotate_key(session: Session, name: str, *, revoke_others: bool = False) -> SiteKey:
    """Issue a new key; the old ones keep working until revoked, so a site can switch over."""
    site = find_site(session, name)
    if revoke_others:
        for key in _active_keys(session, site.id):
            key.revoked_at = _now()
    return _issue_key(session, site)


def revoke_key(session: Session, name: str, key_id: str) -> ApiKey:
    """Revoke one key of a site by its id."""
    site = find_site(session, name)
    key = session.scalar(select(ApiKey).where(ApiKey.site_id == site.id, ApiKey.id == key_id))
    if key is None:
        raise UnknownSite(f"{name} has no key {key_id}")
    if key.revoked_at is None:
        key.revoked_at = _now()
    return key


def _active_keys(session: Session, site_id: str) -> list[ApiKey]:
    return list(
        session.scalars(
            select(ApiKey).where(ApiKey.site_id == site_id, ApiKey.revoked_at.is_(None))
        )
    )


def list_sites(session: Session) -> list[tuple[Site, list[ApiKey]]]:
    """Every site with all its keys, newest site last."""
    sites = session.scalars(select(Site).order_by(Site.created_at)).all()
    keys = session.scalars(select(ApiKey).order_by(ApiKey.created_at)).all()
    return [(site, [k for k in keys if k.site_id == site.id]) for site in sites]


def site_for_key(session: Session, key: str) -> Site | None:
    """The site an active key belongs to, or None."""
    return session.scalar(
        select(Site)
        .join(ApiKey, ApiKey.site_id == Site.id)
        .where(ApiKey.digest == key_digest(key), ApiKey.revoked_at.is_(None))
    )
