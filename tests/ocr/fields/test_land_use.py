"""The land-use right certificate read end to end: scan, OCR, classification and its fields."""

from __future__ import annotations

import pytest

from ocr.engine import make_engine
from ocr.fields.doctypes import load_document_types
from ocr.fields.extract import check_value, extract_fields
from ocr.reading import read_page
from samples import render_document, scan

SEED = 1  # a couple's certificate, so the spouse's field is read too


@pytest.mark.slow
def test_a_clean_land_use_certificate_reads_as_printed() -> None:
    types = load_document_types()
    document = render_document("quyen_su_dung_dat", seed=SEED)
    assert "co_owner_name" in document.fields
    page = read_page(scan(document.pages[0].image, SEED), 300, make_engine()).text
    extraction = extract_fields([page], types)
    assert extraction.document_type == "quyen_su_dung_dat"
    specs = {spec.name: spec for spec in types["quyen_su_dung_dat"].fields}
    read = {field.name: field for field in extraction.fields}
    assert set(document.fields) <= set(read)
    for name, printed in document.fields.items():
        expected = check_value(specs[name].kind, printed).value
        assert read[name].checked.value == expected, (name, read[name].raw, printed)
