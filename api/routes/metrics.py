"""``GET /metrics``: Prometheus's text format (see ``api.metrics`` for what it holds)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

router = APIRouter(tags=["health"])


@router.get("/metrics", response_class=Response)
def metrics(request: Request) -> Response:
    """Counts of queued, running and finished work, fields and review tasks, pages' OCR
    confidence, stage and request timings; no personal data. Open, like the health checks:
    restrict it at the proxy where the counts themselves must stay private."""
    registry = request.app.state.metrics_registry
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
