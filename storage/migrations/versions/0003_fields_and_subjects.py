"""document types, extracted fields, and the subjects (citizens, enterprises) they name

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 23:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as documents:
        documents.add_column(sa.Column("document_type", sa.String(length=64)))
        documents.add_column(sa.Column("type_score", sa.Float()))
        documents.create_index("ix_documents_document_type", ["document_type"])
    op.create_table(
        "fields",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("document_type", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("raw_text", sa.Text(), nullable=False),
        sa.Column("value", sa.Text()),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("page", sa.Integer()),
        sa.Column("box_left", sa.Integer()),
        sa.Column("box_top", sa.Integer()),
        sa.Column("box_width", sa.Integer()),
        sa.Column("box_height", sa.Integer()),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("problems", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name="fk_fields_document_id_documents"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_fields"),
        sa.UniqueConstraint("document_id", "name", name="uq_fields_document_id"),
    )
    op.create_index("ix_fields_document_id", "fields", ["document_id"])
    op.create_index("ix_fields_value", "fields", ["value"])
    op.create_index("ix_fields_status", "fields", ["status"])
    op.create_table(
        "subjects",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("identifier", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_subjects"),
        sa.UniqueConstraint("kind", "identifier", name="uq_subjects_kind"),
    )
    op.create_table(
        "document_subjects",
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("subject_id", sa.String(length=36), nullable=False),
        sa.Column("field_name", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name="fk_document_subjects_document_id_documents"
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subjects.id"], name="fk_document_subjects_subject_id_subjects"
        ),
        sa.PrimaryKeyConstraint("document_id", "subject_id", name="pk_document_subjects"),
    )
    op.create_index("ix_document_subjects_subject_id", "document_subjects", ["subject_id"])


def downgrade() -> None:
    op.drop_table("document_subjects")
    op.drop_table("subjects")
    op.drop_table("fields")
    with op.batch_alter_table("documents") as documents:
        documents.drop_index("ix_documents_document_type")
        documents.drop_column("type_score")
        documents.drop_column("document_type")
