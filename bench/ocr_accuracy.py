"""Accuracy and speed of ``ocr.reading.read_page`` against raw tesseract, side by side.

For every degradation of ``samples.DEGRADATIONS``, N generated pages (the document kinds
in turn, one seed each; ``--by-kind`` gives each kind its own row) are read three times: (a) by the
``tesseract`` program on the unprocessed image saved as a PNG with its resolution, as a scanner
would deliver it, (b) by the pipeline's own engine (tesserocr) on the same unprocessed image,
and (c) by ``read_page`` with that engine. All use the same
languages (``vie``) and run with OMP_THREAD_LIMIT=1, as the workers do; with ``--jobs 2``
two pages are read at a time, so at most two tesseracts run at once.

CER and WER are edit distances over the NFC-normalised text with whitespace collapsed, summed
over the pages of a row and divided by the length of the ground truth (the page's drawn lines).
The real pages from ``../shared/testdata/real`` (English and European text, read with
``--real-languages``, ``eng`` by default) are added when that folder exists, as they are and as
desks also receive them (``bench.real_variants``): at 100, 150 and 200 dpi with the resolution
stripped, and photographed. "recall" is the share of the ground truth's words read exactly
(each word counted as often as it occurs); the rule is that the pipeline never reads fewer
words right than raw tesseract with the same language.

    .venv/bin/python -m bench.ocr_accuracy --pages 8

The "mean over degradations" line averages the rows of generated pages (each degradation counts
once); "orient" is the share of pages whose turn ``read_page`` found right.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image
from rapidfuzz.distance import Levenshtein

from bench.real_variants import STRIPPED_DPIS, downsampled, phone_photo
from ocr.engine import OcrEngine, make_engine
from ocr.reading import read_page
from samples import DEGRADATIONS, DOCUMENT_KINDS, degrade, render_document

REAL_DIR = Path(__file__).resolve().parents[2] / "shared" / "testdata" / "real"
EXPECTED_ROTATION = {"rotate90": 270, "rotate180": 180, "rotate270": 90}
REAL_PAGES = (  # file, ground truth, clockwise turn the content shows
    ("phototest.tif", "phototest.txt", 0),
    ("phototest-rotated-180.png", "phototest.txt", 180),
    ("phototest-rotated-L.png", "phototest.txt", 270),
    ("phototest-rotated-R.png", "phototest.txt", 90),
    ("eurotext.tif", "eurotext.txt", 0),
)


@dataclass(frozen=True)
class Sample:
    row: str
    truth: str
    image: Image.Image
    dpi: int | None
    rotation: int
    languages: str


@dataclass(frozen=True)
class Outcome:
    row: str
    chars: int
    words: int
    errors: dict[str, tuple[int, int]]  # reader -> (character edits, word edits)
    found: dict[str, int]  # reader -> words of the truth read exactly
    seconds: dict[str, float]
    rotation_ok: bool
    stages: dict[str, float] = field(default_factory=dict)


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def raw_tesseract(image: Image.Image, dpi: int | None, languages: str) -> tuple[str, float]:
    """The ``tesseract`` program on the image as delivered; the time of the process alone."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "page.png"
        image.save(path, dpi=(dpi, dpi)) if dpi else image.save(path)
        started = time.perf_counter()
        done = subprocess.run(
            ["tesseract", str(path), "stdout", "-l", languages],
            capture_output=True,
            check=True,
        )
        return done.stdout.decode(), time.perf_counter() - started


READERS = ("raw", "raw api", "pipeline")
"""The tesseract program on the raw image; the pipeline's own engine (tesserocr, which may bundle
another tesseract version) on the raw image, so that what preprocessing changes shows apart from
what the engine version changes; and ``read_page``."""

_ENGINES: dict[str, OcrEngine] = {}


def measure(sample: Sample) -> Outcome:
    engine = _ENGINES.setdefault(sample.languages, make_engine(sample.languages, kind="api"))
    raw_text, raw_seconds = raw_tesseract(sample.image, sample.dpi, sample.languages)
    started = time.perf_counter()
    same_engine_text = engine.recognize(sample.image, dpi=sample.dpi).text
    same_engine_seconds = time.perf_counter() - started
    started = time.perf_counter()
    reading = read_page(sample.image, sample.dpi, engine)
    pipe_seconds = time.perf_counter() - started
    truth = normalise(sample.truth)
    errors, found_words = {}, {}
    readings = (("raw", raw_text), ("raw api", same_engine_text), ("pipeline", reading.text.text))
    for reader, text in readings:
        found = normalise(text)
        errors[reader] = (
            Levenshtein.distance(found, truth),
            Levenshtein.distance(found.split(), truth.split()),
        )
        found_words[reader] = sum((Counter(found.split()) & Counter(truth.split())).values())
    stages: dict[str, float] = defaultdict(float)
    for stage, seconds in reading.seconds:
        stages[stage] += seconds
    return Outcome(
        row=sample.row,
        chars=len(truth),
        words=len(truth.split()),
        errors=errors,
        found=found_words,
        seconds={"raw": raw_seconds, "raw api": same_engine_seconds, "pipeline": pipe_seconds},
        rotation_ok=reading.rotation == sample.rotation,
        stages=dict(stages),
    )


