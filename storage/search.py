"""Full-text search over pages' lines and fields' values, one interface on both databases.

The query is folded as the index is (``storage.text_folding``) and every word must match:
SQLite's FTS5 ranks by bm25, PostgreSQL's GIN index of the stored ``to_tsvector('simple',
folded)`` by ``ts_rank_cd``. One statement finds the page and counts every match (a window
over them); the page's fields are joined only to the page's rows, since a common name matches
thousands of entries and the sort needs none of their statuses. A letter-only word the index
never saw also matches the known words one edit away (a name typed with one typo); numbers must
match exactly. Among the best candidates, an entry whose words as written (marks kept) hold the
query's as typed ranks first, so that ``Nguyễn`` puts Nguyễn before Nguyên.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from rapidfuzz.distance import Levenshtein
from sqlalchemy import Float, Integer, Row, Subquery, and_, func, literal_column, select, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from models.errors import InputError
from models.status import FieldStatus
from models.tables import Document, Dossier, ExtractedField, SearchEntry, SearchTerm
from storage.database import aware
from storage.search_index import TERM
from storage.text_folding import exact_tokens, fold, folded_tokens

FULL_TEXT_INDEXES = ("search_entries_fts", "ix_search_entries_folded_tsv", "folded_tsv")
"""What the migrations build per database beside the models: SQLite's FTS5 table, PostgreSQL's
stored vector column and its GIN index."""
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


ENTRY_COLUMNS = tuple(column for column in SearchEntry.__table__.columns if column.name != "folded")
"""What a hit shows of its entry: every column but the folding, which only the index reads."""


@dataclass(frozen=True)
class Hit:
    entry: Row[*tuple[Any, ...]]
    """``ENTRY_COLUMNS`` of the line or field value found, by name (``entry.text``)."""
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
    unseen = _unseen(session, words)
    alternatives = [[word, *(_variants(session, word) if word in unseen else [])] for word in words]
    match = _matching(session, alternatives)
    page = _page(match, filters, offset + limit + RERANKED)
    rows = session.execute(
        select(*ENTRY_COLUMNS, page.c.rank, page.c.total, Document.document_type,
               Document.dossier_id, Dossier.receipt_code, Dossier.received_at,
               ExtractedField.status)
        .join(page, page.c.entry_id == SearchEntry.id)
        .join(Document, Document.id == SearchEntry.document_id)
        .join(Dossier, Dossier.id == Document.dossier_id)
        .outerjoin(ExtractedField, _field_of_entry())
        .order_by(page.c.rank.desc(), SearchEntry.id)
    ).all()  # fmt: skip
    total = int(rows[0].total) if rows else 0
    typed = exact_tokens(query)
    hits = [_hit(row, typed) for row in rows]
    hits.sort(key=lambda hit: (-hit.score, hit.entry.id))
    shown = {word for words in alternatives for word in words}
    return SearchResult(
        total,
        [replace(hit, highlights=_highlights(hit.entry.text, shown))
         for hit in hits[offset : offset + limit]],
        alternatives,
    )  # fmt: skip


@dataclass(frozen=True)
class _Match:
    """How the database finds the entries holding every word, and ranks them."""

    rank: ColumnElement[float]
    condition: ColumnElement[bool] | None = None
    joined: Subquery | None = None
    """SQLite: the FTS5 match, joined on the entry's id."""


