"""Pages per minute of the whole pipeline versus raw tesseract on the same pages, in one run.

N generated noisy pages go through the API (upload → prepare → OCR → finalize) with 2 worker
processes, on embedded defaults in a temporary data folder. The baseline is the tesseract CLI
(`tesseract IMAGE out -l vie+eng`) on the same page images, 2 at a time. Both run with
OMP_THREAD_LIMIT=1, as the workers do. The machine is noisy, so only the ratio of two figures
measured side by side means anything.

    .venv/bin/python bench/pipeline_speed.py [--pages 20]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from api.demo import free_port, stop_children, wait_ready
from ingest.samples import DOCUMENT_KINDS, render_document, save_png, scan

ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}


def make_pages(folder: Path, count: int) -> list[Path]:
    paths = []
    for n in range(count):
        document = render_document(DOCUMENT_KINDS[n % len(DOCUMENT_KINDS)], seed=1000 + n)
        path = folder / f"page-{n:03d}.png"
        save_png([scan(document.pages[0].image, seed=n)], path)
        paths.append(path)
    return paths


def raw_tesseract(pages: list[Path], out: Path) -> float:
    def run(page: Path) -> None:
        subprocess.run(
            ["tesseract", str(page), str(out / page.stem), "-l", "vie+eng"],
            check=True,
            capture_output=True,
            env=ENV,
        )

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(run, pages))
    return time.monotonic() - started


def start(args: list[str], data_dir: Path) -> subprocess.Popen[bytes]:
    env = {**ENV, "SOHOA_DATA_DIR": str(data_dir)}
    for name in ("SOHOA_DATABASE_URL", "SOHOA_REDIS_URL", "SOHOA_S3_ENDPOINT"):
        env.pop(name, None)
    log = (data_dir / f"{args[0]}-{len(list(data_dir.glob('*.log')))}.log").open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", "api", *args], stdout=log, stderr=subprocess.STDOUT, env=env
    )


def pipeline(pages: list[Path], data_dir: Path) -> float:
    data_dir.mkdir()
    port = free_port(8765)
    api_url = f"http://127.0.0.1:{port}"
    children = [start(["serve", "--port", str(port)], data_dir)]
    try:
        wait_ready(api_url, children[0], data_dir)
        children += [start(["worker"], data_dir) for _ in range(2)]
        time.sleep(2)  # workers connected and idle
        form = {"procedure_code": "1.001612", "agency": "bench"}
        started = time.monotonic()
        with httpx.Client(base_url=api_url, timeout=120) as client:
            ids = []
            for n, page in enumerate(pages):
                response = client.post(
                    "/v1/dossiers",
                    data={**form, "receipt_code": f"BENCH-{n:04d}"},
                    files={"files": (page.name, page.read_bytes())},
                )
                ids.append(response.json()["dossier_id"])
            while True:  # one light query a second, so polling does not steal the workers' CPU
                items = client.get("/v1/dossiers", params={"limit": 200}).json()["items"]
                views = [item["status"] for item in items if item["id"] in ids]
                if all(status in ("digitized", "needs_review") for status in views):
                    break
                time.sleep(1)
        elapsed = time.monotonic() - started
        if any(status != "digitized" for status in views):
            print(f"warning: {views.count('needs_review')} dossier(s) failed; see {data_dir}")
        return elapsed
    finally:
        stop_children(children)
        subprocess.run(
            ["redis-cli", "-s", str(data_dir / "redis.sock"), "shutdown", "nosave"],
            capture_output=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sohoa-bench-") as folder:
        root = Path(folder)
        (root / "pages").mkdir()
        (root / "raw").mkdir()
        pages = make_pages(root / "pages", args.pages)
        raw_seconds = raw_tesseract(pages, root / "raw")
        pipeline_seconds = pipeline(pages, root / "data")
    raw_rate = 60 * len(pages) / raw_seconds
    pipeline_rate = 60 * len(pages) / pipeline_seconds
    print(f"pages: {len(pages)}")
    print(f"raw tesseract, 2 at a time: {raw_rate:6.1f} pages/min ({raw_seconds:.1f} s)")
    print(f"sohoa pipeline, 2 workers:  {pipeline_rate:6.1f} pages/min ({pipeline_seconds:.1f} s)")
    print(f"ratio pipeline / raw:       {pipeline_rate / raw_rate:.2f}")
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS of the largest child process: {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
