"""Liveness and readiness, for load balancers and orchestrators."""

from __future__ import annotations

import logging

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import ServicesDep
from ingest import queues
from models.errors import UnavailableError
from storage import database

log = logging.getLogger(__name__)

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is up; says nothing of the parts it needs."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(services: ServicesDep) -> JSONResponse:
    """Ready when the database, Redis and the object store all answer."""
    checks = {
        "database": lambda: database.check(services.engine),
        "queue": lambda: queues.check(services.redis),
        "object_store": services.store.check,
    }
    results: dict[str, str] = {}
    for name, check in checks.items():
        try:
            check()
            results[name] = "ok"
        except UnavailableError as e:  # the detail may name a host or a path: for the log
            log.warning("readyz: %s: %s", name, e.message)
            results[name] = "unreachable"
    ready = all(result == "ok" for result in results.values())
    return JSONResponse(
        status_code=200 if ready else 503,
        content={"status": "ready" if ready else "unavailable", "checks": results},
    )
