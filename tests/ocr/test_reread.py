"""Re-reading a candidate's identifiers on a new page, with real tesseract: a re-scan of the
same card reads them the same where they were (turned pages too, upright first); another
person's card of the same template reads none of them."""

from __future__ import annotations

import pytest
from PIL import Image

from models.config import Settings
from ocr.engine import OcrEngine, make_engine
from ocr.fields.doctypes import ValueKind, load_document_types
from ocr.fields.extract import extract_fields
from ocr.fields.reread import CONFIRMING_KINDS, KnownValue, Rereading, crop_around
from ocr.reading import read_page
from samples import degrade, render_document, scan

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def engine() -> OcrEngine:
    return make_engine(Settings(_env_file=None).ocr_languages)  # type: ignore[call-arg]


def known_values(engine: OcrEngine, image: Image.Image) -> tuple[list[KnownValue], int]:
    """The identifying values read on ``image`` with their boxes, and the turn OCR found."""
    reading = read_page(image, 300, engine)
    extraction = extract_fields([reading.text], load_document_types())
    kinds = {spec.name: spec.kind for spec in load_document_types()["cccd"].fields}
    values = [
        KnownValue(kinds[f.name], f.checked.value, f.located.raw, f.located.box)
        for f in extraction.fields
        if f.located and f.checked.value and kinds[f.name] in CONFIRMING_KINDS
    ]
    return values, reading.rotation


def test_a_rescan_reads_every_identifier_the_same_and_another_person_none(
    engine: OcrEngine,
) -> None:
    card = render_document("cccd", seed=41).pages[0].image
    source = scan(card, seed=1)
    values, _ = known_values(engine, source)
    assert {value.kind for value in values} == CONFIRMING_KINDS - {ValueKind.TAX_CODE}

    rescan = Rereading(scan(card, seed=8), engine, 300)
    assert all(rescan.agrees(value, source.size) for value in values)
    assert len(rescan.readings) == len(values)  # each crop read once
    other = Rereading(scan(render_document("cccd", seed=42).pages[0].image, seed=8), engine, 300)
    assert not any(other.agrees(value, source.size) for value in values)


def test_a_turned_card_is_read_upright_where_its_twin_had_the_values(engine: OcrEngine) -> None:
    card = render_document("cccd", seed=43).pages[0].image
    source = degrade(scan(card, seed=1), "rotate90", seed=1)
    values, rotation = known_values(engine, source)
    assert rotation == 270 and values
    rescan = Rereading(degrade(scan(card, seed=5), "rotate90", seed=5), engine, 300)
    assert all(rescan.agrees(value, source.size, rotation) for value in values)
    assert not all(rescan.agrees(value, source.size) for value in values)  # read sideways


def test_a_crop_stays_on_the_page_and_on_the_grid() -> None:
    assert crop_around((5, 10, 100, 20), (1000, 600)) == (0, 0, 144, 64)
    assert crop_around((950, 580, 40, 10), (1000, 600)) == (928, 560, 72, 40)
