"""review tasks and the fields' review history

Fields already waiting for review become open tasks, and their documents and dossiers move to
needs_review, as they would have had they been read after this revision.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "review_tasks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("field_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.String(36), nullable=False),
        sa.Column("dossier_id", sa.String(36), nullable=False),
        sa.Column("document_type", sa.String(64), nullable=False),
        sa.Column("field_name", sa.String(64), nullable=False),
        sa.Column("closed", sa.Boolean(), nullable=False),
        sa.Column("claimed_by", sa.String(16), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_keying", sa.Text(), nullable=True),
        sa.Column("first_keyed_by", sa.String(16), nullable=True),
        sa.Column("resolution", sa.String(32), nullable=True),
        sa.Column("resolved_by", sa.String(16), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["field_id"], ["fields.id"], name="fk_review_tasks_field_id_fields"
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name="fk_review_tasks_document_id_documents"
        ),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossiers.id"], name="fk_review_tasks_dossier_id_dossiers"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_review_tasks"),
        sa.UniqueConstraint("field_id", name="uq_review_tasks_field_id"),
    )
    for column in ("document_id", "dossier_id", "closed"):
        op.create_index(f"ix_review_tasks_{column}", "review_tasks", [column])
    op.create_table(
        "field_changes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("field_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("old_status", sa.String(32), nullable=False),
        sa.Column("new_status", sa.String(32), nullable=False),
        sa.Column("old_source", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["field_id"], ["fields.id"], name="fk_field_changes_field_id_fields"
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["review_tasks.id"], name="fk_field_changes_task_id_review_tasks"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_field_changes"),
    )
    for column in ("field_id", "at", "key_id"):
        op.create_index(f"ix_field_changes_{column}", "field_changes", [column])
    op.execute(
        "INSERT INTO review_tasks (field_id, document_id, dossier_id, document_type, field_name,"
        " closed, created_at)"
        " SELECT f.id, f.document_id, d.dossier_id, f.document_type, f.name, FALSE, f.updated_at"
        " FROM fields f JOIN documents d ON d.id = f.document_id"
        " WHERE f.status = 'needs_review' AND d.status = 'digitized'"
    )
    op.execute(
        "UPDATE documents SET status = 'needs_review' WHERE status = 'digitized'"
        " AND id IN (SELECT document_id FROM review_tasks)"
    )
    op.execute(
        "UPDATE dossiers SET status = 'needs_review' WHERE status = 'digitized'"
        " AND id IN (SELECT dossier_id FROM review_tasks)"
    )


def downgrade() -> None:
    op.execute(
        "UPDATE documents SET status = 'digitized' WHERE status IN ('needs_review', 'verified')"
    )
    op.execute("UPDATE dossiers SET status = 'digitized' WHERE status = 'verified'")
    op.drop_table("field_changes")
    op.drop_table("review_tasks")
