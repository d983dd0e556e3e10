"""Seconds per page of the two tesseract adapters on the same pages, one page at a time.

``cli`` (pytesseract) starts a ``tesseract`` process per page, which loads the language models
every time; ``api`` (tesserocr) keeps one tesseract in the process, models loaded once. The
first page of each is timed apart, since it carries the ``api`` engine's one-off loading.

    .venv/bin/python -m bench.engine_speed [--pages 8]
"""

from __future__ import annotations

import argparse
import os
import time

from ocr.engine import ENGINES, make_engine
from samples import DOCUMENT_KINDS, render_document, scan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=8)
    parser.add_argument("--languages", default="vie")
    args = parser.parse_args()
    os.environ["OMP_THREAD_LIMIT"] = "1"
    images = [
        scan(render_document(DOCUMENT_KINDS[n % len(DOCUMENT_KINDS)], seed=n).pages[0].image, n)
        for n in range(args.pages + 1)
    ]
    print(f"{args.pages} scanned A4 pages at 300 dpi, -l {args.languages}, one at a time")
    for kind in ENGINES:
        engine = make_engine(args.languages, kind=kind)
        started = time.perf_counter()
        engine.recognize(images[0], dpi=300)
        first = time.perf_counter() - started
        started = time.perf_counter()
        for image in images[1:]:
            engine.recognize(image, dpi=300)
        per_page = (time.perf_counter() - started) / args.pages
        print(f"  {kind}: first page {first:5.2f} s, then {per_page:5.2f} s/page")


if __name__ == "__main__":
    main()
