"""Wall time of sohoa against OCRmyPDF on the same noisy scanned PDF, in one run.

A 10-page scanned PDF (generated dossier pages, scanner defects plus extra noise) becomes a
searchable PDF and its text: ``ocrmypdf -l vie --jobs 2`` (PDF output, as PDF/A needs
Ghostscript; once as it comes, once with ``--rotate-pages --deskew``, which is what sohoa does
to every page) against sohoa with 2 workers, from upload to digitized. OCRmyPDF is not a
dependency of sohoa: ``make bench`` installs it into the virtual environment from
``bench/requirements.txt``.

    .venv/bin/python -m bench.vs_ocrmypdf [--pages 10]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from bench.harness import ENV, digitize, running_sohoa
from samples import DOCUMENT_KINDS, degrade, render_document, save_pdf, scan

OCRMYPDF_RUNS = {
    "ocrmypdf -l vie --jobs 2": [],
    "ocrmypdf ... --rotate-pages --deskew": ["--rotate-pages", "--deskew"],
}


def noisy_pdf(path: Path, pages: int) -> None:
    images = []
    for n in range(pages):
        document = render_document(DOCUMENT_KINDS[n % len(DOCUMENT_KINDS)], seed=3000 + n)
        images.append(degrade(scan(document.pages[0].image, seed=n), "noise", seed=n))
    save_pdf(images, path)


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
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sohoa-bench-") as folder:
        root = Path(folder)
        source = root / "dossier.pdf"
        noisy_pdf(source, args.pages)
        results = {
            name: ocrmypdf(source, root / f"ocrmypdf-{n}.pdf", extra)
            for n, (name, extra) in enumerate(OCRMYPDF_RUNS.items())
        }
        with running_sohoa(root / "data", workers=2) as sohoa:
            results["sohoa, 2 workers"] = digitize(sohoa, [source])
    sohoa_seconds = results["sohoa, 2 workers"]
    print(f"{args.pages}-page noisy scanned PDF -> searchable PDF + text")
    for name, seconds in results.items():
        print(f"  {name:<40} {seconds:6.1f} s   sohoa / this: {sohoa_seconds / seconds:.2f}")


if __name__ == "__main__":
    main()
