"""signed copies: the PDF/A versions of a document signed by the agency

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 18:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "signed_copies",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("document_id", sa.String(36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("object_key", sa.String(255), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("text_sha256", sa.String(64), nullable=False),
        sa.Column("pdfa", sa.String(8), nullable=True),
        sa.Column("certificate_sha256", sa.String(64), nullable=False),
        sa.Column("certificate_subject", sa.String(500), nullable=False),
        sa.Column("certificate_pem", sa.Text(), nullable=False),
        sa.Column("timestamped", sa.Boolean(), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name="fk_signed_copies_document_id_documents"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_signed_copies"),
        sa.UniqueConstraint("document_id", "version", name="uq_signed_copies_document_id"),
    )
    op.create_index("ix_signed_copies_document_id", "signed_copies", ["document_id"])
    op.create_index("ix_signed_copies_sha256", "signed_copies", ["sha256"])
    op.create_index("ix_signed_copies_certificate_sha256", "signed_copies", ["certificate_sha256"])


def downgrade() -> None:
    op.drop_table("signed_copies")
