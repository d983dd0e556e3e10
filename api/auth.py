"""Who is calling: the API key in ``Authorization: Bearer``, checked against the route's roles.

``authorize`` runs before every route but the health checks (``create_app`` puts it on their
routers); it reads the route's entry in ``api.access.ROUTES``, so routes hold no permission
checks of their own. An agency-scoped key sees its agencies' dossiers only: another agency's
dossier answers 404, exactly like one that does not exist, so ids cannot be probed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.access import ROUTES
from api.deps import ServicesDep
from models.access import Role
from models.errors import AuthenticationError, ForbiddenError
from storage import keys
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


def authorize(
    request: Request,
    services: ServicesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
) -> Caller:
    access = ROUTES[request.scope["route"].name]
    if credentials is None:
        raise AuthenticationError(
            "this request needs an API key: send 'Authorization: Bearer <key>'",
            code="key_missing",
        )
    with transaction(services.sessions) as session:
        key = keys.authenticate(session, credentials.credentials)
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


CallerDep = Annotated[Caller, Security(authorize)]
