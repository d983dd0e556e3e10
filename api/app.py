"""The FastAPI application: JSON API under /v1, health checks, OpenAPI at /docs.

The Swagger UI at /docs is served by the app itself (``fastapi-offline``), so it works on a
closed network.

Every route but the health checks sits behind an API key (``api.auth``), with the roles its
entry in ``api.access.ROUTES`` gives it; a route without an entry stops the app at start.
"""

from __future__ import annotations

import gc

from fastapi import FastAPI, Security
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

from api.access import ROUTES
from api.audit_trail import AuditTrail
from api.auth import authorize
from api.body_limit import BodyLimit
from api.errors import install_error_handlers
from api.metrics import RequestMetrics, ServiceCollector
from api.routes import (
    audit,
    documents,
    dossiers,
    events,
    health,
    keys,
    metrics,
    pages,
    public_status,
    reuse,
    review,
    search,
    sessions,
    stats,
    subjects,
    verification,
    webhooks,
)
from api.shared_metrics import metrics_registries
from ingest.services import Services
from models.config import get_settings

KEYED_ROUTERS = (
    dossiers.router,
    documents.router,
    subjects.router,
    search.router,
    reuse.router,
    review.router,
    review.fields_router,
    keys.router,
    audit.router,
    sessions.router,
    events.router,
    webhooks.router,
    stats.router,
    verification.router,
)
OPEN_ROUTERS = (
    health.router,
    metrics.router,
    sessions.sign_in_router,
    pages.router,
    public_status.router,
)


def create_app(services: Services) -> FastAPI:
    """An app on ``services``, whose database is already migrated (``prepare_environment``)."""
    app = FastAPIOffline(
        static_url="/docs/static",
        redoc_url=None,
        title="sohoa",
        summary="Digitized administrative dossiers: upload, status, text and words.",
        version="0.1.0",
    )
    app.state.services = services
    app.add_middleware(AuditTrail)
    app.add_middleware(BodyLimit, max_bytes=services.settings.max_request_bytes)
    registry, request_registry = metrics_registries()
    registry.register(ServiceCollector(services))
    app.state.metrics_registry = registry
    app.add_middleware(RequestMetrics, registry=request_registry)  # outermost: sees every answer
    install_error_handlers(app)
    for router in OPEN_ROUTERS:
        app.include_router(router)
    app.mount(pages.STATIC_URL, StaticFiles(directory=pages.STATIC_DIR), name="static")
    for router in KEYED_ROUTERS:
        app.include_router(router, dependencies=[Security(authorize)])
    check_access_table()
    return app


GC_THRESHOLDS = (20_000, 20, 20)
"""Allocations between young collections, and the collections before each older one: a
request makes tens of thousands of short-lived objects (rows, models, JSON), which the default
700 would sweep tens of times over."""


def served_app() -> FastAPI:
    """The app ``sohoa serve`` runs, built in each of its processes from the settings. What is
    loaded by then (modules, schemas, document types, the catalogue) lives as long as the
    process: it is moved out of the collector's reach, so that a full collection in the middle
    of a request walks only what requests made."""
    app = create_app(Services.from_settings(get_settings()))
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    return app


def check_access_table() -> None:
    """Each route has exactly one entry in ``ROUTES``, and each entry a route."""
    routers = (*OPEN_ROUTERS, *KEYED_ROUTERS)
    names = [r.name for router in routers for r in router.routes if isinstance(r, APIRoute)]
    missing = sorted(set(names) - set(ROUTES))
    if missing:
        raise RuntimeError(f"routes without an entry in api.access.ROUTES: {missing}")
    if len(names) != len(set(names)):
        raise RuntimeError("two routes share a name; api.access.ROUTES needs them unique")
    if stale := sorted(set(ROUTES) - set(names)):
        raise RuntimeError(f"api.access.ROUTES names routes that do not exist: {stale}")
