"""Every read of personal data and every write is recorded before its answer leaves.

An ASGI middleware, so that it sees the status the caller is given, whatever produced it (the
route, a refusal by ``authorize``, an error handler). The record is written when the answer
starts; if it cannot be written, the caller gets 503 instead of the data: nothing is read
without a trace. The route's entry in ``api.access.ROUTES`` says whether it is recorded; the
path's ids (dossier, document, page, key), the caller's key (``authorize`` leaves it in the
request state), the ``X-Purpose`` header and what a route adds (the subject it looked up, the
dossier an upload created) make the record. A request without a valid key is not recorded:
it read nothing and has no one to record.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import unquote

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.access import ROUTES
from api.errors import RETRY_AFTER_SECONDS
from models.access import AuditKind
from models.status import SubjectKind
from models.tables import AuditEvent
from storage.audit import record_event
from storage.database import transaction

log = logging.getLogger(__name__)

PURPOSE_HEADER = b"x-purpose"
MAX_PURPOSE_CHARS = 500
UNRECORDED = (
    b'{"error": {"code": "audit_unavailable", "message": "the audit trail cannot be written '
    b'just now, so nothing is answered; send the request again shortly"}}'
)


def note_subject(state: Any, kind: SubjectKind, identifier: str) -> None:
    """Tell the trail which citizen or enterprise this request is about."""
    state.audit_subject = (kind, identifier)


def note_document(state: Any, document_id: str, dossier_id: str) -> None:
    """Tell the trail which document (and dossier) this request read or wrote, when the path
    names something else (a review task)."""
    state.audit_document_id = document_id
    state.audit_dossier_id = dossier_id


def note_dossier(state: Any, dossier_id: str) -> None:
    """Tell the trail which dossier this request wrote to (when the path does not say)."""
    state.audit_dossier_id = dossier_id


class AuditTrail:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refused = False

        async def send_recorded(message: Message) -> None:
            nonlocal refused
            if message["type"] == "http.response.start":
                refused = not await self._record(scope, message["status"])
                if refused:
                    await send(_unavailable_start())
                    await send({"type": "http.response.body", "body": UNRECORDED})
                    return
            if not refused:
                await send(message)

        try:
            await self.app(scope, receive, send_recorded)
        except Exception:
            await self._record(scope, 500)
            raise

    async def _record(self, scope: Scope, status: int) -> bool:
        """Write the event if the route is recorded; False when it had to be and could not."""
        event = _event(scope, status)
        if event is None:
            return True
        sessions = scope["app"].state.services.sessions
        try:
            await run_in_threadpool(_write, sessions, event)
        except Exception:
            log.exception("audit: the event of %s could not be written", event.action)
            return False
        return True


def _write(sessions: Any, event: AuditEvent) -> None:
    with transaction(sessions) as session:
        record_event(session, event)


def _event(scope: Scope, status: int) -> AuditEvent | None:
    action = getattr(scope.get("route"), "name", "")
    access = ROUTES.get(action)
    state = scope.get("state", {})
    caller = state.get("caller")
    if access is None or access.audit is None or caller is None:
        return None
    params = scope.get("path_params", {})
    subject_kind, subject_identifier = state.get("audit_subject", (None, None))
    purpose = dict(scope["headers"]).get(PURPOSE_HEADER)
    return AuditEvent(
        key_id=caller.key_id,
        kind=AuditKind(access.audit),
        action=action,
        dossier_id=params.get("dossier_id") or state.get("audit_dossier_id"),
        document_id=params.get("document_id") or state.get("audit_document_id"),
        target=_target(params),
        subject_kind=subject_kind,
        subject_identifier=subject_identifier,
        purpose=read_purpose(purpose) if purpose else None,
        status=status,
    )


def read_purpose(header: bytes) -> str:
    """Headers are Latin-1: a purpose written in Vietnamese travels percent-encoded (UTF-8)."""
    return unquote(header.decode("latin-1"), errors="replace")[:MAX_PURPOSE_CHARS]


def _target(params: dict[str, Any]) -> str | None:
    if "index" in params:
        return f"page {params['index']}"
    if "key_id" in params:
        return f"key {params['key_id']}"
    for name, what in (("task_id", "review task"), ("field_id", "field"), ("group_id", "group")):
        if name in params:
            return f"{what} {params[name]}"[:64]
    return None


def _unavailable_start() -> Message:
    return {
        "type": "http.response.start",
        "status": 503,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(UNRECORDED)).encode()),
            (b"retry-after", str(RETRY_AFTER_SECONDS).encode()),
        ],
    }
