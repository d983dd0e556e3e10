"""Reuse under load: subject look-ups and searches on PostgreSQL holding 100,000 documents, from
100 concurrent clients (locust) while a worker OCRs dossiers uploaded in a loop.

It creates a PostgreSQL database of its own on 127.0.0.1 (dropped at the end unless
``--keep``), migrates and seeds it (``bench.reuse_seed``), starts the API and one worker on it,
and runs locust headless three times, one endpoint each: ``/healthz`` (the baseline: what the
2-core machine answers at this load for nothing), ``POST /v1/citizens/lookup`` with CCCD
numbers the database knows, and ``GET /v1/search`` with names as written, without marks, with
one typo, and CCCD numbers. It prints requests per second and p50/p95/p99 per endpoint, the
pages OCRed meanwhile, and ``EXPLAIN (ANALYZE, BUFFERS)`` of the statements a look-up and each
kind of search send. Goals (issue 14): p99 ≤ 50 ms for a look-up, ≤ 150 ms for a search.

Run with ``python -m bench.reuse_load [--documents N] [--database-url URL] [--keep]
[--api-workers N]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import psycopg
from redis import Redis
from sqlalchemy import Engine, text

from api.demo import free_port, stop_children, wait_ready
from bench import reuse_plans
from bench.reuse_seed import seed
from models.access import Role
from models.status import DOSSIER_SETTLED
from samples import write_sample_dossiers
from storage.database import make_engine, make_session_factory, migrate, transaction
from storage.keys import issue_key

ADMIN_URL = os.environ.get(
    "SOHOA_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("SOHOA_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
LOCUSTFILE = Path(__file__).with_name("reuse_locustfile.py")
SCENARIOS = ("Baseline", "Lookup", "Search")
GOALS_MS = {"/v1/citizens/lookup": 50, "/v1/search": 150}
QUERIES_PER_KIND = 500


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--database-url", help="default: a new database, dropped at the end")
    parser.add_argument("--keep", action="store_true", help="keep the database it created")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=60, help="per endpoint")
    parser.add_argument("--api-workers", type=int, default=2, help="sohoa serve --workers")
    parser.add_argument(
        "--wait", default="0.5-1.5", help="seconds between a client's requests, low-high; 0: none"
    )
    args = parser.parse_args()
    url, created = args.database_url, None
    if url is None:
        created = f"sohoa_bench_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{created}"')
        url = f"{ADMIN_URL.rsplit('/', 1)[0]}/{created}"
    try:
        run(url, args)
    finally:
        if created and not args.keep:
            with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{created}" WITH (FORCE)')
        elif created:
            print(f"kept the database: {url}")


def run(url: str, args: argparse.Namespace) -> None:
    engine = make_engine(url)
    migrate(engine)
    with engine.connect() as connection:
        held = connection.scalar(text("SELECT count(*) FROM documents")) or 0
    if held == 0:
        began = time.monotonic()
        seeded = seed(url, args.documents)
        steps = ", ".join(f"{step} {seconds:.1f} s" for step, seconds in seeded.seconds.items())
        print(f"seeded {seeded.documents} documents, {seeded.dossiers} dossiers in "
              f"{time.monotonic() - began:.1f} s ({steps})")  # fmt: skip
        print("rows: " + ", ".join(f"{table} {rows}" for table, rows in seeded.rows.items()))
    else:
        print(f"the database already holds {held} documents: not seeded")
    queries = pick_queries(engine)
    with transaction(make_session_factory(engine)) as session:
        roles = [Role.PROCESSOR, Role.SCANNER]
        token = issue_key(session, name="bench.reuse_load", roles=roles).token
    with tempfile.TemporaryDirectory(prefix="sohoa-reuse-load-") as folder:
        results, pages = measure(url, Path(folder), token, queries, args)
    print_table(results, pages, args)
    print_plans(engine, url, queries)
    engine.dispose()


def pick_queries(engine: Engine) -> dict[str, Any]:
    """CCCD numbers and names the database holds, and the kinds of search a desk types."""
    rng = random.Random(14)
    with engine.connect() as connection:
        numbers = list(connection.scalars(text(
            "SELECT identifier FROM subjects TABLESAMPLE SYSTEM (5) REPEATABLE (14) LIMIT 2000"
        )))  # fmt: skip
        names = list(connection.scalars(text(
            "SELECT value FROM fields TABLESAMPLE SYSTEM (5) REPEATABLE (14) "
            "WHERE name = 'full_name' AND value IS NOT NULL LIMIT 2000"
        )))  # fmt: skip
        terms = set(connection.scalars(text("SELECT term FROM search_terms")))
        commonest = connection.scalar(text(
            "SELECT value FROM fields WHERE name = 'full_name' GROUP BY value "
            "ORDER BY count(*) DESC LIMIT 1"
        ))  # fmt: skip
    from storage.text_folding import fold

    typos = [typo for name in names if (typo := one_typo(rng, fold(name), terms))]
    return {
        "commonest name": commonest,
        "cccd": numbers,
        "search": {
            "name as written": names[:QUERIES_PER_KIND],
            "name without marks": [fold(name) for name in names[:QUERIES_PER_KIND]],
            "name with one typo": typos[:QUERIES_PER_KIND],
            "cccd number": numbers[:QUERIES_PER_KIND],
        },
    }


def one_typo(rng: random.Random, name: str, terms: set[str]) -> str | None:
    """``name`` with one letter of its given name changed into a word the index never saw."""
    *rest, given = name.split()
    if len(given) < 3:
        return None
    for _ in range(10):
        at = rng.randrange(len(given))
        word = given[:at] + rng.choice("abcdeghiklmnopqrstuvxy") + given[at + 1 :]
        if word not in terms:
            return " ".join([*rest, word])
    return None


def measure(
    url: str, data_dir: Path, token: str, queries: dict[str, Any], args: argparse.Namespace
) -> tuple[list[dict[str, str]], int]:
    """Locust's rows per endpoint, and the pages the worker read while they ran."""
    prefix = f"bench-{uuid.uuid4().hex[:8]}-"
    env = {
        **os.environ, "OMP_THREAD_LIMIT": "1", "SOHOA_DATA_DIR": str(data_dir / "data"),
        "SOHOA_DATABASE_URL": url, "SOHOA_REDIS_URL": REDIS_URL, "SOHOA_QUEUE_PREFIX": prefix,
    }  # fmt: skip
    env.pop("SOHOA_S3_ENDPOINT", None)
    samples = write_sample_dossiers(data_dir / "samples", seed=14, count=3)
    port = free_port(8790)
    api_url = f"http://127.0.0.1:{port}"
    log = data_dir / "sohoa.log"
    api = start(["serve", "--port", str(port), "--workers", str(args.api_workers)], env, log)
    worker = start(["worker"], env, log)
    stop = threading.Event()
    pages = [0]
    uploader = threading.Thread(target=upload_loop, args=(api_url, token, samples, stop, pages))
    try:
        wait_ready(api_url, api, log)
        uploader.start()
        (data_dir / "queries.json").write_text(json.dumps(queries, ensure_ascii=False))
        results = []
        for scenario in SCENARIOS:
            results += run_locust(scenario, api_url, token, data_dir, args)
        errors = [line for line in log.read_text(errors="replace").splitlines()
                  if "Error" in line or "Exception" in line]  # fmt: skip
        for line in errors[-20:]:
            print(f"API log: {line}")
        return results, pages[0]
    finally:
        stop.set()
        if uploader.is_alive():
            uploader.join()
        stop_children([api, worker])
        redis = Redis.from_url(REDIS_URL)
        for key in redis.scan_iter(match=f"*{prefix}*"):  # its queues and registries
            redis.delete(key)


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "api", *args], stdout=log.open("ab"), stderr=subprocess.STDOUT,
        env=env,
    )  # fmt: skip


