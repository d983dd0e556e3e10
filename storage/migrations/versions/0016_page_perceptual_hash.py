"""page fingerprints: a perceptual hash and a pixels digest per page, the hash's bands indexed,
and the page a reused page copied its words from

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 18:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pages") as batch:
        batch.add_column(sa.Column("perceptual_hash", sa.String(64), nullable=True))
        batch.add_column(sa.Column("pixels_sha256", sa.String(64), nullable=True))
        batch.add_column(sa.Column("reused_from_page_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_pages_reused_from_page_id_pages", "pages", ["reused_from_page_id"], ["id"]
        )
        batch.create_index("ix_pages_pixels_sha256", ["pixels_sha256"])
    op.create_table(
        "page_hash_bands",
        sa.Column("page_id", sa.Integer(), nullable=False),
        sa.Column("band", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["page_id"], ["pages.id"], name="fk_page_hash_bands_page_id_pages"),
        sa.PrimaryKeyConstraint("page_id", "band", name="pk_page_hash_bands"),
    )
    op.create_index("ix_page_hash_bands_band_value", "page_hash_bands", ["band", "value"])


def downgrade() -> None:
    op.drop_table("page_hash_bands")
    with op.batch_alter_table("pages") as batch:
        batch.drop_index("ix_pages_pixels_sha256")
        batch.drop_constraint("fk_pages_reused_from_page_id_pages", type_="foreignkey")
        batch.drop_column("reused_from_page_id")
        batch.drop_column("pixels_sha256")
        batch.drop_column("perceptual_hash")
