"""After a batch is uploaded, the papers each dossier's procedure asks for that it lacks or holds
twice, while the citizen is still at the desk.

Documents are typed once they are read, so the client asks the API again every few seconds
until no document of the dossier is still being read, or until the desk stops waiting; what is
still being read then is reported as such, not as missing.
"""

from __future__ import annotations

import time
from typing import Any

import httpx

from ingest.client import problem_of, refuse_key

POLL_SECONDS = 2.0


def await_components(
    client: httpx.Client, dossier_ids: dict[str, str], wait_seconds: float
) -> dict[str, dict[str, Any] | None]:
    """Per receipt code, the dossier's ``components`` as ``GET /v1/dossiers/{id}`` gives them
    (None: its procedure lists none), once none of its documents is left to read or when
    ``wait_seconds`` have passed."""
    deadline = time.monotonic() + wait_seconds
    answers: dict[str, dict[str, Any] | None] = {}
    waiting = dict(dossier_ids)
    while True:
        for receipt_code, dossier_id in list(waiting.items()):
            response = client.get(f"/v1/dossiers/{dossier_id}")
            refuse_key(response)
            if response.status_code != 200:
                raise httpx.HTTPStatusError(
                    f"dossier {receipt_code}: {problem_of(response)}",
                    request=response.request, response=response,
                )  # fmt: skip
            components = response.json()["components"]
            answers[receipt_code] = components
            if components is None or components["pending_documents"] == 0:
                del waiting[receipt_code]
        if not waiting or time.monotonic() >= deadline:
            return answers
        time.sleep(POLL_SECONDS)