def upload_loop(
    api_url: str, token: str, samples: list[Path], stop: threading.Event, pages: list[int]
) -> None:
    """Keep the worker busy: upload a sample dossier under a new receipt code (forcing OCR),
    wait until it is settled, and again, counting the pages read."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=api_url, headers=headers, timeout=120) as client:
        for n in range(1_000_000):
            if stop.is_set():
                return
            folder = samples[n % len(samples)]
            files = [("files", (p.name, p.read_bytes())) for p in sorted(folder.iterdir())
                     if p.name != "dossier.json"]  # fmt: skip
            form = {"receipt_code": f"LOAD-{uuid.uuid4().hex[:12]}", "procedure_code": "1.001612",
                    "agency": "PVHCC-HN", "force_ocr": "true"}  # fmt: skip
            dossier = client.post("/v1/dossiers", data=form, files=files).raise_for_status().json()
            while not stop.wait(1):
                answer = client.get(f"/v1/dossiers/{dossier['dossier_id']}")
                view = answer.json() if answer.status_code == 200 else {}
                if view.get("status") in DOSSIER_SETTLED:
                    pages[0] += sum(d.get("page_count") or 0 for d in view["documents"])
                    break


def run_locust(
    scenario: str, api_url: str, token: str, data_dir: Path, args: argparse.Namespace
) -> list[dict[str, str]]:
    prefix = data_dir / scenario
    env = {**os.environ, "SOHOA_BENCH_QUERIES": str(data_dir / "queries.json"),
           "SOHOA_BENCH_KEY": token, "SOHOA_BENCH_WAIT": args.wait}  # fmt: skip
    command = [
        str(Path(sys.executable).with_name("locust")), "-f", str(LOCUSTFILE), "--headless",
        "-u", str(args.users), "-r", "20", "-t", f"{args.seconds}s", "--host", api_url,
        "--csv", str(prefix), "--reset-stats", "--only-summary", "--loglevel", "WARNING",
        scenario,
    ]  # fmt: skip
    subprocess.run(command, env=env, check=False, capture_output=True)
    with (data_dir / f"{scenario}_stats.csv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    failures = data_dir / f"{scenario}_failures.csv"
    for row in csv.DictReader(failures.open(encoding="utf-8")) if failures.exists() else []:
        print(f"{scenario}: {row['Occurrences']}× {row['Method']} {row['Name']}: {row['Error']}")
    return [row for row in rows if row["Name"] != "Aggregated" or scenario == "Search"]


def print_table(results: list[dict[str, str]], pages: int, args: argparse.Namespace) -> None:
    print(f"\n{args.users} clients, {args.wait} s between a client's requests, {args.seconds} s "
          f"per endpoint; {args.api_workers} API processes; {pages} pages OCRed by one worker "
          "meanwhile")  # fmt: skip
    header = f"{'endpoint':<42} {'requests':>8} {'fail':>5} {'req/s':>7} {'p50':>5} {'p95':>5} "
    print(header + f"{'p99':>5} {'max':>6}  goal (ms)")
    for row in results:
        name = "/v1/search (all kinds)" if row["Name"] == "Aggregated" else row["Name"]
        goal = next((f"p99 ≤ {ms}" for path, ms in GOALS_MS.items() if name.startswith(path)), "")
        print(f"{name:<42} {row['Request Count']:>8} {row['Failure Count']:>5} "
              f"{float(row['Requests/s']):>7.1f} {row['50%']:>5} {row['95%']:>5} {row['99%']:>5} "
              f"{float(row['Max Response Time']):>6.0f}  {goal}")  # fmt: skip


def print_plans(engine: Engine, url: str, queries: dict[str, Any]) -> None:
    search = queries["search"]
    cccd = queries["cccd"]
    plans = reuse_plans.explain(
        engine,
        url, "look-up", lambda session: reuse_plans.look_up_citizen(session, cccd[0]),
    )  # fmt: skip
    asked = [(kind, typed[0]) for kind, typed in search.items()]
    for kind, query in [*asked, ("commonest name", queries["commonest name"])]:
        what = f"search {kind} {query!r}"
        plans += reuse_plans.explain(engine, url, what, reuse_plans.search_for(query))
    print(f"\n{'statement':<50} {'ms':>8}  indexes  (sequential scans)")
    for plan in plans:
        scans = f"  (seq: {', '.join(plan.scans)})" if plan.scans else ""
        print(f"{plan.what:<50} {plan.milliseconds:>8.2f}  {', '.join(plan.indexes)}{scans}")
    for plan in plans:
        print(f"\n--- {plan.what}\n{plan.sql}\n{plan.plan}")


if __name__ == "__main__":
    main()
