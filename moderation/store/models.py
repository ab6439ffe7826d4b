"""SQLAlchemy models of the durable record: sites, keys, authors, comments, decisions."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, MetaData, String, Text, UniqueConstraint, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import DateTime, TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps stored as UTC and always read back timezone-aware, on SQLite too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to the store")
        return value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    """Declarative base with the naming convention Alembic needs for portable constraints."""

    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class Site(Base):
    """A news site that posts comments with its API keys."""

    __tablename__ = "sites"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: Weighted distinct reporters that flag a comment; None means the service default.
    report_threshold: Mapped[int | None] = mapped_column(nullable=True)
    #: Whether a comment that crosses the threshold is also held (hidden) until reviewed.
    hide_on_report: Mapped[bool] = mapped_column(default=False)
    #: The site's request budget (N/s, N/m or N/h); None means MODERATION_RATE_LIMIT.
    rate_limit: Mapped[str | None] = mapped_column(String(20), nullable=True)
    #: Days kept, or None for ever: rejected comments' bodies, webhook deliveries (with their
    #: attempts) once finished, and report texts (`moderation prune`).
    keep_rejected_days: Mapped[int | None] = mapped_column(nullable=True)
    keep_deliveries_days: Mapped[int | None] = mapped_column(nullable=True)
    keep_report_text_days: Mapped[int | None] = mapped_column(nullable=True)


class ApiKey(Base):
    """A site's API key, kept only as a SHA-256 digest (keys are 256-bit random tokens)."""

    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id"), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    #: The first characters of the key, shown in listings so an operator can tell keys apart.
    hint: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class CommentStatus(StrEnum):
    """Where a comment stands: waiting for the engine, or decided by it or a moderator."""

    QUEUED = "queued"
    APPROVED = "approved"
    HELD = "held"
    REJECTED = "rejected"

    @classmethod
    def for_action(cls, action: str) -> CommentStatus:
        """The status a comment takes for an engine action (approve, hold, reject)."""
        return _STATUS_FOR_ACTION[action]


_STATUS_FOR_ACTION = {
    "approve": CommentStatus.APPROVED,
    "hold": CommentStatus.HELD,
    "reject": CommentStatus.REJECTED,
}


class ActorType(StrEnum):
    """Who made a change the audit trail records."""

    ENGINE = "engine"
    MODERATOR = "moderator"
    SITE = "site"
    REPORTER = "reporter"
    SYSTEM = "system"


class AuditAction(StrEnum):
    """What an audit entry records."""

    RECEIVED = "received"
    DECIDED = "decided"
    EDITED = "edited"
    APPROVED = "approved"
    REJECTED = "rejected"
    REPORTED = "reported"
    FLAGGED_BY_REPORTS = "flagged_by_reports"
    REJECTED_BY_BAN = "rejected_by_ban"
    AUTHOR_PREMODERATE = "author_premoderate"
    AUTHOR_BAN = "author_ban"
    AUTHOR_LIFT = "author_lift"
    AUTHOR_ERASED = "author_erased"
    STORY_UPDATED = "story_updated"


class StoryComments(StrEnum):
    """Whether a story takes comments: all moderated as usual, all held, or none."""

    OPEN = "open"
    PREMODERATED = "premoderated"
    CLOSED = "closed"


