"""Full-text search over pages' lines and fields' values, one interface on both databases.

The query is folded as the index is (``storage.text_folding``) and every word must match:
SQLite's FTS5 ranks by bm25, PostgreSQL's GIN index of ``to_tsvector('simple', folded)`` by
``ts_rank_cd``. A letter-only word the index never saw also matches the known words one edit
away (a name typed with one typo); numbers must match exactly. Among the best candidates, an
entry whose words as written (marks kept) hold the query's as typed ranks first, so that
``Nguyễn`` puts Nguyễn before Nguyên.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from rapidfuzz.distance import Levenshtein
from sqlalchemy import Float, Integer, Subquery, and_, func, literal_column, select, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from models.errors import InputError
from models.status import FieldStatus
from models.tables import Document, Dossier, ExtractedField, SearchEntry, SearchTerm
from storage.database import aware
from storage.search_index import TERM
from storage.text_folding import exact_tokens, fold, folded_tokens

FULL_TEXT_INDEXES = ("search_entries_fts", "ix_search_entries_folded_tsv")
"""What the migration builds per database beside the tables (FTS5 table, GIN index)."""
UTC_ZONE = ZoneInfo("UTC")
MAX_WORDS = 12
MAX_VARIANTS = 8
"""Known words one edit away that stand in for a word never seen."""
RERANKED = 100
"""Candidates beyond the page asked for, weighed again for the exact spelling."""
EXACT_BONUS = 1000.0
TOKEN_SPAN = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class SearchFilters:
    agencies: Collection[str] | None
    """The caller's reach; None: every agency."""
    document_type: str | None = None
    agency: str | None = None
    procedure_code: str | None = None
    received_from: date | None = None
    received_to: date | None = None
    field_status: FieldStatus | None = None
    zone: ZoneInfo = UTC_ZONE
    """Where ``received_from`` and ``received_to`` days start: the desks' time zone."""


@dataclass(frozen=True)
class Hit:
    entry: SearchEntry
    dossier_id: str
    receipt_code: str
    document_type: str | None
    field_status: FieldStatus | None
    received_at: datetime
    score: float
    exact: bool
    highlights: list[tuple[int, int]] = field(default_factory=list)
    """Character spans of the query's words in ``entry.text``."""


@dataclass(frozen=True)
class SearchResult:
    total: int
    hits: list[Hit]
    words: list[list[str]]
    """Each query word folded, with the known words that stood in for it."""


def search(
    session: Session, query: str, filters: SearchFilters, limit: int, offset: int
) -> SearchResult:
    words = folded_tokens(query)
    if not words:
        raise InputError("the query has no letters or digits to search for", code="query_empty")
    if len(words) > MAX_WORDS:
        raise InputError(f"a query has at most {MAX_WORDS} words", code="query_too_long")
    alternatives = [[word, *_variants(session, word)] for word in words]
    matched = _matching(session, alternatives)
    base = (
        select(SearchEntry, matched.c.rank, Document.document_type, Document.dossier_id,
               Dossier.receipt_code, Dossier.received_at, ExtractedField.status)
        .join(matched, matched.c.entry_id == SearchEntry.id)
        .join(Document, Document.id == SearchEntry.document_id)
        .join(Dossier, Dossier.id == Document.dossier_id)
        .outerjoin(ExtractedField, and_(ExtractedField.document_id == SearchEntry.document_id,
                                        ExtractedField.name == SearchEntry.field_name))
        .where(*_conditions(filters))
    )  # fmt: skip
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = session.execute(
        base.order_by(matched.c.rank.desc(), SearchEntry.id).limit(offset + limit + RERANKED)
    ).all()
    typed = exact_tokens(query)
    hits = [_hit(tuple(row), typed, alternatives) for row in rows]
    hits.sort(key=lambda hit: (-hit.score, hit.entry.id))
    return SearchResult(total, hits[offset : offset + limit], alternatives)


def _variants(session: Session, word: str) -> list[str]:
    if not TERM.fullmatch(word) or len(word) < 3:
        return []
    if session.get(SearchTerm, word) is not None:
        return []
    near = session.scalars(
        select(SearchTerm.term).where(SearchTerm.length.between(len(word) - 1, len(word) + 1))
    )
    close = [term for term in near if Levenshtein.distance(word, term, score_cutoff=1) <= 1]
    return sorted(close)[:MAX_VARIANTS]


def _matching(session: Session, alternatives: list[list[str]]) -> Subquery:
    """Entry ids matching every word (or one of its stand-ins), with the database's rank."""
    if session.get_bind().dialect.name == "postgresql":
        tsquery = " & ".join("(" + " | ".join(words) + ")" for words in alternatives)
        vector = func.to_tsvector(literal_column("'simple'::regconfig"), SearchEntry.folded)
        parsed = func.to_tsquery(literal_column("'simple'::regconfig"), tsquery)
        return (
            select(SearchEntry.id.label("entry_id"), func.ts_rank_cd(vector, parsed).label("rank"))
            .where(vector.op("@@")(parsed))
            .subquery()
        )
    fts = " AND ".join(
        "(" + " OR ".join(f'"{word}"' for word in words) + ")" for words in alternatives
    )
    return (
        text(
            "SELECT rowid AS entry_id, -bm25(search_entries_fts) AS rank "
            "FROM search_entries_fts WHERE search_entries_fts MATCH :fts"
        )
        .bindparams(fts=fts)
        .columns(entry_id=Integer, rank=Float)
        .subquery()
    )


def _conditions(filters: SearchFilters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.agencies is not None:
        conditions.append(Dossier.agency.in_(sorted(filters.agencies)))
    if filters.agency is not None:
        conditions.append(Dossier.agency == filters.agency)
    if filters.document_type is not None:
        conditions.append(Document.document_type == filters.document_type)
    if filters.procedure_code is not None:
        conditions.append(Dossier.procedure_code == filters.procedure_code)
    if filters.received_from is not None:
        conditions.append(Dossier.received_at >= _midnight(filters.received_from, filters.zone))
    if filters.received_to is not None:
        after = _midnight(filters.received_to + timedelta(days=1), filters.zone)
        conditions.append(Dossier.received_at < after)
    if filters.field_status is not None:
        conditions.append(ExtractedField.status == filters.field_status)
    return conditions


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    """The day's start in ``zone``, in UTC (SQLite compares the stored UTC text)."""
    return datetime.combine(day, time(), zone).astimezone(UTC)


def _hit(row: tuple[Any, ...], typed: list[str], alternatives: list[list[str]]) -> Hit:
    entry, rank, document_type, dossier_id, receipt_code, received_at, status = row
    written = exact_tokens(entry.text)
    exact = all(word in written for word in typed)
    score = float(rank) + (EXACT_BONUS if exact else 0.0)
    return Hit(
        entry, dossier_id, receipt_code, document_type, status, aware(received_at), score,
        exact, _highlights(entry.text, {w for words in alternatives for w in words}),
    )  # fmt: skip


def _highlights(line: str, folded_words: set[str]) -> list[tuple[int, int]]:
    """Spans of ``line`` whose folding is one of ``folded_words`` (folding keeps one character
    per character of NFC text, bar the marks, so spans are found word by word)."""
    spans = []
    for match in TOKEN_SPAN.finditer(line):
        if fold(match.group()) in folded_words:
            spans.append((match.start(), match.end()))
    return spans
