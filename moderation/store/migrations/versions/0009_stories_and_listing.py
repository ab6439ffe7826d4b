"""Stories with their comment state, indexes for listing comments, sites' request budgets

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


def downgrade() -> None:
    with op.batch_alter_table("sites") as batch_op:
        batch_op.drop_column("rate_limit")
    op.drop_index("ix_comments_parent", "comments")
    op.drop_index("ix_comments_site_id", "comments")
    op.drop_index("ix_comments_story_page", "comments")
    op.drop_table("stories")
