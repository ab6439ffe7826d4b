"""The moderators' console: sign-in links, sessions, passwords, and story titles to show

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 21:40:00
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Titles are not backfilled (comments received before this have none to give); severities
    # are, from the decisions. Plain ADD COLUMN (no batch): SQLite adds these in place, where a
    # batch would copy the table, which its foreign keys refuse once decisions point at it.
    op.add_column("comments", sa.Column("story_title", sa.String(500), nullable=True))
    op.add_column(
        "comments",
        sa.Column("severity", sa.Integer(), nullable=False, server_default=sa.text("0")),
    )
    _backfill_severity()
    op.create_index("ix_comments_status_site", "comments", ["status", "site_id", "id"])
    op.create_index(
        "ix_comments_status_severity", "comments", ["status", "site_id", "severity", "id"]
    )
    flagged = sa.text("flagged_at IS NOT NULL")
    op.create_index(
        "ix_comments_flagged_at",
        "comments",
        ["flagged_at"],
        postgresql_where=flagged,
        sqlite_where=flagged,
    )
    with op.batch_alter_table("moderators") as batch_op:
        batch_op.add_column(sa.Column("password_hash", sa.String(200), nullable=True))
    op.create_table(
        "login_links",
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("moderator_id", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["moderator_id"], ["moderators.id"], name="fk_login_links_moderator_id_moderators"
        ),
        sa.PrimaryKeyConstraint("digest", name="pk_login_links"),
    )
    op.create_table(
        "console_sessions",
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("moderator_id", sa.String(32), nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["moderator_id"], ["moderators.id"], name="fk_console_sessions_moderator_id_moderators"
        ),
        sa.PrimaryKeyConstraint("digest", name="pk_console_sessions"),
    )
    op.create_index(
        "ix_console_sessions_moderator_id", "console_sessions", ["moderator_id"], unique=False
    )


def _backfill_severity() -> None:
    # From each comment's current decision, in Python: the reasons are JSON, read alike on
    # SQLite and PostgreSQL; one UPDATE per severity keeps the statements few.
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT c.id, d.reasons FROM comments c JOIN decisions d "
            "ON d.comment_id = c.id AND d.revision = c.revision"
        )
    )
    by_severity: dict[int, list[str]] = {}
    for comment_id, reasons in rows:
        found = json.loads(reasons) if isinstance(reasons, str) else reasons
        worst = max((int(r.get("severity") or 0) for r in found or ()), default=0)
        if worst:  # 0 is the column's default already
            by_severity.setdefault(worst, []).append(comment_id)
    update = sa.text("UPDATE comments SET severity = :severity WHERE id IN :ids").bindparams(
        sa.bindparam("ids", expanding=True)
    )
    for severity, ids in by_severity.items():
        for start in range(0, len(ids), 500):
            connection.execute(update, {"severity": severity, "ids": ids[start : start + 500]})


def downgrade() -> None:
    op.drop_index("ix_console_sessions_moderator_id", table_name="console_sessions")
    op.drop_table("console_sessions")
    op.drop_table("login_links")
    with op.batch_alter_table("moderators") as batch_op:
        batch_op.drop_column("password_hash")
    op.drop_index("ix_comments_flagged_at", table_name="comments")
    op.drop_index("ix_comments_status_severity", table_name="comments")
    op.drop_index("ix_comments_status_site", table_name="comments")
    with op.batch_alter_table("comments") as batch_op:
        batch_op.drop_column("severity")
        batch_op.drop_column("story_title")
