"""The review page: a shell of HTML, its script and its style sheet, all served by the app.

The page holds no data of its own: its script signs the operator in and works through the
review API (``api.routes.review``), so it sees exactly what the operator's key may see.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
STATIC_URL = "/static"
templates = Jinja2Templates(directory=Path(__file__).resolve().parent.parent / "templates")

router = APIRouter(include_in_schema=False)
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self'; frame-ancestors 'none'",
    "Cache-Control": "no-store",
}


@router.get("/review", response_class=HTMLResponse)
def review_page(request: Request) -> HTMLResponse:
    return templates.TemplateResponse(
        request, "review.html", {"static": STATIC_URL}, headers=PAGE_HEADERS
    )
