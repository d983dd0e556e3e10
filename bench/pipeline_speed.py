"""Pages per minute of the whole pipeline versus raw tesseract on the same pages, in one run.

N generated scanned pages go through the API (upload → prepare → OCR → finalize, searchable
PDF included) with 2 worker processes, on embedded defaults in a temporary data folder, as
each kind of input (``--kinds``): ``png``, the pages as N one-page PNG uploads, and one N-page
PDF of each kind a scanner writes (``bench.pdf_kinds``: ``jpeg``, lossless ``flate`` grey,
``ccitt`` Group 4 bilevel). The baseline is the tesseract CLI (`tesseract IMAGE out -l vie`)
on the same pixels as PNG files, 2 at a time. Both run with OMP_THREAD_LIMIT=1, as the workers
do. The machine is noisy, so only the ratio of two figures measured side by side means
anything. Then each stage is timed alone on the same pages, in this process, so the next
person knows where a page's time goes.

    .venv/bin/python -m bench.pipeline_speed [--pages 10] [--kinds png,jpeg,flate,ccitt]
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from PIL import Image

from bench.harness import ENV, digitize, peak_rss_mib, running_sohoa
from bench.pdf_kinds import KINDS, PdfOfKind, write_pdf_of_kind
from ingest.pages import render_page
from ocr.engine import make_engine
from ocr.reading import read_page
from samples import DOCUMENT_KINDS, render_document, scan


def make_scans(count: int) -> list[Image.Image]:
    scans = []
    for n in range(count):
        document = render_document(DOCUMENT_KINDS[n % len(DOCUMENT_KINDS)], seed=1000 + n)
        scans.append(scan(document.pages[0].image, seed=n))
    return scans


def raw_tesseract(pages: list[Path], out: Path) -> float:
    out.mkdir(parents=True, exist_ok=True)

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


def stage_seconds(inputs: dict[str, PdfOfKind]) -> dict[str, float]:
    """Mean seconds per page of each stage, one page at a time in this process: drawing on
    every kind of input, reading on the pages of the first."""
    engine = make_engine()
    totals: dict[str, float] = defaultdict(float)

    @contextmanager
    def stage(name: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        totals[name] += time.perf_counter() - started

    first = next(iter(inputs.values()))
    pages = len(first.pages)
    for kind, made in inputs.items():
        source, media_type = (made.pdf, "application/pdf") if made.pdf else (None, "image/png")
        for n, png in enumerate(made.pages):
            with stage(f"draw a page ({kind})"):
                render_page(source or png, media_type, 1 if source is None else n + 1)
    for path in first.pages:
        page = render_page(path, "image/png", 1)
        with stage("read: preprocess + OCR"):
            reading = read_page(page.image, page.dpi, engine)
        for step, seconds in reading.seconds:
            totals[f"  of which {step}"] += seconds
        with stage("OCR alone on the raw image"):
            engine.recognize(page.image, dpi=page.dpi)
    return {name: total / pages for name, total in totals.items()}


def make_inputs(kinds: list[str], count: int, folder: Path) -> dict[str, PdfOfKind]:
    scans = make_scans(count)
    inputs = {}
    for kind in kinds:
        if kind == "png":
            made = write_pdf_of_kind("flate", scans, folder / kind)  # its PNGs are the scans
            inputs[kind] = PdfOfKind(kind, None, made.pages)
        else:
            inputs[kind] = write_pdf_of_kind(kind, scans, folder / kind)
    return inputs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--kinds", default=",".join(("png", *KINDS)))
    args = parser.parse_args()
    kinds = args.kinds.split(",")
    rows = []
    with tempfile.TemporaryDirectory(prefix="sohoa-bench-") as folder:
        root = Path(folder)
        inputs = make_inputs(kinds, args.pages, root / "inputs")
        with running_sohoa(root / "data", workers=2) as sohoa:
            for kind, made in inputs.items():
                raw_seconds = raw_tesseract(made.pages, root / "raw" / kind)
                uploads = [made.pdf] if made.pdf else made.pages
                rows.append((kind, raw_seconds, digitize(sohoa, uploads)))
            worker_peak = max(peak_rss_mib(worker) for worker in sohoa.workers)
        stages = stage_seconds(inputs)
    print(f"pages: {args.pages} (pages/min; raw tesseract 2 at a time, sohoa with 2 workers)")
    print(f"  {'input':<36} {'raw':>13} {'sohoa':>13} {'sohoa / raw':>12}")
    for kind, raw_seconds, pipeline_seconds in rows:
        raw_rate, rate = 60 * args.pages / raw_seconds, 60 * args.pages / pipeline_seconds
        name = f"{kind} ({'one-page PNG uploads' if kind == 'png' else 'one PDF'})"
        print(
            f"  {name:<36} {raw_rate:6.1f} {raw_seconds:5.1f}s {rate:6.1f} "
            f"{pipeline_seconds:5.1f}s {rate / raw_rate:12.2f}"
        )
    print(f"peak RSS of a worker: {worker_peak:.0f} MiB")
    print("seconds per page, one stage at a time:")
    for name, seconds in stages.items():
        print(f"  {name:<28} {seconds:6.3f}")


if __name__ == "__main__":
    main()
