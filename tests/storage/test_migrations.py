"""Migrations upgrade a database that already holds rows, on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from sqlalchemy import Connection, DateTime, column, insert, inspect, select, table

from models.schemas import FieldPublic
from models.status import DocumentStatus, DossierStatus
from models.tables import Document, Dossier, ExtractedField, Page, ReviewTask
from storage import page_hashes
from storage.database import make_engine, make_session_factory, migrate, transaction

READ_AT = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)

# The tables as revision 0003 left them, with only the columns an insert must give: rows
# written through these are what a database held before 0004.
DOSSIERS_0003 = table(
    "dossiers",
    *(column(name) for name in ("id", "receipt_code", "procedure_code", "agency", "status")),
    *(column(name, DateTime(timezone=True)) for name in ("received_at", "updated_at")),
)
DOCUMENTS_0003 = table(
    "documents",
    *(column(name) for name in ("id", "dossier_id", "sha256", "filename", "size_bytes")),
    *(column(name) for name in ("status", "document_type")),
    *(column(name, DateTime(timezone=True)) for name in ("created_at", "updated_at")),
)
FIELDS_0003 = table(
    "fields",
    *(column(name) for name in ("document_id", "document_type", "name", "raw_text", "value")),
    *(column(name) for name in ("confidence", "source", "status", "problems")),
    column("updated_at", DateTime(timezone=True)),
)


def insert_read_card(connection: Connection) -> None:
    """A digitized dossier ``d-1`` holding one card ``doc-1``, as revision 0003 stored them."""
    connection.execute(
        insert(DOSSIERS_0003).values(
            id="d-1", receipt_code="MIGRATE-1", procedure_code="1.001612",
            agency="PVHCC", status="digitized", received_at=READ_AT, updated_at=READ_AT,
        )
    )  # fmt: skip
    connection.execute(
        insert(DOCUMENTS_0003).values(
            id="doc-1", dossier_id="d-1", sha256="e" * 64, filename="cccd.jpg",
            size_bytes=1, status="digitized", document_type="cccd", created_at=READ_AT,
            updated_at=READ_AT,
        )
    )  # fmt: skip


def test_0004_gives_the_fields_already_stored_no_reasons_and_no_details(
    database_url: str,
) -> None:
    engine = make_engine(database_url)
    try:
        migrate(engine, "0003")
        with engine.begin() as connection:
            insert_read_card(connection)
            connection.execute(
                insert(FIELDS_0003).values(
                    document_id="doc-1", document_type="cccd", name="place_of_residence",
                    raw_text="Hoàn Kiếm, Hà Nội", value="Hoàn Kiếm, Hà Nội", confidence=0.93,
                    source="ocr", status="auto_accepted", problems="[]", updated_at=READ_AT,
                )
            )  # fmt: skip
        migrate(engine)
        columns = {c["name"]: c for c in inspect(engine).get_columns("fields")}
        assert not columns["reasons"]["nullable"] and not columns["details"]["nullable"]
        with transaction(make_session_factory(engine)) as session:
            row = session.scalars(select(ExtractedField)).one()
            assert (row.value, row.reasons, row.details) == ("Hoàn Kiếm, Hà Nội", "[]", "{}")
            served = FieldPublic.model_validate(row)
        assert (served.reasons, served.details) == ([], {})
    finally:
        engine.dispose()


def test_0008_opens_a_review_task_for_each_field_already_waiting(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        migrate(engine, "0007")
        with engine.begin() as connection:
            insert_read_card(connection)
            for name, status in (("full_name", "needs_review"), ("sex", "auto_accepted")):
                connection.execute(
                    insert(FIELDS_0003).values(
                        document_id="doc-1", document_type="cccd", name=name, raw_text="?",
                        value="?", confidence=0.5, source="ocr", status=status, problems="[]",
                        updated_at=READ_AT,
                    )
                )  # fmt: skip
        migrate(engine)
        with transaction(make_session_factory(engine)) as session:
            task = session.scalars(select(ReviewTask)).one()
            assert (task.field_name, task.closed, task.dossier_id) == ("full_name", False, "d-1")
            assert session.get_one(Document, "doc-1").status == DocumentStatus.NEEDS_REVIEW
            assert session.get_one(Dossier, "d-1").status == DossierStatus.NEEDS_REVIEW
    finally:
        engine.dispose()


PAGES_0015 = table(
    "pages",
    *(column(name) for name in ("document_id", "index", "width", "height", "dpi", "image_key")),
    *(column(name) for name in ("words_key", "status", "text_source", "blank")),
    column("updated_at", DateTime(timezone=True)),
)


def test_0016_leaves_the_pages_read_before_it_unfingerprinted_and_no_source(
    database_url: str,
) -> None:
    """A page read before page fingerprints existed keeps its reading; without a digest or a
    perceptual hash it is found by no page read after (it is read by OCR, as before)."""
    engine = make_engine(database_url)
    try:
        migrate(engine, "0015")
        with engine.begin() as connection:
            insert_read_card(connection)
            connection.execute(
                insert(PAGES_0015).values(
                    document_id="doc-1", index=1, width=1091, height=718, dpi=300,
                    image_key="documents/doc-1/pages/1.png", words_key="documents/doc-1/ocr/1.json",
                    status="recognized", text_source="ocr", blank=False, updated_at=READ_AT,
                )
            )  # fmt: skip
        migrate(engine)
        with transaction(make_session_factory(engine)) as session:
            page = session.scalars(select(Page)).one()
            assert (page.words_key, page.text_source) == ("documents/doc-1/ocr/1.json", "ocr")
            assert (page.perceptual_hash, page.pixels_sha256, page.reused_from) == (None,) * 3
            assert page_hashes.similar_pages(session, [0] * 16, "PVHCC", limit=8) == []
            assert page_hashes.identical_page(session, "0" * 64, 300, "PVHCC") is None
    finally:
        engine.dispose()


def test_processes_starting_together_migrate_a_new_database_in_turn(postgres_url: str) -> None:
    """The API and its workers start at once on an empty PostgreSQL database: none fails."""
    failures: list[BaseException] = []

    def start() -> None:
        engine = make_engine(postgres_url)
        try:
            migrate(engine)
        except BaseException as e:
            failures.append(e)
        finally:
            engine.dispose()

    starting = [threading.Thread(target=start) for _ in range(4)]
    for thread in starting:
        thread.start()
    for thread in starting:
        thread.join()
    assert failures == []
    assert "documents" in inspect(make_engine(postgres_url)).get_table_names()
