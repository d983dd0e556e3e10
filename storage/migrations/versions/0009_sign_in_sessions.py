"""sign-in sessions: a browser signed in with an API key

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 21:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_in_sessions",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["key_id"], ["api_keys.id"], name="fk_sign_in_sessions_key_id_api_keys"
        ),
        sa.PrimaryKeyConstraint("token_hash", name="pk_sign_in_sessions"),
    )
    op.create_index("ix_sign_in_sessions_key_id", "sign_in_sessions", ["key_id"])


def downgrade() -> None:
    op.drop_table("sign_in_sessions")
