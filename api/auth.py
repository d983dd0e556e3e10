"""Who is calling: the API key in ``Authorization: Bearer``, or the sign-in cookie a browser
got for it (``POST /v1/sessions``), checked against the route's roles.

``authorize`` runs before every route but the health checks (``create_app`` puts it on their
routers); it reads the route's entry in ``api.access.ROUTES``, so routes hold no permission
checks of their own. An agency-scoped key sees its agencies' dossiers only: another agency's
dossier answers 404, exactly like one that does not exist, so ids cannot be probed.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated

from fastapi import Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.access import ROUTES
from api.deps import ServicesDep
from api.failed_keys import counted_key_check
from models.access import Role
from models.errors import AuthenticationError, ForbiddenError
from storage import keys, sign_in
from storage.database import transaction

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="ApiKey",
    description="An API key, `sohoa_<id>_<secret>`, from `sohoa keys create` or `POST /v1/keys`.",
)


@dataclass(frozen=True)
class Caller:
    key_id: str
    name: str
    roles: frozenset[Role]
    agencies: frozenset[str] | None
    """None: every agency."""

    def sees(self, agency: str) -> bool:
        return self.agencies is None or agency in self.agencies


SESSION_COOKIE = "sohoa_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def authorize(
    request: Request,
    services: ServicesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
) -> Caller:
    access = ROUTES[request.scope["route"].name]
    cookie = request.cookies.get(SESSION_COOKIE)
    with transaction(services.sessions) as session:
        if credentials is not None:
            with counted_key_check(services, request, credentials.credentials):
                key = keys.authenticate(session, credentials.credentials)
        elif cookie:
            key, signed = sign_in.signed_in(session, cookie)
            _check_csrf(request, signed.csrf_token)
        else:
            raise AuthenticationError(
                "this request needs an API key: send 'Authorization: Bearer <key>', or sign "
                "in (POST /v1/sessions)",
                code="key_missing",
            )
        caller = Caller(key.id, key.name, key.role_set, key.agency_set)
    request.state.caller = caller
    if not access.roles & caller.roles:
        allowed = ", ".join(sorted(access.roles))
        held = ", ".join(sorted(caller.roles))
        raise ForbiddenError(
            f"API key {caller.key_id} ({caller.name}) has the role(s) {held}; this request "
            f"needs one of: {allowed}"
        )
    return caller


def _check_csrf(request: Request, expected: str) -> None:
    """A signed-in browser's request that changes something carries the session's CSRF token,
    which another site's page cannot read."""
    if request.method in SAFE_METHODS:
        return
    sent = request.headers.get(CSRF_HEADER, "")
    if not secrets.compare_digest(sent.encode(), expected.encode()):
        raise ForbiddenError(
            f"a signed-in request that changes something needs the {CSRF_HEADER} header given "
            "at sign-in",
            code="csrf_token_missing",
        )


CallerDep = Annotated[Caller, Security(authorize)]