def _page(match: _Match, filters: SearchFilters, size: int) -> Subquery:
    """The ``size`` best entries within the filters, with the count of all of them. Every entry
    has its document and dossier (foreign keys), so they are joined only to be filtered on."""
    query = select(
        SearchEntry.id.label("entry_id"), match.rank.label("rank"),
        func.count().over().label("total"),
    )  # fmt: skip
    by_dossier = filters.agencies is not None or any(
        value is not None
        for value in (filters.agency, filters.procedure_code, filters.received_from,
                      filters.received_to)
    )  # fmt: skip
    if by_dossier or filters.document_type is not None:
        query = query.join(Document, Document.id == SearchEntry.document_id)
    if by_dossier:
        query = query.join(Dossier, Dossier.id == Document.dossier_id)
    if match.joined is not None:
        query = query.join(match.joined, match.joined.c.entry_id == SearchEntry.id)
    if match.condition is not None:
        query = query.where(match.condition)
    if filters.field_status is not None:
        query = query.join(ExtractedField, _field_of_entry())
    query = query.where(*_conditions(filters))
    return query.order_by(match.rank.desc(), SearchEntry.id).limit(size).subquery()


def _field_of_entry() -> ColumnElement[bool]:
    return and_(
        ExtractedField.document_id == SearchEntry.document_id,
        ExtractedField.name == SearchEntry.field_name,
    )


def _unseen(session: Session, words: list[str]) -> set[str]:
    """The query's words of three letters or more that the index never saw, asked at once."""
    candidates = {word for word in words if TERM.fullmatch(word) and len(word) >= 3}
    if not candidates:
        return set()
    known = session.scalars(select(SearchTerm.term).where(SearchTerm.term.in_(sorted(candidates))))
    return candidates - set(known)


def _variants(session: Session, word: str) -> list[str]:
    """The known words one edit away from ``word``, which the index never saw."""
    near = session.scalars(
        select(SearchTerm.term).where(SearchTerm.length.between(len(word) - 1, len(word) + 1))
    )
    close = [term for term in near if Levenshtein.distance(word, term, score_cutoff=1) <= 1]
    return sorted(close)[:MAX_VARIANTS]


def _matching(session: Session, alternatives: list[list[str]]) -> _Match:
    """Entries matching every word (or one of its stand-ins), with the database's rank."""
    if session.get_bind().dialect.name == "postgresql":
        tsquery = " & ".join("(" + " | ".join(words) + ")" for words in alternatives)
        vector: ColumnElement[Any] = literal_column(
            "search_entries.folded_tsv"
        )  # PostgreSQL's only: no model
        parsed = func.to_tsquery(literal_column("'simple'::regconfig"), tsquery)
        return _Match(rank=func.ts_rank_cd(vector, parsed), condition=vector.op("@@")(parsed))
    fts = " AND ".join(
        "(" + " OR ".join(f'"{word}"' for word in words) + ")" for words in alternatives
    )
    matched = (
        text(
            "SELECT rowid AS entry_id, -bm25(search_entries_fts) AS rank "
            "FROM search_entries_fts WHERE search_entries_fts MATCH :fts"
        )
        .bindparams(fts=fts)
        .columns(entry_id=Integer, rank=Float)
        .subquery()
    )
    return _Match(rank=matched.c.rank, joined=matched)


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


def _hit(row: Row[*tuple[Any, ...]], typed: list[str]) -> Hit:
    """A row of the page, scored: the database's rank, and a bonus for the exact spelling."""
    written = exact_tokens(row.text)
    exact = all(word in written for word in typed)
    score = float(row.rank) + (EXACT_BONUS if exact else 0.0)
    return Hit(
        row, row.dossier_id, row.receipt_code, row.document_type, row.status,
        aware(row.received_at), score, exact,
    )  # fmt: skip


def _highlights(line: str, folded_words: set[str]) -> list[tuple[int, int]]:
    """Spans of ``line`` whose folding is one of ``folded_words`` (folding keeps one character
    per character of NFC text, bar the marks, so spans are found word by word)."""
    spans = []
    for match in TOKEN_SPAN.finditer(line):
        if _folded_word(match.group()) in folded_words:
            spans.append((match.start(), match.end()))
    return spans


@lru_cache(maxsize=65_536)
def _folded_word(word: str) -> str:
    """A page's words repeat across hits (names, labels): each is folded once per process."""
    return fold(word)
