"""Sign-in for browsers: an API key traded for an ``HttpOnly``, ``SameSite=Strict`` cookie.

The review page signs its operator in once; after that the cookie stands for the key, and every
request that changes something carries the session's CSRF token in ``X-CSRF-Token``. Programs
keep sending ``Authorization: Bearer``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi import APIRouter, Request, status
from fastapi.responses import Response

from api.auth import SESSION_COOKIE, Caller, CallerDep
from api.deps import ServicesDep, SessionDep
from api.failed_keys import counted_key_check
from models.access_schemas import SignedIn, SignIn
from models.tables import ApiKey
from storage import sign_in as sign_ins

sign_in_router = APIRouter(prefix="/v1/sessions", tags=["sessions"])
router = APIRouter(prefix="/v1/sessions", tags=["sessions"])


@sign_in_router.post("", response_model=SignedIn, status_code=status.HTTP_201_CREATED)
def sign_in(
    request: Request, body: SignIn, response: Response, session: SessionDep, services: ServicesDep
) -> SignedIn:
    """Sign in with an API key: the answer sets the session cookie and gives the CSRF token."""
    lifetime = timedelta(hours=services.settings.sign_in_hours)
    with counted_key_check(services, request, body.key):
        opened = sign_ins.sign_in(session, body.key, lifetime)
    response.set_cookie(
        SESSION_COOKIE,
        opened.token,
        max_age=int(lifetime.total_seconds()),
        path="/",
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="strict",
    )
    key = opened.key
    request.state.caller = Caller(key.id, key.name, key.role_set, key.agency_set)  # audited
    return _signed_in(key, opened.csrf_token, opened.expires_at)


@router.get("/current", response_model=SignedIn)
def get_sign_in(request: Request, caller: CallerDep, session: SessionDep) -> SignedIn:
    """Who this caller is: a browser's sign-in with its CSRF token (a page reloaded needs it
    again; another site's page cannot read this answer), or a bearer key's name and roles."""
    token = request.cookies.get(SESSION_COOKIE)
    bearer = request.headers.get("authorization", "").lower().startswith("bearer ")
    if token is None or bearer:  # authorize took the bearer key before any cookie
        return SignedIn(
            key_id=caller.key_id,
            name=caller.name,
            roles=sorted(caller.roles),
            agencies=None if caller.agencies is None else sorted(caller.agencies),
            signed_in=False,
            csrf_token=None,
            expires_at=None,
        )
    key, signed = sign_ins.signed_in(session, token)
    return _signed_in(key, signed.csrf_token, signed.expires_at)


def _signed_in(key: ApiKey, csrf_token: str, expires_at: datetime) -> SignedIn:
    agencies = key.agency_set
    return SignedIn(
        key_id=key.id,
        name=key.name,
        roles=sorted(key.role_set),
        agencies=None if agencies is None else sorted(agencies),
        signed_in=True,
        csrf_token=csrf_token,
        expires_at=expires_at,
    )


@router.delete("/current", status_code=status.HTTP_204_NO_CONTENT)
def sign_out(request: Request, caller: CallerDep, session: SessionDep) -> Response:
    """End this browser's sign-in (a caller with a bearer key has none to end)."""
    if token := request.cookies.get(SESSION_COOKIE):
        sign_ins.sign_out(session, token)
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
    return response
