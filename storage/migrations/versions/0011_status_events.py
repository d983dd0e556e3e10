"""status events: every move of a dossier or a document, for the event stream

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 16:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "status_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("subject", sa.String(16), nullable=False),
        sa.Column("dossier_id", sa.String(36), nullable=False),
        sa.Column("document_id", sa.String(36), nullable=True),
        sa.Column("agency", sa.String(255), nullable=False),
        sa.Column("receipt_code", sa.String(64), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossiers.id"], name="fk_status_events_dossier_id_dossiers"
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name="fk_status_events_document_id_documents"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_status_events"),
    )
    op.create_index("ix_status_events_dossier_id", "status_events", ["dossier_id"])
    op.create_index("ix_status_events_agency", "status_events", ["agency"])


def downgrade() -> None:
    op.drop_table("status_events")
