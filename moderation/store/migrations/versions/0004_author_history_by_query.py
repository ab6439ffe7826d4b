"""Count an author's earlier comments when deciding, not at intake

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 13:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The worker counts earlier comments with the (site, author, received_at) index; keeping a
    # counter at intake cost an upsert on the hot path.
    with op.batch_alter_table("comments") as batch_op:
        batch_op.drop_column("author_seq")


def downgrade() -> None:
    with op.batch_alter_table("comments") as batch_op:
        batch_op.add_column(
            sa.Column("author_seq", sa.Integer(), nullable=False, server_default="1")
        )
