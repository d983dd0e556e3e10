"""Wall time of sohoa against OCRmyPDF on the same noisy scanned PDFs, in one run.

A 10-page scanned PDF (generated dossier pages, scanner defects plus extra noise), written as
each kind of PDF a scanner makes (``bench.pdf_kinds``: JPEG, lossless Flate grey, CCITT G4
bilevel), becomes a searchable PDF and its text: ``ocrmypdf -l vie --jobs 2`` (PDF output, as
PDF/A needs Ghostscript; once as it comes, once with ``--rotate-pages --deskew``, which is
what sohoa does to every page) against sohoa with 2 workers, from upload to digitized.
OCRmyPDF is not a dependency of sohoa: ``make bench`` installs it into the virtual
environment from ``bench/requirements.txt``.

    .venv/bin/python -m bench.vs_ocrmypdf [--pages 10] [--kinds jpeg,flate,ccitt] [--plain-only]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from PIL import Image

from bench.harness import ENV, digitize, running_sohoa
from bench.pdf_kinds import KINDS, write_pdf_of_kind
from samples import DOCUMENT_KINDS, degrade, render_document, scan

OCRMYPDF_RUNS = {
    "ocrmypdf -l vie --jobs 2": [],
    "ocrmypdf ... --rotate-pages --deskew": ["--rotate-pages", "--deskew"],
}


def noisy_scans(pages: int) -> list[Image.Image]:
    images = []
    for n in range(pages):
        document = render_document(DOCUMENT_KINDS[n % len(DOCUMENT_KINDS)], seed=3000 + n)
        images.append(degrade(scan(document.pages[0].image, seed=n), "noise", seed=n))
    return images


def ocrmypdf(source: Path, out: Path, extra: list[str]) -> float:
    program = shutil.which("ocrmypdf") or str(Path(__file__).parents[1] / ".venv/bin/ocrmypdf")
    command = [program, "-l", "vie", "--jobs", "2", "--output-type", "pdf", *extra]
    started = time.monotonic()
    subprocess.run(
        [*command, "--sidecar", str(out.with_suffix(".txt")), str(source), str(out)],
        check=True,
        capture_output=True,
        env=ENV,
    )
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument(
        "--plain-only", action="store_true", help="skip the --rotate-pages --deskew run"
    )
    args = parser.parse_args()
    runs = dict(list(OCRMYPDF_RUNS.items())[:1]) if args.plain_only else OCRMYPDF_RUNS
    with tempfile.TemporaryDirectory(prefix="sohoa-bench-") as folder:
        root = Path(folder)
        scans = noisy_scans(args.pages)
        sources = {
            kind: write_pdf_of_kind(kind, scans, root / kind).pdf for kind in args.kinds.split(",")
        }
        results: dict[str, dict[str, float]] = {}
        with running_sohoa(root / "data", workers=2) as sohoa:  # idle while OCRmyPDF runs
            for kind, source in sources.items():  # side by side, kind by kind: the load varies
                assert source is not None
                results[kind] = {
                    name: ocrmypdf(source, root / f"ocrmypdf-{kind}-{n}.pdf", extra)
                    for n, (name, extra) in enumerate(runs.items())
                }
                results[kind]["sohoa, 2 workers"] = digitize(sohoa, [source])
    for kind, timings in results.items():
        sohoa_seconds = timings["sohoa, 2 workers"]
        print(f"{args.pages}-page noisy scanned PDF ({kind}) -> searchable PDF + text")
        for name, seconds in timings.items():
            print(f"  {name:<40} {seconds:6.1f} s   sohoa / this: {sohoa_seconds / seconds:.2f}")


if __name__ == "__main__":
    main()
