"""The extra layout families of the application form and the birth record.

Field extraction is tuned on some families and scored on the others, so each family must print
the kind's fields exactly as its ground truth says, stay the same for a seed, and really differ
from the default layout: other label wordings, numbering, values in tables or under the label.
"""

from __future__ import annotations

import re
import shutil
import unicodedata

import pytest

from samples import RenderedDocument, render_document
from samples.families import family_names

# Each new family with the page counts it has.
NEW_FAMILIES = {
    ("don_de_nghi", "district_table"): (1, 2),
    ("don_de_nghi", "numbered_notes"): (1, 2),
    ("khai_sinh", "certificate_table"): (1,),
    ("khai_sinh", "numbered_extract"): (1,),
}
CASES = [
    (kind, family, pages) for (kind, family), counts in NEW_FAMILIES.items() for pages in counts
]

# How a family prints the person's name and birth date: the start of the line holding the value.
LABEL_LINES = {
    "district_table": ("Họ, chữ đệm và tên {full_name}", "Ngày, tháng, năm sinh {date_of_birth}"),
    "numbered_notes": ("1. Họ và tên người đề nghị: {full_name}", "3. Sinh ngày: {date_of_birth}"),
    "certificate_table": ("Họ và tên {full_name}", "Sinh ngày {date_of_birth}"),
    "numbered_extract": (
        "1. Họ, chữ đệm và tên: {full_name}",
        "2. Ngày, tháng, năm sinh: {date_of_birth}",
    ),
}
# The default layouts' "Label: value" wordings, which the new families must not repeat.
DEFAULT_LABELS = {
    "don_de_nghi": {
        "full_name": "Họ và tên",
        "date_of_birth": "Ngày sinh",
        "cccd_number": "Số CCCD",
        "address": "Nơi thường trú",
        "phone": "Số điện thoại",
    },
    "khai_sinh": {
        "full_name": "Họ, chữ đệm, tên",
        "date_of_birth": "Ngày, tháng, năm sinh",
        "mother_name": "Họ, chữ đệm, tên người mẹ",
        "father_name": "Họ, chữ đệm, tên người cha",
        "registration_place": "Nơi đăng ký khai sinh",
        "registration_date": "Ngày, tháng, năm đăng ký",
    },
}
LONG_DATE = re.compile(r"ngày \d{1,2} tháng \d{1,2} năm \d{4}")


def flat_text(document: RenderedDocument) -> str:
    """All drawn text on one line, so values wrapped over lines can be found."""
    return " ".join(line for page in document.pages for line in page.lines)


def all_lines(document: RenderedDocument) -> list[str]:
    return [line for page in document.pages for line in page.lines]


@pytest.mark.parametrize(("kind", "family", "pages"), CASES)
def test_family_prints_the_kinds_fields_as_recorded(kind: str, family: str, pages: int) -> None:
    default_keys = render_document(kind, seed=0).fields.keys()
    for seed in range(6):
        document = render_document(kind, seed=seed, pages=pages, family=family)
        assert document.family == family and len(document.pages) == pages
        assert document.fields.keys() == default_keys
        assert document.fields["full_name"] == document.fields["full_name"].upper()
        for page in document.pages:
            assert page.image.mode == "L" and page.image.info["dpi"] == (300, 300)
            assert all(line == unicodedata.normalize("NFC", line) for line in page.lines)
        text = flat_text(document)
        for name, value in document.fields.items():
            assert value and value in text, f"{family}/{seed}: {name}={value!r} is not drawn"
        if pages > 1:
            assert [page.lines[-1] for page in document.pages] == ["Trang 1/2", "Trang 2/2"]


@pytest.mark.parametrize(("kind", "family"), list(NEW_FAMILIES))
def test_same_seed_draws_the_same_pixels(kind: str, family: str) -> None:
    pages = max(NEW_FAMILIES[kind, family])
    first = render_document(kind, seed=5, pages=pages, family=family)
    second = render_document(kind, seed=5, pages=pages, family=family)
    assert [p.image.tobytes() for p in first.pages] == [p.image.tobytes() for p in second.pages]
    assert first.text == second.text and first.fields == second.fields
    other = render_document(kind, seed=6, pages=pages, family=family)
    assert other.pages[0].image.tobytes() != first.pages[0].image.tobytes()


