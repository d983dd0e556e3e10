"""search index: pages' lines and fields' values with their folded text, full-text indexed

SQLite: an FTS5 table over ``folded``, kept by triggers. PostgreSQL: a GIN index of
``to_tsvector('simple', folded)``. The fields already read are indexed here; pages' lines are
indexed as pages are read (``sohoa search-index`` indexes the pages read before).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 02:30:00
"""

from __future__ import annotations

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

SQLITE_INDEX = [
    "CREATE VIRTUAL TABLE search_entries_fts USING fts5(folded, content='search_entries', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN "
    "INSERT INTO search_entries_fts(rowid, folded) VALUES (new.id, new.folded); END",
    "CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries BEGIN "
    "INSERT INTO search_entries_fts(search_entries_fts, rowid, folded) "
    "VALUES ('delete', old.id, old.folded); END",
    "CREATE TRIGGER search_entries_au AFTER UPDATE ON search_entries BEGIN "
    "INSERT INTO search_entries_fts(search_entries_fts, rowid, folded) "
    "VALUES ('delete', old.id, old.folded); "
    "INSERT INTO search_entries_fts(rowid, folded) VALUES (new.id, new.folded); END",
]
POSTGRES_INDEX = [
    "CREATE INDEX ix_search_entries_folded_tsv ON search_entries "
    "USING gin (to_tsvector('simple'::regconfig, folded))",
]


def _fold(text: str) -> str:
    """storage.text_folding.fold as of this revision (a migration does not follow the code)."""
    text = text.translate(str.maketrans("đĐðÐ", "dddd"))
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return " ".join(bare.lower().split())


def upgrade() -> None:
    entries = op.create_table(
        "search_entries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("document_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("page", sa.Integer(), nullable=True),
        sa.Column("field_name", sa.String(64), nullable=True),
        sa.Column("box_left", sa.Integer(), nullable=True),
        sa.Column("box_top", sa.Integer(), nullable=True),
        sa.Column("box_width", sa.Integer(), nullable=True),
        sa.Column("box_height", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("folded", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name="fk_search_entries_document_id_documents"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_search_entries"),
    )
    op.create_index("ix_search_entries_document_id", "search_entries", ["document_id"])
    terms = op.create_table(
        "search_terms",
        sa.Column("term", sa.String(64), nullable=False),
        sa.Column("length", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("term", name="pk_search_terms"),
    )
    op.create_index("ix_search_terms_length", "search_terms", ["length"])
    bind = op.get_bind()
    for statement in SQLITE_INDEX if bind.dialect.name == "sqlite" else POSTGRES_INDEX:
        op.execute(statement)
    fields = bind.execute(
        sa.text(
            "SELECT document_id, name, page, box_left, box_top, box_width, box_height, "
            "COALESCE(value, raw_text) FROM fields WHERE COALESCE(value, raw_text) <> ''"
        )
    ).all()
    rows = [
        {"document_id": f[0], "kind": "field", "page": f[2], "field_name": f[1], "box_left": f[3],
         "box_top": f[4], "box_width": f[5], "box_height": f[6], "text": f[7],
         "folded": _fold(f[7])}
        for f in fields
    ]  # fmt: skip
    if rows:
        op.bulk_insert(entries, rows)
        words = {w for row in rows for w in re.findall(r"[^\W\d_]{2,64}", row["folded"])}
        op.bulk_insert(terms, [{"term": w, "length": len(w)} for w in sorted(words)])


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("DROP TABLE search_entries_fts")
    op.drop_table("search_terms")
    op.drop_table("search_entries")
