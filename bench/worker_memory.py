"""Peak resident memory of one worker digitizing a long scanned PDF (300 pages by default).

Pages must be streamed one at a time through rasterising, OCR and the searchable PDF, so a
worker's peak must not grow with the page count: the figure to watch is the worker's VmHWM,
printed with the same worker's peak after a 1-page PDF as the baseline.

    .venv/bin/python -m bench.worker_memory [--pages 300]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import pikepdf

from bench.harness import digitize, peak_rss_mib, running_sohoa
from samples import DOCUMENT_KINDS, render_document, save_pdf, scan

DISTINCT_PAGES = 12


def long_pdf(path: Path, pages: int, folder: Path) -> None:
    """``pages`` scanned pages, cycling through a dozen distinct ones to keep generation short."""
    singles = []
    for n in range(min(pages, DISTINCT_PAGES)):
        document = render_document(DOCUMENT_KINDS[n % len(DOCUMENT_KINDS)], seed=4000 + n)
        single = folder / f"single-{n}.pdf"
        save_pdf([scan(document.pages[0].image, seed=n)], single)
        singles.append(pikepdf.open(single))
    with pikepdf.new() as pdf:
        for n in range(pages):
            pdf.pages.append(singles[n % len(singles)].pages[0])
        pdf.save(path)
    for single in singles:
        single.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sohoa-bench-") as folder:
        root = Path(folder)
        short, long = root / "short.pdf", root / "long.pdf"
        long_pdf(short, 1, root)
        long_pdf(long, args.pages, root)
        with running_sohoa(root / "data", workers=1) as sohoa:
            digitize(sohoa, [short])
            baseline = peak_rss_mib(sohoa.workers[0])
            seconds = digitize(sohoa, [long])
            peak = peak_rss_mib(sohoa.workers[0])
        size_mib = long.stat().st_size / 2**20
    print(f"{args.pages}-page scanned PDF ({size_mib:.0f} MiB), one worker: {seconds:.0f} s")
    print(f"  worker peak RSS after a 1-page PDF: {baseline:6.0f} MiB")
    print(f"  worker peak RSS after {args.pages} pages:   {peak:6.0f} MiB")


if __name__ == "__main__":
    main()
