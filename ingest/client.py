"""The scanner-side batch client: uploads a folder of dossiers through the API.

One sub-folder per dossier. Its ``dossier.json`` (when present) gives the receipt code,
procedure code and agency; otherwise the folder's name is the receipt code. Uploads are
resumable: before sending, the client asks the API which files the dossier already holds and
skips those by SHA-256, so running it again after a crash sends only what is missing. A failed
upload is retried with backoff and reported at the end; the other files carry on.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

RETRY_DELAYS_SECONDS = (1.0, 3.0, 10.0)
MANIFEST = "dossier.json"


class UploadError(Exception):
    """A file could not be uploaded; the message says why, for the end-of-batch report."""


class KeyRefusedError(UploadError):
    """The API refused the client's key: no file of the batch would fare better."""


def refuse_key(response: httpx.Response) -> None:
    if response.status_code in (401, 403):
        problem = problem_of(response)
        raise KeyRefusedError(f"the API refused the key ({response.status_code}): {problem}")


@dataclass(frozen=True)
class DossierFolder:
    path: Path
    receipt_code: str
    procedure_code: str
    agency: str
    files: list[Path]
    due_date: str | None = None  # the day the receipt promises the result, ISO 8601
    force_ocr: bool = False  # OCR PDF pages even when they carry text of their own
    results: frozenset[str] = frozenset()  # names of the files that are the agency's results


@dataclass
class BatchReport:
    uploaded: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    failed: dict[Path, str] = field(default_factory=dict)  # not uploaded: why
    rejected: dict[Path, str] = field(default_factory=dict)  # uploaded, refused by the API: why
    dossier_ids: dict[str, str] = field(default_factory=dict)  # receipt code -> dossier id


def find_dossiers(root: Path, procedure_code: str, agency: str) -> list[DossierFolder]:
    """Every sub-folder of ``root`` holding files, in name order.

    Every file but the manifest and hidden ones is sent, whatever its name says: the API
    sniffs the type from the content and explains what it cannot take.
    """
    folders = []
    for path in sorted(p for p in root.iterdir() if p.is_dir()):
        files = sorted(
            f
            for f in path.iterdir()
            if f.is_file() and f.name != MANIFEST and not f.name.startswith(".")
        )
        if not files:
            continue
        manifest_path = path / MANIFEST
        manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
        folders.append(
            DossierFolder(
                path=path,
                receipt_code=manifest.get("receipt_code", path.name),
                procedure_code=manifest.get("procedure_code", procedure_code),
                agency=manifest.get("agency", agency),
                files=files,
                due_date=manifest.get("due_date"),
                force_ocr=bool(manifest.get("force_ocr", False)),
                results=frozenset(manifest.get("results", ())),
            )
        )
    return folders


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def held_hashes(client: httpx.Client, receipt_code: str) -> tuple[str | None, set[str]]:
    """The dossier id for this receipt code (if any) and the SHA-256 of the files it holds."""
    response = client.get("/v1/dossiers", params={"receipt_code": receipt_code, "limit": 1})
    refuse_key(response)
    response.raise_for_status()
    items = response.json()["items"]
    if not items:
        return None, set()
    return items[0]["id"], {document["sha256"] for document in items[0]["documents"]}


def problem_of(response: httpx.Response) -> str:
    try:
        return str(response.json()["error"]["message"])
    except (ValueError, KeyError, TypeError):
        return response.text[:200]


def upload_file(client: httpx.Client, folder: DossierFolder, path: Path) -> dict[str, Any]:
    """POST one file into its dossier, retrying transient failures; returns the API's answer."""
    data = {
        "receipt_code": folder.receipt_code,
        "procedure_code": folder.procedure_code,
        "agency": folder.agency,
        "force_ocr": "true" if folder.force_ocr else "false",
        "results": "true" if path.name in folder.results else "false",
    }
    if folder.due_date:
        data["due_date"] = folder.due_date
    problem = ""
    for attempt in range(len(RETRY_DELAYS_SECONDS) + 1):
        if attempt:
            time.sleep(RETRY_DELAYS_SECONDS[attempt - 1])
        try:
            with path.open("rb") as stream:
                response = client.post(
                    "/v1/dossiers", data=data, files={"files": (path.name, stream)}
                )
        except httpx.TransportError as e:
            problem = f"could not reach the API: {e}"
            continue
        if response.status_code < 400:
            accepted: dict[str, Any] = response.json()
            return accepted
        refuse_key(response)
        problem = f"the API answered {response.status_code}: {problem_of(response)}"
        if response.status_code < 500:  # the request itself is wrong; sending again won't help
            break
    raise UploadError(problem)


def plan(
    client: httpx.Client, folders: list[DossierFolder], report: BatchReport
) -> Iterator[tuple[DossierFolder, Path, bool]]:
    """Each file with whether the API holds it already."""
    for folder in folders:
        dossier_id, held = held_hashes(client, folder.receipt_code)
        if dossier_id is not None:
            report.dossier_ids[folder.receipt_code] = dossier_id
        for path in folder.files:
            yield folder, path, file_sha256(path) in held


def upload_batch(
    client: httpx.Client,
    folders: list[DossierFolder],
    on_file: Callable[[Path], None] = lambda _path: None,
) -> BatchReport:
    """Upload every file not yet held; ``on_file`` is called after each file (progress).

    ``client`` has the API's base URL.
    """
    report = BatchReport()
    for folder, path, held in plan(client, folders, report):
        if held:
            report.skipped.append(path)
        else:
            try:
                accepted = upload_file(client, folder, path)
                report.dossier_ids[folder.receipt_code] = accepted["dossier_id"]
                report.uploaded.append(path)
                for document in accepted["documents"]:
                    if document["error_reason"]:
                        report.rejected[path] = document["error_reason"]
            except KeyRefusedError:
                raise
            except UploadError as e:
                report.failed[path] = str(e)
        on_file(path)
    return report
