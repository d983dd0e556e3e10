"""Re-reading candidates' identifiers on a new page, with real tesseract: a re-scan of the same
card reads them the same where they were (turned pages too, upright first); another person's
card of the same template reads none of them; each field's crop is read once for all."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from PIL import Image

from models.config import Settings
from ocr.engine import OcrEngine, OrientationGuess, make_engine
from ocr.fields.doctypes import ValueKind, load_document_types
from ocr.fields.extract import extract_fields
from ocr.fields.reread import CONFIRMING_KINDS, Candidate, KnownValue, crop_around, first_confirmed
from ocr.reading import read_page
from ocr.words import PageText
from samples import degrade, render_document, scan

pytestmark = pytest.mark.slow


@dataclass
class CountingEngine:
    """The real engine, counting the crops it is given."""

    engine: OcrEngine
    crops: int = 0

    def recognize(self, image: Image.Image, *, dpi: int | None = None) -> PageText:
        self.crops += 1
        return self.engine.recognize(image, dpi=dpi)

    def detect_orientation(self, image: Image.Image) -> OrientationGuess:
        return self.engine.detect_orientation(image)


@pytest.fixture(scope="module")
def engine() -> OcrEngine:
    return make_engine(Settings(_env_file=None).ocr_languages)  # type: ignore[call-arg]


def candidate(engine: OcrEngine, image: Image.Image) -> Candidate:
    """``image`` read, as the confirmation weighs it: its identifying values and their boxes."""
    reading = read_page(image, 300, engine)
    extraction = extract_fields([reading.text], load_document_types())
    kinds = {spec.name: spec.kind for spec in load_document_types()["cccd"].fields}
    values = tuple(
        KnownValue(f.name, kinds[f.name], f.checked.value, f.located.raw, f.located.box)
        for f in extraction.fields
        if f.located and f.checked.value and kinds[f.name] in CONFIRMING_KINDS
    )
    return Candidate(image.size, reading.rotation, values)


def card(seed: int) -> Image.Image:
    return render_document("cccd", seed=seed).pages[0].image


def test_a_rescan_is_confirmed_and_another_person_not(engine: OcrEngine) -> None:
    people = [candidate(engine, scan(card(seed), seed=1)) for seed in (41, 42, 44)]
    assert {value.kind for value in people[0].values} == CONFIRMING_KINDS - {ValueKind.TAX_CODE}

    counting = CountingEngine(engine)
    rescan = scan(card(41), seed=8)
    assert first_confirmed(rescan, counting, 300, people[1:]) is None
    assert counting.crops == 1  # the name read once for both, and neither's name is there
    assert first_confirmed(rescan, engine, 300, people) == 0
    assert first_confirmed(rescan, engine, 300, [*people[1:], people[0]]) == 2
    assert first_confirmed(rescan, engine, 300, [Candidate(rescan.size, 0, ())]) is None


def test_a_turned_card_is_read_upright_where_its_twin_had_the_values(engine: OcrEngine) -> None:
    source = candidate(engine, degrade(scan(card(43), seed=1), "rotate90", seed=1))
    assert source.rotation == 270 and source.values
    rescan = degrade(scan(card(43), seed=5), "rotate90", seed=5)
    assert first_confirmed(rescan, engine, 300, [source]) == 0
    sideways = Candidate(source.size, 0, source.values)
    assert first_confirmed(rescan, engine, 300, [sideways]) is None


def test_a_crop_spans_its_boxes_with_a_margin_and_stays_on_the_page() -> None:
    assert crop_around([(100, 100, 200, 20)], (1000, 600)) == (70, 70, 260, 80)
    assert crop_around([(100, 100, 200, 20), (90, 104, 300, 20)], (1000, 600)) == (
        60, 70, 360, 84,
    )  # fmt: skip
    assert crop_around([(5, 580, 40, 10)], (1000, 600)) == (0, 565, 60, 35)
