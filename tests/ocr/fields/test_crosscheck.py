"""A value from a scan's text layer stands only where OCR of the scan reads the same."""

from __future__ import annotations

import pytest

from ocr.fields.checked import Checked
from ocr.fields.crosscheck import AGREES, NO_OCR_TEXT, agree, check_against_image
from ocr.fields.doctypes import ValueKind
from ocr.fields.evidence import supporting
from ocr.fields.extract import DOUBTFUL, Extraction, FieldReading
from ocr.fields.locate import Located
from ocr.words import PageText, Word

BOX = (100, 100, 400, 30)
"""Where the value sits on the page: one line of 30-pixel words from x=100."""


def line(*texts: str, top: int = 100, confidence: float = 100.0) -> list[Word]:
    """Words side by side on one line from the left of BOX, 60 pixels apart."""
    return [
        Word(text, confidence, 100 + 60 * n, top, 50, 30, 1, 1, 1) for n, text in enumerate(texts)
    ]


def page(words: list[Word]) -> PageText:
    return PageText(width=1000, height=1000, words=words)


def field(name: str, raw: str, *, accepted: bool = True, value: str | None = None) -> FieldReading:
    located = Located(name, raw, 1, BOX, (100.0,), 100.0)
    checked = Checked(raw if value is None else value)
    return FieldReading(name, raw, checked, 1.0, accepted, located, (supporting("label 100"),))


def checked(
    reading: FieldReading, kind: ValueKind, layer: list[Word], ocr: list[Word] | None
) -> FieldReading:
    extraction = Extraction("cccd", 100.0, (reading,))
    readings = [page(ocr) if ocr is not None else None]
    result = check_against_image(extraction, {reading.name: kind}, [page(layer)], readings)
    (only,) = result.fields
    return only


def test_agreement_keeps_the_value_accepted() -> None:
    name = field("full_name", "NGUYỄN VĂN AN")
    result = checked(name, ValueKind.NAME, line("NGUYỄN", "VĂN", "AN"),
                     line("NGUYÊN", "VĂN", "AN", confidence=80))  # fmt: skip
    assert result.accepted and result.confidence == 1.0
    assert result.reasons[-1] == supporting(AGREES)


def test_another_name_goes_to_review_quoting_both_readings() -> None:
    name = field("full_name", "Nguyễn Văn An")
    result = checked(name, ValueKind.NAME, line("Nguyễn", "Văn", "An"),
                     line("Trần", "Thị", "Bình"))  # fmt: skip
    assert not result.accepted and result.confidence == DOUBTFUL
    assert result.checked.value == "Nguyễn Văn An"  # kept for the operator
    reason = result.reasons[-1]
    assert not reason.supports
    assert reason.text == (
        "the PDF's text layer says 'Nguyễn Văn An'; OCR of the page image reads 'Trần Thị Bình'"
    )


def test_nothing_read_where_the_layer_puts_the_value_goes_to_review() -> None:
    name = field("full_name", "Nguyễn Văn An")
    elsewhere = line("Nguyễn", "Văn", "An", top=600)
    result = checked(name, ValueKind.NAME, line("Nguyễn", "Văn", "An"), elsewhere)
    assert not result.accepted
    assert result.reasons[-1].text == NO_OCR_TEXT


@pytest.mark.parametrize(
    ("ocr", "agrees"),
    [("001085012345", True), ("0O1085O12345", True), ("001085012346", False),
     ("00108501234", False)],
)  # fmt: skip
def test_an_identifier_must_match_digit_for_digit(ocr: str, agrees: bool) -> None:
    number = field("cccd_number", "001085012345")
    result = checked(number, ValueKind.CCCD, line("001085012345"), line(ocr))
    assert result.accepted is agrees


def test_a_date_must_have_the_same_digits() -> None:
    assert agree(ValueKind.DATE, "11/12/1991", "1991-12-11", "11/12/1991")
    assert not agree(ValueKind.DATE, "11/12/1991", "1991-12-11", "11/12/1997")


def test_an_area_read_with_m2_for_square_metres_agrees() -> None:
    assert agree(ValueKind.AREA, "238,3 m²", None, "238,3 m2")
    assert not agree(ValueKind.AREA, "238,3 m²", None, "288,3 m2")


def test_label_words_in_a_wrapped_values_box_count_for_nothing() -> None:
    """The box of a value that starts after its label's end also holds the label's words."""
    value = field("foreign_name", "HOA BINH TRAVEL")
    layer = line("ngoài:", "HOA", "BINH", "TRAVEL")
    result = checked(value, ValueKind.FOREIGN_NAME, layer, line("ngoài:", "HUNG", "THINH", "TECH"))
    assert not result.accepted
    assert result.reasons[-1].text.endswith("OCR of the page image reads 'HUNG THINH TECH'")


def test_a_shortened_value_does_not_agree_with_the_whole() -> None:
    name = field("full_name", "VĂN AN")
    result = checked(name, ValueKind.NAME, line("VĂN", "AN"), line("NGUYỄN", "VĂN", "AN"))
    assert not result.accepted


def test_pages_that_need_no_check_are_left_as_they_are() -> None:
    name = field("full_name", "Nguyễn Văn An")
    assert checked(name, ValueKind.NAME, line("Nguyễn", "Văn", "An"), None) == name


def test_a_value_already_in_review_stays_there_when_ocr_agrees() -> None:
    name = field("full_name", "Nguyễn Văn An", accepted=False)
    result = checked(name, ValueKind.NAME, line("Nguyễn", "Văn", "An"), line("Nguyễn", "Văn", "An"))
    assert not result.accepted
