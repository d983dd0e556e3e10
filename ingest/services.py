"""The parts a job needs (database, object store, queue, OCR engine, document types, signing
key), built once.

Job functions take only ids; they find their parts here. A worker process builds them lazily
from the settings on first use, after rq has forked the work horse, so no database connection
crosses a fork. Tests install their own with ``use_services``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from redis import Redis
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from ingest.agency_key import AgencyKey, load_agency_key
from models.config import Settings, get_settings
from ocr.engine import OcrEngine
from ocr.engine import make_engine as make_ocr_engine
from ocr.fields.doctypes import DocumentType, load_document_types
from storage.database import Pool, make_engine, make_session_factory
from storage.objects import ObjectStore, object_store


@dataclass
class Services:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    store: ObjectStore
    redis: Redis
    ocr: OcrEngine
    document_types: Mapping[str, DocumentType]
    agency_key: AgencyKey | None = None
    """The agency's signing key; None when signing is not configured (copies are not signed)."""

    @classmethod
    def from_settings(cls, settings: Settings) -> Services:
        pool = Pool(
            settings.database_pool_size,
            settings.database_pool_overflow,
            settings.database_pool_timeout_seconds,
        )
        engine = make_engine(settings.effective_database_url, pool)
        return cls(
            settings=settings,
            engine=engine,
            sessions=make_session_factory(engine),
            store=object_store(settings),
            redis=Redis.from_url(redis_url(settings)),
            ocr=make_ocr_engine(
                settings.ocr_languages,
                timeout_seconds=settings.ocr_page_seconds,
                osd_timeout_seconds=settings.osd_seconds,
                kind=settings.ocr_engine,
            ),
            document_types=load_document_types(),
            agency_key=load_agency_key(settings),
        )


def redis_url(settings: Settings) -> str:
    """The configured Redis, or the private one on the data folder's Unix socket."""
    if settings.redis_url:
        return settings.redis_url
    return f"unix://{settings.redis_socket.resolve()}"


_installed: Services | None = None


def use_services(services: Services | None) -> None:
    """Make ``services`` the ones jobs in this process use (None: build from settings again)."""
    global _installed
    _installed = services


def current_services() -> Services:
    global _installed
    if _installed is None:
        _installed = Services.from_settings(get_settings())
    return _installed
