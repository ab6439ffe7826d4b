"""Keep the toxicity model's calibrated scores with each decision

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # No backfill: decisions recorded before the model ran have no scores, and NULL says so.
    with op.batch_alter_table("decisions") as batch_op:
        batch_op.add_column(sa.Column("scores", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("decisions") as batch_op:
        batch_op.drop_column("scores")
