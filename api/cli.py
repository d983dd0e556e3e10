"""The ``sohoa`` command: serve, worker, ingest, reconcile, keys, verify, samples, demo."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
import uvicorn
from rich.console import Console
from rich.progress import Progress

from api import keys_cli
from api.log_redaction import redacted_log_config
from api.shared_metrics import share_request_metrics
from ingest.client import BatchReport, UploadError, find_dossiers, upload_batch
from ingest.desk_check import await_components
from ingest.queues import ALL_QUEUES
from ingest.reconciler import prune_old_events, reconcile
from ingest.search_reindex import reindex_pages
from ingest.services import Services
from ingest.verification import verify_copy
from ingest.webhooks import client_for as webhook_client
from ingest.webhooks import dispatch
from ingest.worker import prepare_database, prepare_environment, run_worker
from models.config import get_settings
from models.errors import RejectedFileError, UnavailableError
from models.signing_schemas import CopyVerdict
from samples import write_sample_dossiers

app = typer.Typer(help="sohoa: digitize administrative dossiers.", no_args_is_help=True)
app.add_typer(keys_cli.app, name="keys")
console = Console()
UPLOAD_TIMEOUT_SECONDS = 120.0


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, help="processes answering requests; up to one per core")
    ] = 1,
) -> None:
    """Run the API (JSON under /v1, OpenAPI at /docs)."""
    settings = get_settings()
    prepare_environment(settings)
    if workers > 1:
        share_request_metrics(settings.data_dir / "metrics")
    uvicorn.run(
        "api.app:served_app", factory=True, host=host, port=port, workers=workers,
        log_config=redacted_log_config(),
    )  # fmt: skip


@app.command()
def worker(
    queues: Annotated[str, typer.Option(help="comma-separated queues")] = ",".join(ALL_QUEUES),
    burst: Annotated[bool, typer.Option(help="stop when the queues are empty")] = False,
) -> None:
    """Run one worker (start one per core; tesseract is pinned to one thread)."""
    names = [name.strip() for name in queues.split(",") if name.strip()]
    unknown = set(names) - set(ALL_QUEUES)
    if unknown:
        raise typer.BadParameter(f"unknown queue(s) {sorted(unknown)}; known: {ALL_QUEUES}")
    run_worker(get_settings(), names, burst=burst)


@app.command()
def ingest(
    folder: Annotated[
        Path, typer.Argument(exists=True, file_okay=False, help="one sub-folder per dossier")
    ],
    api: Annotated[str, typer.Option(help="the API's base URL")] = "http://127.0.0.1:8000",
    procedure_code: Annotated[
        str, typer.Option(help="when a folder has no dossier.json")
    ] = "unknown",
    agency: Annotated[str, typer.Option(help="when a folder has no dossier.json")] = "unknown",
    key: Annotated[
        str, typer.Option(envvar="SOHOA_API_KEY", help="a scanner's API key", show_default=False)
    ] = "",
    wait: Annotated[
        int,
        typer.Option(
            min=0,
            help="seconds to wait for the documents to be typed, then list the papers each "
            "dossier's procedure asks for that are missing or there twice; 0: do not wait",
        ),
    ] = 120,
) -> None:
    """Upload a batch of scanned dossiers; files already uploaded are skipped, so re-run freely.
    Then, while the citizen is still at the desk, say which papers a dossier lacks."""
    if not key:
        raise typer.BadParameter(
            "give a scanner's API key: --key or SOHOA_API_KEY", param_hint="--key"
        )
    try:
        report = upload_with_progress(api, key, folder, procedure_code, agency)
    except UploadError as e:
        console.print(f"[red]nothing uploaded[/]: {e}")
        raise typer.Exit(code=2) from e
    print_report(report)
    if wait and report.dossier_ids:
        headers = {"Authorization": f"Bearer {key}"}
        client = httpx.Client(base_url=api, timeout=UPLOAD_TIMEOUT_SECONDS, headers=headers)
        with client, console.status("reading the documents to check each dossier's papers"):
            answers = await_components(client, report.dossier_ids, wait)
        print_components(answers)
    if report.failed:
        raise typer.Exit(code=1)


def upload_with_progress(
    api: str, key: str, folder: Path, procedure_code: str, agency: str
) -> BatchReport:
    dossiers = find_dossiers(folder, procedure_code, agency)
    total = sum(len(d.files) for d in dossiers)
    headers = {"Authorization": f"Bearer {key}"}
    with Progress(console=console) as progress:
        task = progress.add_task(f"uploading {len(dossiers)} dossier(s)", total=total)
        with httpx.Client(base_url=api, timeout=UPLOAD_TIMEOUT_SECONDS, headers=headers) as client:
            return upload_batch(client, dossiers, on_file=lambda _path: progress.advance(task))


def print_report(report: BatchReport) -> None:
    console.print(
        f"uploaded {len(report.uploaded)}, already there {len(report.skipped)}, "
        f"refused {len(report.rejected)}, failed {len(report.failed)}"
    )
    for path, reason in report.rejected.items():
        console.print(f"[yellow]refused[/] {path}: {reason}")
    for path, reason in report.failed.items():
        console.print(f"[red]failed[/] {path}: {reason}")


def print_components(answers: dict[str, dict[str, Any] | None]) -> None:
    for receipt_code, components in answers.items():
        if components is None:
            continue
        if components["missing"]:
            missing = "; ".join(components["missing"])
            console.print(f"[red]{receipt_code}[/]: missing: {missing}")
        if components["repeated"]:
            repeated = "; ".join(components["repeated"])
            console.print(f"[yellow]{receipt_code}[/]: more than once: {repeated}")
        if components["pending_documents"]:
            reading = components["pending_documents"]
            console.print(f"{receipt_code}: {reading} document(s) still being read; see the "
                          "dossier's components later (GET /v1/dossiers/ID)")  # fmt: skip
        elif components["complete"] and not components["repeated"]:
            console.print(f"[green]{receipt_code}[/]: every paper of the procedure is there")


@app.command("reconcile")
def reconcile_command(
    every: Annotated[int, typer.Option(help="seconds between passes; 0: one pass")] = 0,
) -> None:
    """Re-enqueue documents whose work has not advanced within its deadline, and prune status
    events past their retention."""
    settings = get_settings()
    prepare_environment(settings)
    services = Services.from_settings(settings)
    while True:
        try:
            requeued = reconcile(services)
            pruned = prune_old_events(services)
        except UnavailableError as e:  # the database or Redis is down: the next pass retries
            if every <= 0:
                raise
            console.print(f"[yellow]reconcile pass skipped[/]: {e.message}")
        else:
            console.print(f"re-enqueued {len(requeued)} document(s), pruned {pruned} old event(s)")
        if every <= 0:
            return
        time.sleep(every)


@app.command("webhooks")
def webhooks_command(
    every: Annotated[float, typer.Option(help="seconds between passes; 0: one pass")] = 2,
) -> None:
    """Send the status events webhooks subscribed to, and retry those not yet received."""
    settings = get_settings()
    services = Services.from_settings(settings)
    with webhook_client(settings) as client:
        while True:
            try:
                done = dispatch(services.sessions, settings, client)
            except UnavailableError as e:  # the database is down: the next pass retries
                if every <= 0:
                    raise
                console.print(f"[yellow]webhook pass skipped[/]: {e.message}")
            else:
                if done.owed or done.sent:
                    console.print(f"owed {done.owed}, sent {done.sent}, received {done.delivered}")
            if every <= 0:
                return
            time.sleep(every)


@app.command("search-index")
def search_index_command() -> None:
    """Index again the lines of every page already read (pages read before the index existed)."""
    services = Services.from_settings(get_settings())
    console.print(f"indexed the lines of {reindex_pages(services)} page(s)")


@app.command("verify")
def verify_command(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="the PDF to check")],
    as_json: Annotated[bool, typer.Option("--json", help="print the verdict as JSON")] = False,
) -> None:
    """Say whether FILE is a copy this service signed, unmodified since, and of what; exits 0
    for a valid copy, 1 for one that is not, 2 for a file that is not a readable PDF."""
    settings = get_settings()
    prepare_database(settings)  # the database alone: a verdict needs no queue
    services = Services.from_settings(settings)
    try:
        with file.open("rb") as stream:
            verdict = verify_copy(services, stream)
    except RejectedFileError as e:
        console.print(f"[red]{file}[/]: {e.message}")
        raise typer.Exit(code=2) from e
    if as_json:
        typer.echo(verdict.model_dump_json(indent=2))
    else:
        print_verdict(file, verdict)
    if not verdict.valid:
        raise typer.Exit(code=1)


def print_verdict(file: Path, verdict: CopyVerdict) -> None:
    lines = [f"{file}: " + ("[green]valid[/]" if verdict.valid else "[red]not valid[/]")]
    if verdict.certificate is not None:
        lines += [
            f"  signed by   {verdict.certificate.subject}",
            f"  certificate {verdict.certificate.sha256}",
            f"  signed at   {verdict.signed_at} ({verdict.reason}, {verdict.location})",
        ]
    if verdict.document_id is not None:
        lines += [
            f"  document    {verdict.document_id}, version {verdict.version} "
            f"(newest {verdict.latest_version})",
            f"  dossier     {verdict.dossier_id}, receipt {verdict.receipt_code}",
        ]
    lines += [f"  [yellow]{problem}[/]" for problem in verdict.problems]
    console.print("\n".join(lines), soft_wrap=True)


@app.command()
def samples(
    folder: Annotated[Path, typer.Argument(help="where to write the dossier folders")],
    seed: int = 0,
    count: int = 3,
) -> None:
    """Generate synthetic scanned Vietnamese dossiers with their ground truth."""
    for path in write_sample_dossiers(folder, seed=seed, count=count):
        console.print(str(path))


@app.command()
def demo(
    port: Annotated[int, typer.Option(help="API port; 0 picks a free one")] = 8000,
    workers: Annotated[int, typer.Option(help="worker processes")] = 2,
    stay: Annotated[bool, typer.Option(help="keep running until Ctrl-C")] = True,
) -> None:
    """Generate sample dossiers, run the API and workers, upload, wait, and show the results."""
    from api.demo import run_demo

    run_demo(get_settings(), console, port=port, workers=workers, stay=stay)
