"""One page of OCR as an hOCR 1.2 document.

hOCR is the exchange format other OCR tools read (OCRmyPDF, hocr-tools, the Internet Archive's
viewers, proofreading tools), so a page we recognised can be handed to them without our JSON.
The layout mirrors tesseract's own hOCR renderer: ``ocr_page`` > ``ocr_carea`` (a tesseract
block) > ``ocr_par`` > ``ocr_line`` > ``ocrx_word``, each with the ``bbox`` of what it holds, in
pixels of the page image (origin top left), and each word with its confidence as ``x_wconf``.

Ids carry the page number (``word_3_17`` is word 17 of page 3), so pages rendered one by one can
be concatenated into a multi-page document without clashes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from itertools import groupby
from xml.etree import ElementTree as ET

from ocr.words import PageText, Word

XHTML = "http://www.w3.org/1999/xhtml"
OCR_SYSTEM = "sohoa"
CAPABILITIES = "ocr_page ocr_carea ocr_par ocr_line ocrx_word ocrp_wconf ocrp_lang"

_XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"
_PREAMBLE = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"\n'
    '    "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
)
# Characters XML 1.0 cannot carry at all, not even as references (C0 controls but tab, newline
# and carriage return; lone surrogates; U+FFFE and U+FFFF). Tesseract emits the odd form feed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def render_hocr(page: PageText, *, page_number: int, image_name: str | None = None) -> str:
    """Return the hOCR document of ``page``, the ``page_number``-th page (1-based) of its file.

    ``image_name`` is what the ``image`` property points consumers at (the page image file,
    relative to the hOCR file); without it the property is left out. Text is NFC-normalised,
    as in ``PageText.text``, so that a search in the hOCR finds what a search in our JSON finds.
    """
    if page_number < 1:
        raise ValueError(f"page numbers start at 1, not {page_number}")
    html = ET.Element("html", {"xmlns": XHTML, "lang": "vi", f"{{{_XML_NAMESPACE}}}lang": "vi"})
    html.append(_head(f"Page {page_number}" if image_name is None else image_name))
    body = ET.SubElement(html, "body")
    page_title = [f"bbox 0 0 {page.width} {page.height}", f"ppageno {page_number - 1}"]
    if image_name is not None:
        page_title.insert(0, f"image {_quoted(image_name)}")
    page_div = ET.SubElement(
        body,
        "div",
        {"class": "ocr_page", "id": f"page_{page_number}", "title": "; ".join(page_title)},
    )
    _add_blocks(page_div, _writable_words(page.words), page_number)
    if not len(page_div):
        page_div.text = "\n  "  # an open and a close tag: HTML parsers do not read ``<div/>``
    ET.indent(html, space=" ")
    return _PREAMBLE + ET.tostring(html, encoding="unicode") + "\n"


def _head(title: str) -> ET.Element:
    head = ET.Element("head")
    # Never empty: ``<title/>`` would make an HTML parser read the rest of the file as the title.
    ET.SubElement(head, "title").text = _NOT_XML.sub("", title) or "Page"
    ET.SubElement(
        head, "meta", {"http-equiv": "Content-Type", "content": "text/html;charset=utf-8"}
    )
    for name, content in (
        ("ocr-system", OCR_SYSTEM),
        ("ocr-capabilities", CAPABILITIES),
        ("ocr-number-of-pages", "1"),
        ("ocr-langs", "vi"),
    ):
        ET.SubElement(head, "meta", {"name": name, "content": content})
    return head


def _add_blocks(page_div: ET.Element, words: list[Word], page_number: int) -> None:
    """Nest the words by tesseract's block, paragraph and line numbers.

    Only consecutive words are grouped, as ``PageText.text`` does: words are in reading order,
    and a number seen again after another one is a new element, not a return to the old one.
    """
    counters = {"block": 0, "par": 0, "line": 0, "word": 0}

    def next_id(kind: str) -> str:
        counters[kind] += 1
        return f"{kind}_{page_number}_{counters[kind]}"

    for _, block_words in groupby(words, key=lambda w: w.block):
        block = list(block_words)
        carea = _element(page_div, "div", "ocr_carea", next_id("block"), block)
        for _, par_words in groupby(block, key=lambda w: w.paragraph):
            paragraph = list(par_words)
            par = _element(carea, "p", "ocr_par", next_id("par"), paragraph)
            par.set("lang", "vi")  # as tesseract does: consumers look for it here, not on <html>
            for _, line_words in groupby(paragraph, key=lambda w: w.line):
                line = list(line_words)
                line_span = _element(par, "span", "ocr_line", next_id("line"), line)
                for word in line:
                    span = _element(line_span, "span", "ocrx_word", next_id("word"), [word])
                    span.set("title", f"{span.get('title')}; x_wconf {_wconf(word)}")
                    span.text = word.text


def _element(
    parent: ET.Element, tag: str, css_class: str, element_id: str, words: Sequence[Word]
) -> ET.Element:
    left, top, right, bottom = _bbox(words)
    title = f"bbox {left} {top} {right} {bottom}"
    return ET.SubElement(parent, tag, {"class": css_class, "id": element_id, "title": title})


def _bbox(words: Sequence[Word]) -> tuple[int, int, int, int]:
    return (
        min(w.left for w in words),
        min(w.top for w in words),
        max(w.left + w.width for w in words),
        max(w.top + w.height for w in words),
    )


def _writable_words(words: Sequence[Word]) -> list[Word]:
    """The words with text XML can hold, NFC; a word left empty by that is not a word."""
    kept = []
    for word in words:
        text = _NOT_XML.sub("", unicodedata.normalize("NFC", word.text)).strip()
        if text:
            kept.append(word if text == word.text else replace(word, text=text))
    return kept


def _wconf(word: Word) -> int:
    """hOCR wants a whole number 0..100; tesseract's float scale is the same range."""
    return max(0, min(100, round(word.confidence)))


def _quoted(value: str) -> str:
    """A property string: double-quoted, with backslash escapes for quotes and backslashes."""
    escaped = _NOT_XML.sub("", value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
