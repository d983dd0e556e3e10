"""Pages per minute of the whole pipeline versus raw tesseract on the same pages, in one run.

N generated scanned pages go through the API (upload → prepare → OCR → finalize, searchable
PDF included) with 2 worker processes, on embedded defaults in a temporary data folder. The
baseline is the tesseract CLI (`tesseract IMAGE out -l vie`) on the same page images, 2 at
a time. Both run with OMP_THREAD_LIMIT=1, as the workers do. The machine is noisy, so only the
ratio of two figures measured side by side means anything. Then each stage is timed alone on
the same pages, in this process, so the next person knows where a page's time goes.

    .venv/bin/python -m bench.pipeline_speed [--pages 20]
"""

from __future__ import annotations

import argparse
import io
import subprocess
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from bench.harness import ENV, digitize, peak_rss_mib, running_sohoa
from ingest.pages import iter_page_images
from ocr.engine import make_engine
from ocr.reading import read_page
from samples import DOCUMENT_KINDS, render_document, save_png, scan
from storage.local import LocalStore


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
            ["tesseract", str(page), str(out / page.stem), "-l", "vie"],
            check=True,
            capture_output=True,
            env=ENV,
        )

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(run, pages))
    return time.monotonic() - started


def stage_seconds(pages: list[Path], store_dir: Path) -> dict[str, float]:
    """Mean seconds per page of each stage, one page at a time in this process."""
    engine = make_engine()
    store = LocalStore(store_dir)
    totals: dict[str, float] = defaultdict(float)

    @contextmanager
    def stage(name: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        totals[name] += time.perf_counter() - started

    read_page(next(iter_page_images(pages[0], "image/png")).image, 300, engine)  # load models
    for n, path in enumerate(pages):
        with stage("rasterise"):
            page = next(iter_page_images(path, "image/png"))
        with stage("store page image"):
            if page.encoded is not None:  # kept as uploaded, as the pipeline does
                store.put_bytes(f"pages/{n}", page.encoded.data)
            else:
                buffer = io.BytesIO()
                page.image.save(buffer, "PNG", compress_level=1)
                store.put_bytes(f"pages/{n}", buffer.getvalue())
        with stage("read: preprocess + OCR"):
            reading = read_page(page.image, page.dpi, engine)
        for step, seconds in reading.seconds:
            totals[f"  of which {step}"] += seconds
        with stage("OCR alone on the raw image"):
            engine.recognize(page.image, dpi=page.dpi)
    return {name: total / len(pages) for name, total in totals.items()}


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
        with running_sohoa(root / "data", workers=2) as sohoa:
            pipeline_seconds = digitize(sohoa, pages)
            worker_peak = max(peak_rss_mib(worker) for worker in sohoa.workers)
        stages = stage_seconds(pages, root / "stages")
    raw_rate = 60 * len(pages) / raw_seconds
    pipeline_rate = 60 * len(pages) / pipeline_seconds
    print(f"pages: {len(pages)}")
    print(f"raw tesseract, 2 at a time: {raw_rate:6.1f} pages/min ({raw_seconds:.1f} s)")
    print(f"sohoa pipeline, 2 workers:  {pipeline_rate:6.1f} pages/min ({pipeline_seconds:.1f} s)")
    print(f"ratio pipeline / raw:       {pipeline_rate / raw_rate:.2f}")
    print(f"peak RSS of a worker:       {worker_peak:.0f} MiB")
    print("seconds per page, one stage at a time:")
    for stage, seconds in stages.items():
        print(f"  {stage:<28} {seconds:6.3f}")


if __name__ == "__main__":
    main()
