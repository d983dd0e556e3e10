"""search index on PostgreSQL: the folded text's tsvector stored, and the GIN index on it

Ranking a search (``ts_rank_cd``) needs each matching entry's vector: with only an expression
index, PostgreSQL parsed every matching line again per query, which for a common name among
100,000 documents (2,500 entries) was two thirds of the query's time. The vector is now a
stored generated column, computed once as the entry is written; the GIN index covers it
instead of the expression, under the same name. SQLite's FTS5 table is unchanged.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 03:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX ix_search_entries_folded_tsv")
    op.execute(
        "ALTER TABLE search_entries ADD COLUMN folded_tsv tsvector "
        "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, folded)) STORED"
    )
    op.execute("CREATE INDEX ix_search_entries_folded_tsv ON search_entries USING gin (folded_tsv)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX ix_search_entries_folded_tsv")
    op.execute("ALTER TABLE search_entries DROP COLUMN folded_tsv")
    op.execute(
        "CREATE INDEX ix_search_entries_folded_tsv ON search_entries "
        "USING gin (to_tsvector('simple'::regconfig, folded))"
    )
