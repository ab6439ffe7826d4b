"""Stories, listing indexes, sites' budgets and retention, erasure in the audit, sealed secrets

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 21:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# The audit trail stays append-only but for one change: erasing an author (GDPR Art. 17)
# clears the note of an entry (a report's text), and nothing else of it.
_COLUMNS = (
    "id",
    "site_id",
    "comment_id",
    "actor_type",
    "actor_id",
    "action",
    "from_status",
    "to_status",
    "reason",
    "ruleset_version",
    "created_at",
)
_PG_ERASURE = (
    "CREATE OR REPLACE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN "
    "IF TG_OP = 'UPDATE' AND NEW.note IS NULL AND OLD.note IS NOT NULL "
    f"AND ({', '.join('NEW.' + c for c in _COLUMNS)}) "
    f"IS NOT DISTINCT FROM ({', '.join('OLD.' + c for c in _COLUMNS)}) "
    "AND NEW.data::text IS NOT DISTINCT FROM OLD.data::text THEN RETURN NEW; END IF; "
    "RAISE EXCEPTION 'audit_entries is append-only'; END $$"
)
_PG_STRICT = (
    "CREATE OR REPLACE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'audit_entries is append-only'; END $$"
)
_SQLITE_ERASURE = (
    "CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries "
    "WHEN NOT (NEW.note IS NULL AND OLD.note IS NOT NULL AND "
    + " AND ".join(f"NEW.{c} IS OLD.{c}" for c in (*_COLUMNS, "data"))
    + ") BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END"
)
_SQLITE_STRICT = (
    "CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries "
    "BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END"
)


def _audit_trigger(*, erasure: bool) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_ERASURE if erasure else _PG_STRICT)
    else:
        op.execute("DROP TRIGGER audit_entries_no_update")
        op.execute(_SQLITE_ERASURE if erasure else _SQLITE_STRICT)


def upgrade() -> None:
    op.create_table(
        "stories",
        sa.Column("site_id", sa.String(32), sa.ForeignKey("sites.id"), nullable=False),
        sa.Column("id", sa.String(200), nullable=False),
        sa.Column("comments", sa.String(20), nullable=False),
        sa.Column("title", sa.String(500), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("section", sa.String(200), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("site_id", "id"),
    )
    # A story page reads its 50 comments straight off the first: no sort, no filter after.
    op.create_index("ix_comments_story_page", "comments", ["site_id", "story_id", "status", "id"])
    op.create_index("ix_comments_site_id", "comments", ["site_id", "id"])
    op.create_index("ix_comments_parent", "comments", ["site_id", "parent_id"])
    with op.batch_alter_table("sites") as batch_op:
        batch_op.add_column(sa.Column("rate_limit", sa.String(20), nullable=True))
        for name in ("keep_rejected_days", "keep_deliveries_days", "keep_report_text_days"):
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=True))
    _audit_trigger(erasure=True)
    # Sealed secrets (secretbox) are longer than the secrets themselves.
    with op.batch_alter_table("webhook_endpoints") as batch_op:
        for name in ("secret", "previous_secret"):
            batch_op.alter_column(name, type_=sa.Text(), existing_type=sa.String(100))


def downgrade() -> None:
    with op.batch_alter_table("webhook_endpoints") as batch_op:
        for name in ("secret", "previous_secret"):
            batch_op.alter_column(name, type_=sa.String(100), existing_type=sa.Text())
    _audit_trigger(erasure=False)
    with op.batch_alter_table("sites") as batch_op:
        for name in ("keep_report_text_days", "keep_deliveries_days", "keep_rejected_days"):
            batch_op.drop_column(name)
        batch_op.drop_column("rate_limit")
    op.drop_index("ix_comments_parent", "comments")
    op.drop_index("ix_comments_site_id", "comments")
    op.drop_index("ix_comments_story_page", "comments")
    op.drop_table("stories")
