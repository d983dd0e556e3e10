"""what was done to each page before reading it, where its text came from; searchable PDFs

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 22:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as documents:
        documents.add_column(
            sa.Column("force_ocr", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        documents.add_column(sa.Column("searchable_pdf_key", sa.String(length=255)))
    with op.batch_alter_table("pages") as pages:
        pages.add_column(sa.Column("text_source", sa.String(length=32)))
        pages.add_column(sa.Column("rotation", sa.Integer()))
        pages.add_column(sa.Column("skew_degrees", sa.Float()))
        pages.add_column(
            sa.Column("blank", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        pages.add_column(sa.Column("ocr_dpi", sa.Integer()))
        pages.add_column(sa.Column("preprocessing", sa.String(length=255)))


def downgrade() -> None:
    with op.batch_alter_table("pages") as pages:
        for column in ("preprocessing", "ocr_dpi", "blank", "skew_degrees", "rotation"):
            pages.drop_column(column)
        pages.drop_column("text_source")
    with op.batch_alter_table("documents") as documents:
        documents.drop_column("searchable_pdf_key")
        documents.drop_column("force_ocr")