def generated_samples(
    pages: int, degradations: list[str], languages: str, *, by_kind: bool
) -> list[Sample]:
    samples = []
    for degradation in degradations:
        for n in range(pages):
            kind = DOCUMENT_KINDS[n % len(DOCUMENT_KINDS)]
            page = render_document(kind, seed=100 + n).pages[0]
            image = degrade(page.image, degradation, seed=100 + n)
            truth = "\n".join(page.lines)
            dpi = int(image.info["dpi"][0])
            rotation = EXPECTED_ROTATION.get(degradation, 0)
            row = f"{degradation}/{kind}" if by_kind else degradation
            samples.append(Sample(row, truth, image, dpi, rotation, languages))
    return samples


def real_samples(folder: Path, languages: str) -> list[Sample]:
    if not folder.is_dir():
        print(f"(no real pages: {folder} is absent)")
        return []
    samples = []
    for name, truth_name, rotation in REAL_PAGES:
        if not (folder / name).exists():
            continue
        with Image.open(folder / name) as opened:
            dpi = round(opened.info["dpi"][0]) if "dpi" in opened.info else None
            image = opened.copy()
        truth = (folder / truth_name).read_text()
        samples.append(Sample(f"real:{name}", truth, image, dpi, rotation, languages))
        if dpi is None or rotation:
            continue
        for low in STRIPPED_DPIS:
            copy = downsampled(image, dpi, low)
            samples.append(Sample(f"real@{low}dpi:{name}", truth, copy, None, 0, languages))
        photo = phone_photo(image, seed=len(samples))
        samples.append(Sample(f"real photo:{name}", truth, photo, None, 0, languages))
    return samples


def print_table(outcomes: list[Outcome]) -> None:
    rows: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        rows[outcome.row].append(outcome)
    print(
        f"{'page set':34} {'n':>3} {'CER raw':>8} {'CER api':>8} {'CER pipe':>8} "
        f"{'WER raw':>8} {'WER api':>8} {'WER pipe':>8} {'rec raw':>8} {'rec pipe':>8} "
        f"{'s raw':>6} {'s pipe':>6} {'orient':>6}"
    )
    generated: list[dict[str, float]] = []
    for row, group in rows.items():
        chars = sum(o.chars for o in group)
        words = sum(o.words for o in group)
        cer = {r: sum(o.errors[r][0] for o in group) / chars for r in READERS}
        wer = {r: sum(o.errors[r][1] for o in group) / words for r in READERS}
        secs = {r: sum(o.seconds[r] for o in group) / len(group) for r in READERS}
        recall = {r: sum(o.found[r] for o in group) / words for r in ("raw", "pipeline")}
        oriented = sum(o.rotation_ok for o in group) / len(group)
        if not row.startswith("real"):  # "real:", "real@100dpi:", "real photo:"
            generated.append(cer)
        print(
            f"{row:34} {len(group):3d} "
            + " ".join(f"{cer[r]:8.2%}" for r in READERS) + " "
            + " ".join(f"{wer[r]:8.2%}" for r in READERS)
            + f" {recall['raw']:8.1%} {recall['pipeline']:8.1%}"
            + f" {secs['raw']:6.2f} {secs['pipeline']:6.2f} {oriented:6.0%}"
        )  # fmt: skip
    if generated:
        means = " ".join(f"{sum(c[r] for c in generated) / len(generated):8.2%}" for r in READERS)
        print(f"{'mean over degradations':34} {'':3} {means}")
    print_fewer_words(outcomes)
    print_speed(outcomes)


def print_fewer_words(outcomes: list[Outcome]) -> None:
    """The pages where the pipeline read fewer words right than raw tesseract: none, by rule."""
    fewer = [o for o in outcomes if o.found["pipeline"] < o.found["raw"]]
    print(f"\npages where the pipeline read fewer words right than raw tesseract: {len(fewer)}")
    for o in fewer:
        print(f"  {o.row}: {o.found['pipeline']} against {o.found['raw']} of {o.words}")


def print_speed(outcomes: list[Outcome]) -> None:
    raw = sum(o.seconds["raw"] for o in outcomes)
    pipe = sum(o.seconds["pipeline"] for o in outcomes)
    print(f"\nall pages: raw {raw / len(outcomes):.2f} s/page, pipeline {pipe / len(outcomes):.2f}")
    print(f"pipeline pages/minute relative to raw: {raw / pipe:.2f}x")
    stages: dict[str, float] = defaultdict(float)
    for outcome in outcomes:
        for stage, seconds in outcome.stages.items():
            stages[stage] += seconds
    print("pipeline seconds per page by stage: " + ", ".join(
        f"{stage} {seconds / len(outcomes):.3f}" for stage, seconds in stages.items()
    ))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=8, help="pages per degradation")
    parser.add_argument("--degradations", nargs="*", default=list(DEGRADATIONS))
    parser.add_argument("--languages", default="vie")
    parser.add_argument("--real-languages", default="eng")
    parser.add_argument("--real-dir", type=Path, default=REAL_DIR)
    parser.add_argument("--by-kind", action="store_true", help="one row per document kind")
    parser.add_argument("--jobs", type=int, default=2, help="pages read at once (at most 2)")
    args = parser.parse_args()
    os.environ["OMP_THREAD_LIMIT"] = "1"  # before any tesseract starts, as in the workers
    samples = generated_samples(args.pages, args.degradations, args.languages, by_kind=args.by_kind)
    samples += real_samples(args.real_dir, args.real_languages)
    with ProcessPoolExecutor(max_workers=max(1, min(args.jobs, 2))) as pool:
        outcomes = list(pool.map(measure, samples))
    print_table(outcomes)


if __name__ == "__main__":
    main()
