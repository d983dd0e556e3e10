"""result documents: what the agency issued for a dossier (licences, certificates, decisions)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04 18:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN: SQLite takes it as it is, where a batch copy of the table would have
    # to drop ``documents``, which pages, fields and the rest refer to.
    op.add_column(
        "documents",
        sa.Column("is_result", sa.Boolean(), server_default=sa.false(), nullable=False),
    )


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("is_result")
