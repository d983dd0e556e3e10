"""A dossier's progress for the citizen who holds its receipt: no key, no personal data.

``GET /v1/status/{receipt_code}`` answers JSON and ``GET /status/{receipt_code}`` a page
(server-rendered, no script). Both answer 404 alike for a code never received, so that the
answer to a guess says only whether that code exists. See ``models.public_schemas`` for what
is left out and why.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import ServicesDep, SessionDep
from api.routes.pages import PAGE_HEADERS, STATIC_URL, templates
from models.errors import NotFoundError
from models.public_schemas import STAGE_LABELS, STAGE_OF, PublicStatus
from models.schemas import DossierPublic
from storage import repository

router = APIRouter(tags=["status"])

ReceiptCode = Annotated[
    str, PathParam(pattern=r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,63}$", description="from the receipt")
]
NO_STORE = {"Cache-Control": "no-store"}


def public_status(session: SessionDep, receipt_code: str) -> PublicStatus:
    dossier = repository.find_dossier_summary(session, receipt_code)
    if dossier is None:
        raise NotFoundError(
            f"no dossier with receipt code {receipt_code}: check the code on the receipt",
            code="receipt_not_found",
        )
    progress = DossierPublic.model_validate(dossier)
    stage = STAGE_OF[dossier.status]
    return PublicStatus(
        receipt_code=dossier.receipt_code,
        stage=stage,
        stage_label=STAGE_LABELS[stage],
        pages_done=progress.pages_done,
        pages_total=progress.pages_total,
        received_at=dossier.received_at,
        updated_at=dossier.updated_at,
        due_on=dossier.due_on,
    )


@router.get("/v1/status/{receipt_code}", response_model=PublicStatus)
def get_public_status(receipt_code: ReceiptCode, session: SessionDep) -> PublicStatus:
    """The stage and progress of the dossier with this receipt code; 404 for a code never
    received. Open: carries nothing beyond what the receipt says, and the progress."""
    return public_status(session, receipt_code)


@router.get("/status", response_class=HTMLResponse, include_in_schema=False)
def public_status_form(request: Request, receipt_code: str | None = None) -> Response:
    """A box for the receipt code; the code typed leads to its page."""
    if receipt_code and receipt_code.strip():
        return RedirectResponse(f"/status/{quote(receipt_code.strip(), safe='')}", status_code=303)
    return _page(request, "status.html", {"status": None, "receipt_code": None}, 200)


@router.get("/status/{receipt_code}", response_class=HTMLResponse, include_in_schema=False)
def public_status_page(
    request: Request, receipt_code: ReceiptCode, session: SessionDep, services: ServicesDep
) -> HTMLResponse:
    try:
        status = public_status(session, receipt_code)
    except NotFoundError:
        return _page(request, "status.html", {"status": None, "receipt_code": receipt_code}, 404)
    zone = services.settings.zone
    shown = {
        "received": status.received_at.astimezone(zone).strftime("%H:%M ngày %d/%m/%Y"),
        "updated": status.updated_at.astimezone(zone).strftime("%H:%M ngày %d/%m/%Y"),
        "due": status.due_on.strftime("%d/%m/%Y") if status.due_on else None,
    }
    context = {"status": status, "receipt_code": receipt_code, "shown": shown}
    return _page(request, "status.html", context, 200)


def _page(request: Request, name: str, context: dict[str, object], code: int) -> HTMLResponse:
    return templates.TemplateResponse(
        request, name, {"static": STATIC_URL, **context}, status_code=code, headers=PAGE_HEADERS
    )
