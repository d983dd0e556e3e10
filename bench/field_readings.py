"""Reading generated documents for the field benchmark: render, scan, degrade, OCR, extract.

OCR is the slow part and the same pages are read each run, so the words of each page can be kept
in a cache folder (``--cache``) and read back on later runs: changing a location rule or a
threshold then costs seconds, not minutes. Pages are read two at a time, one process per core.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ocr.engine import OcrEngine, make_engine
from ocr.fields.doctypes import SUBJECT_IDENTIFIERS, DocumentType, ValueKind
from ocr.fields.extract import check_value, extract_fields
from ocr.reading import read_page
from ocr.words import PageText
from samples import degrade, render_document, scan


@dataclass(frozen=True)
class Sample:
    """One generated document as the benchmark reads it."""

    kind: str
    family: str
    degradation: str
    seed: int

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.family}-{self.degradation}-{self.seed}"


@dataclass(frozen=True)
class Outcome:
    """One field of one document: what was read, how sure, whether it was right and accepted."""

    sample: Sample
    field: str
    value_kind: ValueKind
    confidence: float
    clean: bool  # the value passed every check: the only kind that may be accepted
    accepted: bool  # at the thresholds the types ship with
    right: bool
    value: str | None
    expected: str | None
    reasons: tuple[str, ...]

    @property
    def identifier(self) -> bool:
        return self.value_kind in SUBJECT_IDENTIFIERS


@dataclass(frozen=True)
class Reading:
    sample: Sample
    classified_as: str
    outcomes: tuple[Outcome, ...]


def read_samples(
    samples: Iterable[Sample], types: dict[str, DocumentType], cache_dir: Path | None
) -> list[Reading]:
    """Every sample's pages read (from ``cache_dir`` where already read) and its fields scored."""
    todo = list(samples)
    with ProcessPoolExecutor(max_workers=2) as pool:
        read = list(pool.map(_read, todo, [cache_dir] * len(todo)))
    return [
        _score(sample, truth, pages, types)
        for sample, (truth, pages) in zip(todo, read, strict=True)
    ]


def _read(sample: Sample, cache_dir: Path | None) -> tuple[dict[str, str], list[PageText]]:
    """The printed field values and the OCR of each page."""
    path = cache_dir / f"{sample.key}.json" if cache_dir else None
    if path is not None and path.exists():
        data = json.loads(path.read_text())
        return data["fields"], [PageText.from_json(page) for page in data["pages"]]
    document = render_document(sample.kind, seed=500 + sample.seed, family=sample.family)
    images = [scan(page.image, sample.seed) for page in document.pages]
    if sample.degradation != "clean":
        images = [degrade(image, sample.degradation, sample.seed) for image in images]
    pages = [read_page(image, _dpi(image), _engine()).text for image in images]
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {"fields": document.fields, "pages": [page.to_json() for page in pages]}
        path.write_text(json.dumps(data, ensure_ascii=False))
    return document.fields, pages


@cache
def _engine() -> OcrEngine:
    os.environ["OMP_THREAD_LIMIT"] = "1"
    return make_engine()


def _dpi(image: object) -> int:
    info = getattr(image, "info", {})
    return round(info.get("dpi", (300, 300))[0])


def _score(
    sample: Sample, truth: dict[str, str], pages: list[PageText], types: dict[str, DocumentType]
) -> Reading:
    """Each field the type declares, against the printed value: a printed field not found is
    wrong and not accepted; a value found for a field the paper does not print is wrong."""
    extraction = extract_fields(pages, types)
    read = {field.name: field for field in extraction.fields}
    if extraction.document_type != sample.kind:
        read = {}
    outcomes = []
    for spec in types[sample.kind].fields:
        field = read.get(spec.name)
        if spec.name not in truth and field is None:
            continue
        expected = check_value(spec.kind, truth[spec.name]).value if spec.name in truth else None
        value = field.checked.value if field else None
        outcomes.append(
            Outcome(
                sample=sample,
                field=spec.name,
                value_kind=spec.kind,
                confidence=field.confidence if field else 0.0,
                clean=field.checked.ok if field else False,
                accepted=field.accepted if field else False,
                right=value == expected,
                value=value,
                expected=expected,
                reasons=tuple(
                    ("+ " if reason.supports else "- ") + reason.text
                    for reason in (field.reasons if field else ())
                ),
            )
        )
    return Reading(sample, extraction.document_type, tuple(outcomes))
