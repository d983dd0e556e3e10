"""A cap on a request's body, applied while it streams in, before anything is spooled or stored.

FastAPI spools a multipart upload whole before the route runs, so the per-file limit
(``SOHOA_MAX_UPLOAD_BYTES``) alone would let a client fill the disk first. This middleware
answers 413 at once when the declared length is over ``SOHOA_MAX_REQUEST_BYTES``, and stops
reading when the bytes that arrive pass it (a chunked body declares none).
"""

from __future__ import annotations

import json
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send


def _message(limit: int) -> str:
    size = f"{limit // 2**20} MiB" if limit >= 2**20 else f"{limit // 2**10} KiB"
    return (
        f"the request is larger than the {size} this service accepts at once, and nothing of "
        "it was kept; send the dossier's files in several uploads"
    )


class BodyLimit:
    """ASGI middleware refusing bodies over ``max_bytes`` with a 413 in the API's error form."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _refuse(send, self.max_bytes)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # Raised inside the body's parsing: FastAPI lets it through to the API's
                    # handler, which answers in the usual error form.
                    raise HTTPException(413, _message(self.max_bytes))
            return message

        await self.app(scope, counted, send)


async def _refuse(send: Send, limit: int) -> None:
    body = json.dumps(
        {"error": {"code": "http_413", "message": _message(limit)}}, ensure_ascii=False
    ).encode()
    headers: list[Any] = [(b"content-type", b"application/json"), (b"connection", b"close")]
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
