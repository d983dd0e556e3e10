"""What reading an original in the sandbox costs over reading it in the worker's own process.

The same pages are read both ways: ``inspect_document`` then every page of ``iter_page_images``
in this process, against what ``prepare`` and the page jobs do, ``SandboxedPages`` (a child
from the fork server, limits entered, pixels handed back through files) and then, for each page
it only outlined, ``draw_sandboxed`` (a child per page). The first sandboxed read also starts
the fork server, once per worker; it is reported apart. Inputs: a 10-page scanned PDF (one JPEG
per page, as scanners write them) and a one-page JPEG, both A4 at 300 dpi.

Measured on 2 shared cores (medians of 5-9 runs, three runs of the script) when ``prepare``
drew every page in one child: the 10-page PDF +196 to +342 ms (about 20-30 ms a page, mostly
handing 8.7 MB of pixels over through a file), the 1-page JPEG +61 to +108 ms; the fork
server's start, once per worker, 0.8-0.9 s. With a child per page job (medians of 5, on cores
shared with another test suite): the 10-page PDF +513 ms (about 50 ms a page, 13-20 ms of it
the child's start and end), the 1-page JPEG +39 ms.

    .venv/bin/python -m bench.sandbox_overhead [--runs 10]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import img2pdf

from ingest.pages import (
    PageOutline,
    Reading,
    SandboxedPages,
    draw_sandboxed,
    inspect_document,
    iter_page_images,
)
from ingest.sandbox import Limits
from samples import DOCUMENT_KINDS, render_document, scan

LIMITS = Limits(memory_mib=2048, seconds=60)


def make_inputs(folder: Path) -> dict[str, tuple[Path, str]]:
    jpegs = []
    for n in range(10):
        document = render_document(DOCUMENT_KINDS[n % len(DOCUMENT_KINDS)], seed=2000 + n)
        path = folder / f"page-{n}.jpg"
        scan(document.pages[0].image, seed=n).save(path, quality=85, dpi=(300, 300))
        jpegs.append(path)
    pdf = folder / "ten-pages.pdf"
    pdf.write_bytes(img2pdf.convert([str(p) for p in jpegs]))
    return {"10-page PDF": (pdf, "application/pdf"), "1-page JPEG": (jpegs[0], "image/jpeg")}


def in_process(path: Path, media_type: str, folder: Path) -> int:
    inspect_document(path, media_type, max_pages=2000, max_image_pixels=200_000_000)
    return sum(1 for _ in iter_page_images(path, media_type, dpi=300))


def sandboxed(path: Path, media_type: str, folder: Path) -> int:
    reading = Reading(media_type, 2000, 1000, 200_000_000, 300, text_layers=False)
    with SandboxedPages(path, folder, reading, LIMITS) as pages:
        outlined = [page.index for page, _ in pages if isinstance(page, PageOutline)]
    for index in outlined:  # as their page jobs draw them
        draw_sandboxed(path, folder, media_type, index, 300, LIMITS)
    return pages.count


Read = Callable[[Path, str, Path], int]


def median_seconds(read: Read, path: Path, media: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as folder:
            started = time.perf_counter()
            read(path, media, Path(folder))
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        inputs = make_inputs(Path(folder))
        started = time.perf_counter()
        sandboxed(*inputs["1-page JPEG"], Path(folder))
        first = time.perf_counter() - started
        print(f"first sandboxed read (starts the fork server): {first:.3f} s")
        for name, (path, media) in inputs.items():
            alone = median_seconds(in_process, path, media, runs)
            boxed = median_seconds(sandboxed, path, media, runs)
            extra = boxed - alone
            print(f"{name}: in process {alone * 1000:.0f} ms, sandboxed {boxed * 1000:.0f} ms, "
                  f"overhead {extra * 1000:+.0f} ms ({extra / alone * 100:+.0f}%)")  # fmt: skip


if __name__ == "__main__":
    main()
