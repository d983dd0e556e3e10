"""searchable PDFs drawn when asked for: documents no longer name a stored one

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04 19:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ALTER TABLE ... DROP COLUMN (SQLite 3.35 and later take it), where a batch copy of the
    # table would have to drop ``documents``, which pages, fields and the rest refer to.
    op.drop_column("documents", "searchable_pdf_key")


def downgrade() -> None:
    op.add_column("documents", sa.Column("searchable_pdf_key", sa.String(255), nullable=True))
