"""Index only queued comments for the sweeper

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 14:05:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_QUEUED = sa.text("status = 'queued'")


def upgrade() -> None:
    # Every decision used to move a row within a (status, enqueued_at) index that grew with the
    # whole record; the sweeper only ever asks for queued comments.
    with op.batch_alter_table("comments") as batch_op:
        batch_op.drop_index("ix_comments_status_enqueued_at")
        batch_op.create_index(
            "ix_comments_queued_enqueued_at",
            ["enqueued_at"],
            postgresql_where=_QUEUED,
            sqlite_where=_QUEUED,
        )


def downgrade() -> None:
    with op.batch_alter_table("comments") as batch_op:
        batch_op.drop_index("ix_comments_queued_enqueued_at")
        batch_op.create_index("ix_comments_status_enqueued_at", ["status", "enqueued_at"])
