"""Keep the censored copy a site's policy asks for

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 14:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("decisions") as batch_op:
        batch_op.add_column(sa.Column("censored", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("decisions") as batch_op:
        batch_op.drop_column("censored")
