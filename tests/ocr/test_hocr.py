"""hOCR of one page: well-formed XHTML, boxes where the words are, text escaped and NFC."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from xml.etree import ElementTree as ET

import lxml.html
import pytest

from ocr.hocr import render_hocr
from ocr.words import PageText, Word

NS = {"h": "http://www.w3.org/1999/xhtml"}


def word(text: str, left: int, top: int, *, block: int = 1, par: int = 1, line: int = 1) -> Word:
    return Word(text, 91.6, left, top, 20 * len(text), 40, block, par, line)


PAGE = PageText(
    width=1240,
    height=1754,
    words=[
        word("CỘNG", 100, 100),
        word("HÒA", 220, 102),
        word("Họ", 100, 200, line=2),
        word("và", 160, 205, line=2),
        word("tên:", 220, 200, line=2),
        word("Nguyễn", 100, 400, par=2),
        word("Số", 100, 600, block=2),
        word("001085012345", 160, 600, block=2),
    ],
)


def parse(hocr: str) -> ET.Element:
    return ET.fromstring(hocr.encode("utf-8"))


def elements(root: ET.Element, css_class: str) -> list[ET.Element]:
    return root.findall(f".//*[@class='{css_class}']")


def bbox(element: ET.Element) -> tuple[int, ...]:
    match = re.search(r"bbox (\d+) (\d+) (\d+) (\d+)", element.get("title", ""))
    assert match, element.get("title")
    return tuple(int(n) for n in match.groups())


def test_is_an_xhtml_document_with_hocr_metadata() -> None:
    hocr = render_hocr(PAGE, page_number=3, image_name="page-3.png")
    root = parse(hocr)
    assert hocr.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html')
    assert root.tag == "{http://www.w3.org/1999/xhtml}html"
    assert root.get("lang") == "vi"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "vi"
    meta = {m.get("name"): m.get("content") for m in root.iterfind(".//h:meta[@name]", NS)}
    assert meta["ocr-system"] == "sohoa"
    assert set((meta["ocr-capabilities"] or "").split()) >= {
        "ocr_page", "ocr_carea", "ocr_par", "ocr_line", "ocrx_word", "ocrp_wconf"
    }  # fmt: skip
    (page,) = elements(root, "ocr_page")
    assert page.get("id") == "page_3"
    assert page.get("title") == 'image "page-3.png"; bbox 0 0 1240 1754; ppageno 2'


def test_nests_blocks_paragraphs_lines_and_words_with_their_boxes() -> None:
    root = parse(render_hocr(PAGE, page_number=1))
    assert len(elements(root, "ocr_carea")) == 2
    assert len(elements(root, "ocr_par")) == 3
    lines = elements(root, "ocr_line")
    assert [[w.text for w in elements(line, "ocrx_word")] for line in lines] == [
        ["CỘNG", "HÒA"],
        ["Họ", "và", "tên:"],
        ["Nguyễn"],
        ["Số", "001085012345"],
    ]
    assert bbox(lines[0]) == (100, 100, 280, 142)  # the union of its words
    assert bbox(lines[1]) == (100, 200, 300, 245)
    first = elements(root, "ocrx_word")[0]
    assert first.get("title") == "bbox 100 100 180 140; x_wconf 92"
    carea = elements(root, "ocr_carea")[0]
    assert bbox(carea) == (100, 100, 300, 440)
    assert [bbox(w) for w in elements(root, "ocrx_word")] == [
        (w.left, w.top, w.left + w.width, w.top + w.height) for w in PAGE.words
    ]


def test_ids_are_unique_and_carry_the_page_number() -> None:
    root = parse(render_hocr(PAGE, page_number=7))
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"(page|block|par|line|word)_7(_\d+)?", i or "") for i in ids)


def test_text_is_escaped_and_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn")
    page = PageText(
        width=600,
        height=200,
        words=[
            word("a<b", 10, 10),
            word("&", 90, 10),
            word(decomposed, 130, 10),
            word("\x0c", 300, 10),
        ],
    )
    hocr = render_hocr(page, page_number=1, image_name='scan "1" <&>.png')
    assert "a&lt;b" in hocr and "&amp;" in hocr
    root = parse(hocr)
    assert [w.text for w in elements(root, "ocrx_word")] == ["a<b", "&", "Nguyễn"]
    assert elements(root, "ocrx_word")[2].text == unicodedata.normalize("NFC", "Nguyễn")
    assert (
        elements(root, "ocr_page")[0]
        .get("title", "")
        .startswith('image "scan \\"1\\" <&>.png"; bbox 0 0 600 200')
    )


def test_a_page_without_words_is_still_a_page() -> None:
    hocr = render_hocr(PageText(width=100, height=50, words=[]), page_number=1)
    root = parse(hocr)
    (page,) = elements(root, "ocr_page")
    assert bbox(page) == (0, 0, 100, 50)
    assert "<div" in hocr and "</div>" in hocr  # never <div/>, which HTML parsers keep open


def test_html_parsers_read_the_same_words() -> None:
    """Many hOCR tools parse with an HTML parser, where ``<title/>`` would swallow the page."""
    document = lxml.html.document_fromstring(render_hocr(PAGE, page_number=1).encode("utf-8"))
    words = document.xpath("//*[@class='ocrx_word']")
    assert [w.text_content() for w in words] == [w.text for w in PAGE.words]


def test_page_numbers_start_at_one() -> None:
    with pytest.raises(ValueError, match="start at 1"):
        render_hocr(PAGE, page_number=0)


def test_the_hocr_spec_validator_accepts_it(tmp_path: Path) -> None:
    validate = pytest.importorskip("hocr_spec.validate")
    path = tmp_path / "page.hocr"
    path.write_text(render_hocr(PAGE, page_number=1, image_name="page-1.png"), encoding="utf-8")
    report = validate.HocrValidator("standard").validate(str(path), parse_strict=True)
    assert report.is_valid(), report.format("text")


def test_ocrmypdf_reads_the_words_and_boxes(tmp_path: Path) -> None:
    hocr_parser = pytest.importorskip("ocrmypdf.hocrtransform.hocr_parser")
    path = tmp_path / "page.hocr"
    path.write_text(render_hocr(PAGE, page_number=1), encoding="utf-8")
    page = hocr_parser.HocrParser(path).parse()
    words = [w for par in page.children for line in par.children for w in line.children]
    assert [w.text for w in words] == [w.text for w in PAGE.words]
    assert (words[0].bbox.left, words[0].bbox.top, words[0].bbox.right, words[0].bbox.bottom) == (
        100, 100, 180, 140
    )  # fmt: skip
    assert words[0].confidence == pytest.approx(0.92)
