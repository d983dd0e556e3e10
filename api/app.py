"""The FastAPI application: JSON API under /v1, health checks, OpenAPI at /docs."""

from __future__ import annotations

from fastapi import FastAPI

from api.body_limit import BodyLimit
from api.errors import install_error_handlers
from api.routes import documents, dossiers, health, subjects
from ingest.services import Services


def create_app(services: Services) -> FastAPI:
    """An app on ``services``, whose database is already migrated (``prepare_environment``)."""
    app = FastAPI(
        title="sohoa",
        summary="Digitized administrative dossiers: upload, status, text and words.",
        version="0.1.0",
    )
    app.state.services = services
    app.add_middleware(BodyLimit, max_bytes=services.settings.max_request_bytes)
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(dossiers.router)
    app.include_router(documents.router)
    app.include_router(subjects.router)
    return app
