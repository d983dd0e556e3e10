"""``sohoa demo``: the whole product on embedded defaults, driven like a reception desk would.

It starts what it needs (private Redis, the API, workers) as child processes, uploads the
sample dossiers through the API with the batch client, waits, prints what was digitized, and
stops everything it started on Ctrl-C. A second run finds the dossiers already uploaded and
shows them again.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import ExitStack, suppress
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table

from api.cli import print_report, upload_with_progress
from api.demo_agency import AgencyCredentials, write_agency_credentials
from ingest.redis_server import ensure_private_redis, stop_private_redis
from ingest.worker import prepare_database
from models.access import Role
from models.config import Settings
from models.status import DOCUMENT_READ, DOSSIER_SETTLED
from samples import write_sample_dossiers
from storage import keys
from storage.database import make_engine, make_session_factory, transaction

WAIT_SECONDS = 900
SIGN_WAIT_SECONDS = 60
SHOWN_FIELDS = ("cccd_number", "enterprise_code", "registration_number", "certificate_serial")
"""Fields the demo table shows, the first one found: whom or what each document is about."""


def free_port(preferred: int) -> int:
    """``preferred`` when it is free, else (or when it is 0) any free port."""
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", preferred))
        except OSError:
            probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(args: list[str], log_path: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    log = log_path.open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", "api", *args],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "OMP_THREAD_LIMIT": "1", **env},
    )


def demo_signing(settings: Settings) -> tuple[dict[str, str], Path | None]:
    """The settings the API and workers sign with, and the demo CA's certificate: the agency's
    own when one is configured (nothing to add), else a demonstration agency's, made once under
    ``data/demo-agency/`` and kept, so that copies of earlier runs still verify."""
    if settings.signing_configured:
        return {}, None
    folder = settings.data_dir / "demo-agency"
    credentials = AgencyCredentials(folder / "agency.p12", "demo", folder / "ca.pem")
    if not credentials.pkcs12.is_file():
        credentials = write_agency_credentials(folder, password=credentials.password)
    env = {
        "SOHOA_SIGNING_PKCS12": str(credentials.pkcs12.resolve()),
        "SOHOA_SIGNING_PKCS12_PASSWORD": credentials.password,
    }
    return env, credentials.ca_certificate


def wait_ready(api_url: str, server: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the API exited at start; see {log_path}")
        try:
            if httpx.get(f"{api_url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"the API did not become ready in 60 s; see {log_path}")


def demo_keys(settings: Settings) -> dict[Role, str]:
    """Fresh keys for the demo's desk and reader; those of an earlier run are revoked."""
    prepare_database(settings)
    engine = make_engine(settings.effective_database_url)
    tokens = {}
    with transaction(make_session_factory(engine)) as session:
        for key in keys.list_keys(session):
            if key.name.startswith("demo ") and key.revoked_at is None:
                keys.revoke_key(session, key.id)
        for role in (Role.SCANNER, Role.PROCESSOR):
            tokens[role] = keys.issue_key(session, name=f"demo {role}", roles=[role]).token
    engine.dispose()
    return tokens


