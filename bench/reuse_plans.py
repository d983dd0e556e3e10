"""The SQL a subject look-up and a search run, captured as the service's own functions send it,
and PostgreSQL's ``EXPLAIN (ANALYZE, BUFFERS)`` of each statement.

The statements are taken from the engine (``before_cursor_execute``) while the storage
functions run exactly as the routes call them, then given their parameters as literals
(psycopg's ``ClientCursor.mogrify``) and explained on the same database.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

import psycopg
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from models.status import SubjectKind
from ocr.fields.doctypes import DocumentType, load_document_types, subject_fields
from storage import currency, subjects
from storage.search import SearchFilters, search

EXECUTION = re.compile(r"Execution Time: ([\d.]+) ms")
INDEX = re.compile(r"(?:Index|Index Only|Bitmap Index) Scan (?:Backward )?(?:using|on) (\w+)")


@dataclass(frozen=True)
class Plan:
    what: str
    sql: str
    plan: str

    @property
    def milliseconds(self) -> float:
        found = EXECUTION.search(self.plan)
        return float(found.group(1)) if found else float("nan")

    @property
    def indexes(self) -> list[str]:
        return sorted(set(INDEX.findall(self.plan)))

    @property
    def scans(self) -> list[str]:
        """Tables read whole (sequential scans), which an index might spare."""
        return sorted(set(re.findall(r"Seq Scan on (\w+)", self.plan)))


def look_up_citizen(session: Session, cccd_number: str) -> None:
    """What ``POST /v1/citizens/lookup`` asks the database, in its order (an unscoped key)."""
    subject = subjects.find_subject(session, SubjectKind.CITIZEN, cccd_number)
    mentions = subjects.subject_mentions(session, subject.id, None)
    named = {mention.document.id for mention in mentions}
    of = currency.currency(session, subject.id, named, date.today())
    alive = {document_id for document_id, c in of.items() if c.current}
    describing = subject_fields(_document_types())
    subjects.known_values(session, subject.id, describing, None, alive)


@cache
def _document_types() -> dict[str, DocumentType]:
    return load_document_types()


def search_for(query: str) -> Callable[[Session], None]:
    def run(session: Session) -> None:
        search(session, query, SearchFilters(agencies=None), 20, 0)

    return run


def explain(engine: Engine, url: str, what: str, work: Callable[[Session], None]) -> list[Plan]:
    """Each SELECT ``work`` sends, with its plan as it runs."""
    sent: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        with Session(engine) as session:
            work(session)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    plans = []
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as connection:
        cursor = psycopg.ClientCursor(connection)
        for n, (statement, parameters) in enumerate(sent, 1):
            sql = cursor.mogrify(statement, parameters)
            rows = cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}").fetchall()
            plans.append(Plan(f"{what} #{n}", sql, "\n".join(row[0] for row in rows)))
    return plans
