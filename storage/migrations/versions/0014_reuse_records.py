"""reuse records: a document digitized earlier, or a field of it, used for a new dossier

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 02:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reuse_records",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("dossier_id", sa.String(36), nullable=False),
        sa.Column("document_id", sa.String(36), nullable=False),
        sa.Column("field_name", sa.String(64), nullable=False),
        sa.Column("purpose", sa.String(500), nullable=False),
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossiers.id"], name="fk_reuse_records_dossier_id_dossiers"
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name="fk_reuse_records_document_id_documents"
        ),
        sa.ForeignKeyConstraint(
            ["key_id"], ["api_keys.id"], name="fk_reuse_records_key_id_api_keys"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_reuse_records"),
        sa.UniqueConstraint(
            "dossier_id", "document_id", "field_name", name="uq_reuse_records_dossier_id"
        ),
    )
    op.create_index("ix_reuse_records_dossier_id", "reuse_records", ["dossier_id"])
    op.create_index("ix_reuse_records_document_id", "reuse_records", ["document_id"])


def downgrade() -> None:
    op.drop_table("reuse_records")
