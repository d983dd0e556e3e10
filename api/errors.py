"""One place that turns errors into JSON answers: ``{"error": {"code", "message"}}``.

A client error's message is written for the person who sent the request and is shown as it is.
A server error's message may name a file-system path, a socket or the database host, so the
caller reads a sentence of ours and the log keeps the detail; an unreachable part answers 503
with ``Retry-After``. A browser that asks for a page (``/stats``) without being signed in is sent
to sign in on the review page, which brings it back.
"""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from models.errors import AuthenticationError, SohoaError, TooManyAttemptsError, UnavailableError

log = logging.getLogger(__name__)


def error_response(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": {"code": code, "message": message}})


RETRY_AFTER_SECONDS = 30
UNAVAILABLE = (
    "a part of the service (database, object store or job queue) cannot be reached just now; "
    "nothing of this request was kept: send it again shortly"
)
FAILED = "the service failed on this request; the failure is logged for its operators"


SIGN_IN_PAGE = "/review"
"""Where a browser asking for a page without being signed in is sent, and brought back from."""


async def handle_sohoa_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SohoaError)
    if isinstance(exc, AuthenticationError) and _browser_page(request):
        return RedirectResponse(f"{SIGN_IN_PAGE}?next={quote(request.url.path)}", status_code=303)
    if exc.http_status < 500:
        response = error_response(exc.http_status, exc.code, exc.message)
        if isinstance(exc, AuthenticationError):
            response.headers["WWW-Authenticate"] = "Bearer"
        if isinstance(exc, TooManyAttemptsError):
            response.headers["Retry-After"] = str(exc.retry_after)
        return response
    log.error("%s: %s", exc.code, exc.message)
    if isinstance(exc, UnavailableError):
        response = error_response(exc.http_status, exc.code, UNAVAILABLE)
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return error_response(exc.http_status, exc.code, FAILED)


async def handle_unexpected_error(_request: Request, exc: Exception) -> JSONResponse:
    log.error("unexpected error", exc_info=exc)
    return error_response(500, "internal_error", FAILED)


async def handle_validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = "; ".join(
        f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}" for error in exc.errors()
    )
    return error_response(422, "invalid_request", problems)


async def handle_http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    code = "not_found" if exc.status_code == 404 else f"http_{exc.status_code}"
    return error_response(exc.status_code, code, str(exc.detail))


def _browser_page(request: Request) -> bool:
    """A browser navigating to a page (not a script calling the API)."""
    return (
        request.method == "GET"
        and not request.url.path.startswith("/v1/")
        and "text/html" in request.headers.get("accept", "")
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(SohoaError, handle_sohoa_error)
    app.add_exception_handler(RequestValidationError, handle_validation_error)
    app.add_exception_handler(HTTPException, handle_http_error)
    app.add_exception_handler(Exception, handle_unexpected_error)