def wait_done(api: httpx.Client, dossier_ids: list[str]) -> list[dict]:
    """The dossiers once settled and their read documents signed (signing follows reading by a
    job of its own: it is given ``SIGN_WAIT_SECONDS`` more)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        views = [api.get(f"/v1/dossiers/{i}").json() for i in dossier_ids]
        settled = all(view["status"] in DOSSIER_SETTLED for view in views)
        if (settled and _all_signed(views)) or time.monotonic() > deadline:
            return views
        if settled:
            deadline = min(deadline, time.monotonic() + SIGN_WAIT_SECONDS)
        time.sleep(1)


def _all_signed(views: list[dict]) -> bool:
    return all(
        document["signed_versions"]
        for view in views
        for document in view["documents"]
        if document["status"] in DOCUMENT_READ
    )


def results_table(api: httpx.Client, views: list[dict]) -> Table:
    table = Table(title="Digitized dossiers")
    columns = (
        "dossier", "document", "pages", "status", "conf.", "type", "ok/review", "about", "signed"
    )  # fmt: skip
    for column in columns:
        table.add_column(column)
    for view in views:
        for document in view["documents"]:
            kind, counts, names = "", "", document["error_reason"] or ""
            if document["status"] in DOCUMENT_READ:
                url = f"/v1/documents/{document['id']}/fields"
                kind, counts, names = _fields_summary(api.get(url).json())
            confidence = document["mean_confidence"]
            versions = document["signed_versions"]
            table.add_row(
                view["receipt_code"],
                document["filename"],
                str(document["page_count"] or "-"),
                document["status"],
                f"{confidence:.1f}" if confidence is not None else "-",
                kind,
                counts,
                names,
                f"v{versions[-1]['version']} {versions[-1]['pdfa'] or ''}" if versions else "-",
            )
    return table


def _fields_summary(fields: dict) -> tuple[str, str, str]:
    """The document type, "accepted/to review" counts, and whom or what it is about."""
    accepted = sum(field["status"] == "auto_accepted" for field in fields["fields"])
    shown = [
        field["value"]
        for field in fields["fields"]
        if field["name"] in SHOWN_FIELDS and field["value"] is not None
    ]
    review = len(fields["fields"]) - accepted
    return fields["document_type"] or "", f"{accepted}/{review}", shown[0] if shown else ""


def run_demo(settings: Settings, console: Console, *, port: int, workers: int, stay: bool) -> None:
    samples_dir = settings.data_dir / "samples"
    logs_dir = settings.data_dir / "logs"
    logs_dir.mkdir(parents=True, exist_ok=True)
    console.print(f"generating sample dossiers in {samples_dir}")
    write_sample_dossiers(samples_dir, seed=0, count=3)
    tokens = demo_keys(settings)
    signing_env, demo_ca = demo_signing(settings)
    started_redis = not settings.redis_url and ensure_private_redis(settings.redis_socket)
    port = free_port(port)
    api_url = f"http://127.0.0.1:{port}"
    with ExitStack() as stack:
        if started_redis:
            stack.callback(stop_private_redis, settings.redis_socket)
        children = [start(["serve", "--port", str(port)], logs_dir / "api.log", signing_env)]
        children += [
            start(["worker"], logs_dir / f"worker-{n}.log", signing_env) for n in range(workers)
        ]
        stack.callback(stop_children, children)
        wait_ready(api_url, children[0], logs_dir / "api.log")
        console.print(f"API ready at {api_url}; uploading through it like a desk scanner")
        scanner_key, processor_key = tokens[Role.SCANNER], tokens[Role.PROCESSOR]
        report = upload_with_progress(api_url, scanner_key, samples_dir, "unknown", "unknown")
        print_report(report)
        headers = {"Authorization": f"Bearer {processor_key}"}
        with httpx.Client(base_url=api_url, headers=headers, timeout=10) as api:
            views = wait_done(api, list(report.dossier_ids.values()))
            console.print(results_table(api, views))
        console.print(f"API: {api_url}  (OpenAPI: {api_url}/docs, logs: {logs_dir})")
        console.print("a processor's key, to read what was digitized:")
        console.print(processor_key, soft_wrap=True)
        console.print(
            f"  e.g. curl -H 'Authorization: Bearer {processor_key}' {api_url}/v1/dossiers",
            soft_wrap=True,
        )
        console.print(
            f"  signed copies: {api_url}/v1/documents/<id>/signed.pdf, checked with "
            f"POST /v1/verify or `sohoa verify FILE`"
            + (f" (a demo agency, its CA in {demo_ca})" if demo_ca else ""),
            soft_wrap=True,
        )
        if stay:
            console.print("Press Ctrl-C to stop the API, the workers and Redis.")
            wait_for_interrupt()


def wait_for_interrupt() -> None:
    with suppress(KeyboardInterrupt):
        signal.pause()


def stop_children(children: list[subprocess.Popen[bytes]]) -> None:
    for child in children:
        child.terminate()
    for child in children:
        try:
            child.wait(timeout=15)
        except subprocess.TimeoutExpired:
            child.kill()