class Story(Base):
    """A story as its site described it; absent until the site says something of it (open)."""

    __tablename__ = "stories"

    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id"), primary_key=True)
    #: The site's story id, as comments carry it.
    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    comments: Mapped[str] = mapped_column(String(20), default=StoryComments.OPEN)
    title: Mapped[str | None] = mapped_column(String(500), nullable=True)
    url: Mapped[str | None] = mapped_column(Text, nullable=True)
    section: Mapped[str | None] = mapped_column(String(200), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Author(Base):
    """A commenter as a site knows them; counts their comments for pre-moderation."""

    __tablename__ = "authors"
    __table_args__ = (UniqueConstraint("site_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id"))
    external_id: Mapped[str] = mapped_column(String(200))
    comment_count: Mapped[int] = mapped_column(default=0)
    #: A moderator asked that every comment of this author be held for review.
    premoderate: Mapped[bool] = mapped_column(default=False)
    #: Set while the author is banned from the site: new comments are rejected.
    banned_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class Comment(Base):
    """One reader comment as received, with its current status."""

    __tablename__ = "comments"
    __table_args__ = (
        UniqueConstraint("site_id", "external_id"),
        UniqueConstraint("site_id", "idempotency_key"),
        # Only queued comments, for the sweeper: a decided comment leaves this index, so it
        # stays as small as the backlog however large the record grows.
        Index(
            "ix_comments_queued_enqueued_at",
            "enqueued_at",
            postgresql_where=text("status = 'queued'"),
            sqlite_where=text("status = 'queued'"),
        ),
        Index("ix_comments_author_received", "site_id", "author_id", "received_at"),
        # A story page: a site's story, one status, in id (time) order, read straight off it.
        Index("ix_comments_story_page", "site_id", "story_id", "status", "id"),
        # A site's comments by id (listings without a story), and replies by their parent.
        Index("ix_comments_site_id", "site_id", "id"),
        Index("ix_comments_parent", "site_id", "parent_id"),
        # The console's queues and counts by status and site, read on every page.
        Index("ix_comments_status_site", "status", "site_id", "id"),
        Index("ix_comments_status_severity", "status", "site_id", "severity", "id"),
        # The reported queue: few rows at any time, so a partial index stays small.
        Index(
            "ix_comments_flagged_at",
            "flagged_at",
            postgresql_where=text("flagged_at IS NOT NULL"),
            sqlite_where=text("flagged_at IS NOT NULL"),
        ),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id"))
    external_id: Mapped[str] = mapped_column(String(200))
    idempotency_key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    #: SHA-256 of the canonical request, to tell a replay from a different body.
    request_digest: Mapped[str] = mapped_column(String(64))
    story_id: Mapped[str] = mapped_column(String(200))
    story_url: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: The story's headline, for moderators; None on comments received before 0009.
    story_title: Mapped[str | None] = mapped_column(String(500), nullable=True)
    section: Mapped[str | None] = mapped_column(String(200), nullable=True)
    author_id: Mapped[str] = mapped_column(String(200))
    author_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    parent_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    language: Mapped[str | None] = mapped_column(String(35), nullable=True)
    body: Mapped[str] = mapped_column(Text)
    #: The body as the duplicate check compares it (engine.duplicate_key); None before 0007.
    duplicate_key: Mapped[str | None] = mapped_column(String(16), nullable=True)
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: queued, approved, held or rejected.
    status: Mapped[str] = mapped_column(String(20))
    revision: Mapped[int] = mapped_column(default=1)
    enqueued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    #: Categories of the current decision's reasons as ",a,b,", so queues can filter by them.
    categories: Mapped[str] = mapped_column(String(500), default="")
    #: The current decision's highest reason severity, for "most severe first"; 0 until decided.
    severity: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    #: Weighted count of open reports by distinct reporters.
    report_weight: Mapped[float] = mapped_column(default=0.0)
    #: When reports crossed the site's threshold; set while the comment is in the reported queue.
    flagged_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    #: The last moderator's verdict: who, when, the reason code and the note to the commenter.
    reviewed_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    review_reason: Mapped[str | None] = mapped_column(String(50), nullable=True)
    review_note: Mapped[str | None] = mapped_column(Text, nullable=True)


class CommentRevision(Base):
    """An earlier body of an edited comment; the current body stays on the comment."""

    __tablename__ = "comment_revisions"
    __table_args__ = (UniqueConstraint("comment_id", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    comment_id: Mapped[str] = mapped_column(ForeignKey("comments.id"))
    revision: Mapped[int] = mapped_column()
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Decision(Base):
    """The engine's verdict on one revision of a comment; unique so a rerun adds nothing."""

    __tablename__ = "decisions"
    __table_args__ = (UniqueConstraint("comment_id", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    comment_id: Mapped[str] = mapped_column(ForeignKey("comments.id"))
    revision: Mapped[int] = mapped_column()
    action: Mapped[str] = mapped_column(String(20))
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    ruleset_version: Mapped[str] = mapped_column(String(64))
    #: The text with matched terms masked, for sites whose policy asks for a censored copy.
    censored: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: Attribute → calibrated probability from the toxicity model; NULL when no model ran.
    #: none_as_null: a decision without scores is SQL NULL, like those recorded before them.
    scores: Mapped[dict[str, float] | None] = mapped_column(JSON(none_as_null=True), nullable=True)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: Which worker recorded it, for operators tracing a decision.
    decided_by: Mapped[str] = mapped_column(String(200))


class Moderator(Base):
    """A person who reviews comments: of some sites, or of all as an admin."""

    __tablename__ = "moderators"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    is_admin: Mapped[bool] = mapped_column(default=False)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    #: Argon2id hash of the console password; None until one is set (sign-in by link only).
    password_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)


class LoginLink(Base):
    """A one-time console sign-in link, kept as the digest of its secret."""

    __tablename__ = "login_links"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    moderator_id: Mapped[str] = mapped_column(ForeignKey("moderators.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: Set when the link signs someone in: it never works twice.
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class ConsoleSession(Base):
    """A signed-in console browser, kept as the digest of its cookie, with its CSRF token."""

    __tablename__ = "console_sessions"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    moderator_id: Mapped[str] = mapped_column(ForeignKey("moderators.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ModeratorSite(Base):
    """A site a (non-admin) moderator may review."""

    __tablename__ = "moderator_sites"

    moderator_id: Mapped[str] = mapped_column(ForeignKey("moderators.id"), primary_key=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id"), primary_key=True)


class Report(Base):
    """A reader's report on a comment, relayed by the site; one per reporter and comment."""

    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint("comment_id", "reporter_id"),
        Index("ix_reports_reporter", "site_id", "reporter_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id"))
    comment_id: Mapped[str] = mapped_column(ForeignKey("comments.id"), index=True)
    reporter_id: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(String(30))
    text: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: How much this report counts towards the threshold, from the reporter's track record.
    weight: Mapped[float] = mapped_column(default=1.0)
    #: open, upheld or dismissed.
    state: Mapped[str] = mapped_column(String(20), default="open")
    public_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class AuditEntry(Base):
    """One state change, append-only: who or what, when, before → after, why."""

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_comment", "comment_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id"))
    comment_id: Mapped[str | None] = mapped_column(ForeignKey("comments.id"), nullable=True)
    #: engine, moderator, site, reporter or system.
    actor_type: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    action: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    to_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    reason: Mapped[str | None] = mapped_column(String(200), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    ruleset_version: Mapped[str | None] = mapped_column(String(64), nullable=True)
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
