"""Keep each comment's duplicate key, so the duplicate check reads keys, not earlier bodies

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 17:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # No backfill: the check looks back an hour, and rows without a key still give their body.
    with op.batch_alter_table("comments") as batch_op:
        batch_op.add_column(sa.Column("duplicate_key", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("comments") as batch_op:
        batch_op.drop_column("duplicate_key")
