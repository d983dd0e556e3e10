"""The metadata database on SQLite and on PostgreSQL, through the same code."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from ingest.services import Services
from models.errors import InvalidTransitionError, NotFoundError
from models.status import DocumentStatus, DossierStatus, PageStatus
from models.tables import Base, Document, Page
from storage import repository
from storage.database import migrate, transaction
from storage.search import FULL_TEXT_INDEXES

NEW = repository.NewDossier("000.00.12.H56-261127-0001", "1.001612", "Trung tâm PVHCC")


def add_document(services: Services, sha256: str = "a" * 64) -> Document:
    with transaction(services.sessions) as session:
        dossier = repository.get_or_create_dossier(session, NEW)
        document, _ = repository.add_document(
            session,
            Document(
                dossier_id=dossier.id,
                sha256=sha256,
                filename="don.pdf",
                media_type="application/pdf",
                size_bytes=10,
            ),
        )
        return document


def test_migrations_create_the_tables_and_can_run_twice(services: Services) -> None:
    migrate(services.engine)
    tables = set(inspect(services.engine).get_table_names())
    assert {"dossiers", "documents", "pages", "alembic_version"} <= tables


def models_describe(name: str | None, _type: str, _parents: object) -> bool:
    """Everything but the full-text index, which each database builds its own way."""
    return not (name or "").startswith(FULL_TEXT_INDEXES)


def test_migrations_build_exactly_the_tables_the_models_describe(services: Services) -> None:
    migrate(services.engine)
    with services.engine.connect() as connection:
        options = {"compare_type": False, "include_name": models_describe}
        context = MigrationContext.configure(connection, opts=options)
        assert compare_metadata(context, Base.metadata) == []


def test_receipt_code_is_the_dossier_natural_key(services: Services) -> None:
    with transaction(services.sessions) as session:
        first = repository.get_or_create_dossier(session, NEW)
    with transaction(services.sessions) as session:
        again = repository.get_or_create_dossier(session, NEW)
    assert again.id == first.id
    assert again.status == DossierStatus.RECEIVED
    assert isinstance(again.status, DossierStatus)


def test_same_bytes_twice_in_a_dossier_is_one_document(services: Services) -> None:
    first = add_document(services)
    second = add_document(services)
    assert second.id == first.id
    with transaction(services.sessions) as session:
        dossier = repository.get_dossier(session, first.dossier_id)
        assert len(dossier.documents) == 1


def test_document_status_moves_forward_only(services: Services) -> None:
    document = add_document(services)
    with transaction(services.sessions) as session:
        assert repository.move_document(session, document.id, DocumentStatus.PREPARING)
        assert not repository.move_document(session, document.id, DocumentStatus.PREPARING)
        with pytest.raises(InvalidTransitionError):
            repository.move_document(session, document.id, DocumentStatus.DIGITIZED)
    with transaction(services.sessions) as session:
        assert repository.fail_document(session, document.id, "corrupt_pdf", "cut short")
        # a failed document stays failed: a late job cannot bring it back
        assert not repository.move_document(session, document.id, DocumentStatus.RECOGNIZING)
        stored = repository.get_document(session, document.id)
        assert stored.status == DocumentStatus.FAILED
        assert stored.error_reason == "cut short"


def test_pages_are_recorded_once_and_finish_once(services: Services) -> None:
    document = add_document(services)
    row = {"document_id": document.id, "index": 1, "width": 10, "height": 20, "dpi": 300}
    with transaction(services.sessions) as session:
        first = repository.record_page(session, Page(**row, image_key="k"))
        again = repository.record_page(session, Page(**row, image_key="k"))
        assert again.id == first.id
        assert repository.finish_page(
            session, document.id, 1, PageStatus.RECOGNIZED, word_count=3, ocr_confidence=91.0
        )
        assert not repository.finish_page(session, document.id, 1, PageStatus.FAILED)
        page = repository.get_page(session, document.id, 1)
        assert page.status == PageStatus.RECOGNIZED
        assert page.word_count == 3


def test_listing_filters_and_pages(services: Services) -> None:
    add_document(services)
    with transaction(services.sessions) as session:
        other = repository.NewDossier("000.00.12.H56-261127-0002", "1.001612", "PVHCC")
        repository.get_or_create_dossier(session, other)
    with transaction(services.sessions) as session:
        items, total = repository.list_dossiers(session, limit=1)
        assert total == 2
        assert len(items) == 1
        items, total = repository.list_dossiers(session, receipt_code=NEW.receipt_code)
        assert total == 1
        assert items[0].documents[0].filename == "don.pdf"
        _, total = repository.list_dossiers(session, status=DossierStatus.DIGITIZED)
        assert total == 0


def test_missing_rows_are_not_found(services: Services) -> None:
    with transaction(services.sessions) as session:
        with pytest.raises(NotFoundError):
            repository.get_dossier(session, "nope")
        with pytest.raises(NotFoundError):
            repository.get_document(session, "nope")
