"""dossiers' due dates, for the review queue's order; an operator's closed tasks by time

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dossiers") as batch:
        batch.add_column(sa.Column("due_on", sa.Date(), nullable=True))
    op.create_index(
        "ix_review_tasks_resolved_by_closed_at", "review_tasks", ["resolved_by", "closed_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_review_tasks_resolved_by_closed_at", table_name="review_tasks")
    with op.batch_alter_table("dossiers") as batch:
        batch.drop_column("due_on")
