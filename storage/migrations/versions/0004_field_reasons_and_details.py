"""each field's reasons (the evidence for and against its value) and resolved details

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Server defaults, so that rows read before this revision (and rows written by a worker
    # still running the previous release) read as having no reasons and no details.
    with op.batch_alter_table("fields") as fields:
        fields.add_column(sa.Column("reasons", sa.Text(), server_default="[]", nullable=False))
        fields.add_column(sa.Column("details", sa.Text(), server_default="{}", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("fields") as fields:
        fields.drop_column("details")
        fields.drop_column("reasons")
