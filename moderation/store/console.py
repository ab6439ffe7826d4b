"""Console sign-in: one-time links, password hashes and browser sessions, kept as digests."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from moderation.store.ids import key_digest
from moderation.store.models import ConsoleSession, LoginLink, Moderator
from moderation.store.moderators import site_ids_of

#: How long a sign-in link works, once.
LINK_LIFETIME = timedelta(minutes=15)


class UnknownModerator(Exception):
    """No moderator by that name, or a disabled one."""


@dataclass(frozen=True)
class SignedIn:
    """The moderator behind a live console session, their sites and the session's CSRF token."""

    moderator: Moderator
    site_ids: frozenset[str] | None
    csrf_token: str


def _active(session: Session, name: str) -> Moderator:
    moderator = session.scalar(
        select(Moderator).where(Moderator.name == name, Moderator.disabled_at.is_(None))
    )
    if moderator is None:
        raise UnknownModerator(name)
    return moderator


def issue_login_link(session: Session, name: str, *, now: datetime) -> str:
    """A new one-time sign-in secret for an active moderator; only its digest is kept."""
    moderator = _active(session, name)
    secret = secrets.token_urlsafe(32)
    session.add(
        LoginLink(
            digest=key_digest(secret),
            moderator_id=moderator.id,
            created_at=now,
            expires_at=now + LINK_LIFETIME,
        )
    )
    return secret


def redeem_login_link(session: Session, secret: str, *, now: datetime) -> Moderator | None:
    """The moderator a fresh, unused link signs in, marking it used; None otherwise."""
    # One conditional update: two browsers racing on one link cannot both win it.
    moderator_id = session.scalar(
        update(LoginLink)
        .where(
            LoginLink.digest == key_digest(secret),
            LoginLink.used_at.is_(None),
            LoginLink.expires_at > now,
        )
        .values(used_at=now)
        .returning(LoginLink.moderator_id)
    )
    if moderator_id is None:
        return None
    moderator = session.get(Moderator, moderator_id)
    return moderator if moderator is not None and moderator.disabled_at is None else None


def moderator_named(session: Session, name: str) -> Moderator | None:
    """An active moderator by name, for password sign-in."""
    try:
        return _active(session, name)
    except UnknownModerator:
        return None


def open_session(
    session: Session, moderator: Moderator, *, now: datetime, lifetime: timedelta
) -> str:
    """A new session for the moderator; returns the cookie value (only its digest is kept)."""
    cookie = secrets.token_urlsafe(32)
    session.add(
        ConsoleSession(
            digest=key_digest(cookie),
            moderator_id=moderator.id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    return cookie


def signed_in(session: Session, cookie: str, *, now: datetime) -> SignedIn | None:
    """Who a session cookie signs in, read afresh each request so disabling bites at once."""
    row = session.execute(
        select(Moderator, ConsoleSession.csrf_token)
        .join(ConsoleSession, ConsoleSession.moderator_id == Moderator.id)
        .where(
            ConsoleSession.digest == key_digest(cookie),
            ConsoleSession.expires_at > now,
            Moderator.disabled_at.is_(None),
        )
    ).first()
    if row is None:
        return None
    moderator, csrf_token = row[0], row[1]
    return SignedIn(moderator, site_ids_of(session, moderator), csrf_token)


def end_session(session: Session, cookie: str) -> None:
    """Forget a session: its cookie signs nobody in any more."""
    session.execute(delete(ConsoleSession).where(ConsoleSession.digest == key_digest(cookie)))


def end_all_sessions(session: Session, name: str) -> None:
    """Sign a moderator out everywhere (their account was disabled or their password changed)."""
    moderator_id = select(Moderator.id).where(Moderator.name == name).scalar_subquery()
    session.execute(delete(ConsoleSession).where(ConsoleSession.moderator_id == moderator_id))
