"""a page's resolution as OCR judged it, and where that came from

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 05:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pages") as pages:
        pages.add_column(sa.Column("judged_dpi", sa.Integer(), nullable=True))
        pages.add_column(sa.Column("dpi_source", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pages") as pages:
        pages.drop_column("dpi_source")
        pages.drop_column("judged_dpi")