@pytest.mark.parametrize(("kind", "family"), list(NEW_FAMILIES))
def test_family_words_its_labels_unlike_the_default(kind: str, family: str) -> None:
    assert family_names(kind)[0] != family
    for seed in range(4):
        document = render_document(kind, seed=seed, family=family)
        lines = all_lines(document)
        for expected in LABEL_LINES[family]:
            start = expected.format(**document.fields)
            assert any(line.startswith(start) for line in lines), start
        for name, label in DEFAULT_LABELS[kind].items():
            default_line = f"{label}: {document.fields[name]}"
            assert not any(line.startswith(default_line) for line in lines), default_line


@pytest.mark.parametrize(
    ("kind", "family", "name"),
    [
        ("don_de_nghi", "district_table", "address"),  # in its table cell
        ("don_de_nghi", "numbered_notes", "address"),  # back at the left margin
        ("khai_sinh", "certificate_table", "registration_place"),
        ("khai_sinh", "numbered_extract", "registration_place"),  # under the value
    ],
)
def test_long_values_really_wrap(kind: str, family: str, name: str) -> None:
    wrapped = 0
    for seed in range(10):
        document = render_document(kind, seed=seed, family=family)
        value = document.fields[name]
        wrapped += not any(value in line for line in all_lines(document))
    assert wrapped >= 5


@pytest.mark.parametrize("family", ["district_table", "numbered_notes"])
def test_cited_decrees_carry_dates_other_than_the_signing_date(family: str) -> None:
    for seed in range(4):
        document = render_document("don_de_nghi", seed=seed, family=family)
        signed = document.fields["date_signed"]
        citations = [line for line in all_lines(document) if line.startswith("Căn cứ")]
        cited = [match for line in citations for match in LONG_DATE.findall(line)]
        assert cited and signed not in cited
        assert any(line.endswith(signed) for line in all_lines(document))


def test_the_request_is_followed_by_a_new_paragraph() -> None:
    document = render_document("don_de_nghi", seed=2, pages=1, family="numbered_notes")
    lines = document.pages[0].lines
    request = lines.index(f"7. Nội dung yêu cầu: {document.fields['procedure']}")
    assert lines[request + 1].startswith("Căn cứ ")


@pytest.mark.parametrize("family", ["certificate_table", "numbered_extract"])
def test_birth_records_carry_a_personal_id_from_2016(family: str) -> None:
    seen = set()
    for seed in range(16):
        document = render_document("khai_sinh", seed=seed, family=family)
        registered = int(document.fields["registration_date"][-4:])
        ids = re.findall(r"Số định danh cá nhân:? (\d+)", document.text)
        assert (len(ids) == 1) == (registered >= 2016)
        assert all(len(number) == 12 for number in ids)
        seen.add(bool(ids))
    assert seen == {True, False}


def test_page_counts_a_family_does_not_have_are_refused() -> None:
    with pytest.raises(ValueError):
        render_document("don_de_nghi", seed=1, pages=3, family="district_table")
    with pytest.raises(ValueError):
        render_document("don_de_nghi", seed=1, pages=3, family="numbered_notes")
    with pytest.raises(ValueError):
        render_document("khai_sinh", seed=1, pages=2, family="numbered_extract")
    with pytest.raises(ValueError):
        render_document("khai_sinh", seed=1, pages=2, family="certificate_table")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")
@pytest.mark.parametrize(("kind", "family"), list(NEW_FAMILIES))
def test_tesseract_reads_the_labels_and_values(kind: str, family: str) -> None:
    from ocr.engine import make_engine
    from ocr.reading import read_page

    document = render_document(kind, seed=0, family=family)
    reading = read_page(document.pages[0].image, 300, make_engine())
    text = " ".join(reading.text.text.split())
    name_line, birth_line = LABEL_LINES[family]
    assert birth_line.format(**document.fields) in text
    assert name_line.split("{")[0].strip() in text
    assert document.fields["registration_date" if kind == "khai_sinh" else "phone"] in text
