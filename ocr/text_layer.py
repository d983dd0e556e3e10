"""The words a PDF page already carries, so that born-digital pages are not OCRed.

A page exported from a word processor has exact text; OCR of its rendering could only lose
accents and digits. A scan that another tool has already OCRed carries an invisible text layer
(render mode 3), and that layer counts too, though only as a claim about the scan: such a page
is OCRed as well and its values checked (``ocr.scan_layer``, ``ocr.fields.crosscheck``), since
nothing ties an invisible layer to the pixels. A text layer can also be unreadable: a font
without a Unicode mapping yields control characters, private-use characters, U+FFFD, pdfminer's
``(cid:NN)`` or runs of punctuation. So every layer gets a verdict, and only a ``usable`` one
replaces OCR; for ``none`` and ``garbage`` the page image is OCRed as usual.

The words come from poppler's ``pdftotext -bbox-layout`` rather than pdfplumber, by measurement:
on a 10-page born-digital A4 PDF (45 Vietnamese lines a page) both gave every word exactly after
NFC, but ``pdftotext`` took 10 ms a page against pdfplumber's 91 ms, needs no new dependency
(poppler already renders our pages) and, with ``-cropbox``, reports boxes in the same frame
``pdftoppm`` renders (cropbox origin, /Rotate applied), while pdfplumber's are mediabox-relative.
Boxes are scaled by ``dpi / 72``, exactly as ``pdftoppm`` scales when ``ingest.pages`` renders.

Errors: ``pdftotext`` missing -> ``EngineError(code="poppler_missing")``; any other failure of
it (a damaged file, no answer within ``TEXT_LAYER_TIMEOUT_SECONDS``, output we cannot read) ->
``EngineError(code="text_layer_failed")``.
"""

from __future__ import annotations

import math
import re
import string
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import numpy as np
from PIL import Image

from models.errors import EngineError
from ocr.words import PageText, Word

TEXT_LAYER_TIMEOUT_SECONDS = 60
"""Seconds ``pdftotext`` may take for one page; it needs milliseconds on a sane page."""

MIN_WORDS = 5
"""Fewer words (with a letter or digit) than this is a page number or a stamp: OCR the page."""

MIN_PLAUSIBLE_SHARE = 0.9
"""Share of characters that must be Latin letters, digits or common punctuation."""

MIN_LETTER_SHARE = 0.5
"""Share of characters (repeats squeezed, so dot leaders count once) that are letters or digits."""

MIN_WELL_SHAPED_SHARE = 0.75
"""Share of words that must look like words, numbers or codes (see ``_is_well_shaped``)."""

MIN_INK_COVERED = 0.5
"""Share of a page's dark pixels that must lie in the text layer's word boxes for the layer to
stand for the page. A born-digital page with a ruled table keeps about 75% of its ink in words;
a scan with a typed stamp or a scanner's footer on top, about 1%."""

INK_LEVEL = 128
"""Grey level under which a pixel is ink."""

TEXT_LAYER_CONFIDENCE = 100.0
"""The confidence given to words of a usable text layer: they are the document's own text."""

_PUNCTUATION_CHARS = string.punctuation + "–—‐‘’‚“”„…•·°№§€£¥«»×÷±©®™"
_PUNCTUATION = frozenset(_PUNCTUATION_CHARS)
_VOWELS = frozenset("aeiouy")
_CID = re.compile(r"\(cid:\d+\)")
_PIECE_SEPARATORS = re.compile(r"[-–/.,:;'’_@&+]+")
_REPEATS = re.compile(r"(.)\1+")
# Characters XML 1.0 forbids; pdftotext copies them from fonts without a Unicode mapping.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class TextLayerVerdict(StrEnum):
    NONE = "none"
    USABLE = "usable"
    GARBAGE = "garbage"


@dataclass(frozen=True)
class TextLayer:
    """What a page's text layer is worth; ``page`` is set only when the verdict is ``usable``."""

    page: PageText | None
    verdict: TextLayerVerdict


def read_text_layer(
    pdf_path: Path, page_index: int, *, dpi: int, width: int, height: int
) -> TextLayer:
    """Read and judge the text layer of page ``page_index`` (1-based).

    ``width`` x ``height`` is the size in pixels of the image ``ingest.pages`` renders for this
    page at ``dpi``; the words come back in that frame, so they line up with the stored page
    image exactly as OCR words would. Words outside the frame (outside the cropbox) are dropped.
    """
    if page_index < 1:
        raise ValueError(f"page {page_index} does not exist; pages are numbered from 1")
    if not pdf_path.is_file():
        raise FileNotFoundError(f"no such file: {pdf_path}")
    xhtml = _run_pdftotext(pdf_path, page_index)
    words = _words_from_xhtml(xhtml, scale=dpi / 72, width=width, height=height)
    verdict = judge_words([word.text for word in words])
    if verdict is not TextLayerVerdict.USABLE:
        return TextLayer(page=None, verdict=verdict)
    return TextLayer(page=PageText(width=width, height=height, words=words), verdict=verdict)


def covers_ink(page: PageText, image: Image.Image) -> bool:
    """Whether the words' boxes hold most of the ink of ``image``, the page they were read from.

    A usable text layer may still say nothing of the page: a scan whose only digital text is a
    stamp or a scanner's footer would otherwise never be OCRed. Measured at a quarter of the
    resolution (a few milliseconds a page); boxes are padded by a pixel for anti-aliasing.
    """
    small = image.convert("L").reduce(4) if min(image.size) >= 400 else image.convert("L")
    ink = np.asarray(small) < INK_LEVEL
    total = int(ink.sum())
    if total == 0:
        return True
    scale_x, scale_y = small.width / page.width, small.height / page.height
    inside = np.zeros_like(ink)
    for word in page.words:
        top, left = int(word.top * scale_y) - 1, int(word.left * scale_x) - 1
        bottom = math.ceil((word.top + word.height) * scale_y) + 1
        right = math.ceil((word.left + word.width) * scale_x) + 1
        inside[max(top, 0) : bottom, max(left, 0) : right] = True
    return int(ink[inside].sum()) / total >= MIN_INK_COVERED


def judge_words(texts: Sequence[str]) -> TextLayerVerdict:
    """Say whether words taken from a text layer are worth more than OCR of the page.

    Rules and leaders (``-``, ``....``, ``____``) carry nothing and are left out of the count.
    Garbage is judged before "too few words with a letter or digit": a layer of unmapped glyphs
    may have no letters at all and would otherwise pass for an empty page, hiding a font problem
    worth knowing about.
    """
    normalized = (unicodedata.normalize("NFC", text).strip() for text in texts)
    tokens = [_CID.sub("\ufffd", token) for token in normalized if not _is_rule(token)]
    if len(tokens) < MIN_WORDS:
        return TextLayerVerdict.NONE
    chars = "".join(tokens)
    squeezed = "".join(_REPEATS.sub(r"\1", token) for token in tokens)
    plausible = sum(map(_is_plausible_char, chars)) / len(chars)
    letters = sum(char.isalnum() for char in squeezed) / len(squeezed)
    shaped = sum(map(_is_well_shaped, tokens)) / len(tokens)
    if (
        plausible < MIN_PLAUSIBLE_SHARE
        or letters < MIN_LETTER_SHARE
        or shaped < MIN_WELL_SHAPED_SHARE
    ):
        return TextLayerVerdict.GARBAGE
    if sum(any(char.isalnum() for char in token) for token in tokens) < MIN_WORDS:
        return TextLayerVerdict.NONE
    return TextLayerVerdict.USABLE


# --- pdftotext -------------------------------------------------------------------------------


def _run_pdftotext(pdf_path: Path, page_index: int) -> str:
    """The ``<doc>`` part of ``pdftotext -bbox-layout`` for one page, made parseable.

    ``-cropbox`` puts the origin at the cropbox corner, as ``pdftoppm -cropbox`` renders; the
    page's /Rotate is applied by pdftotext itself. The ``<head>`` is cut off because it only
    repeats the document's metadata.
    """
    command = [
        "pdftotext", "-f", str(page_index), "-l", str(page_index), "-cropbox", "-bbox-layout",
        "-enc", "UTF-8", str(pdf_path), "-",
    ]  # fmt: skip
    try:
        result = subprocess.run(
            command, capture_output=True, timeout=TEXT_LAYER_TIMEOUT_SECONDS, check=False
        )
    except FileNotFoundError as e:
        raise EngineError(
            "poppler (pdftotext) is not installed or not on PATH on this worker; install "
            "poppler-utils",
            code="poppler_missing",
        ) from e
    except (subprocess.TimeoutExpired, OSError) as e:
        raise _failed(page_index, str(e)) from e
    stderr = " ".join(result.stderr.decode("utf-8", "replace").split())
    if result.returncode == 99 and "Wrong page range" in stderr:
        raise ValueError(f"page {page_index} does not exist: {stderr}")
    if result.returncode != 0:
        raise _failed(page_index, f"pdftotext exited with {result.returncode}: {stderr}")
    output = _XML_ILLEGAL.sub("\ufffd", result.stdout.decode("utf-8", "replace"))
    start, end = output.find("<doc>"), output.rfind("</doc>")
    if start < 0 or end < start:
        raise _failed(page_index, "pdftotext wrote no <doc> element")
    return output[start : end + len("</doc>")]


def _words_from_xhtml(xhtml: str, *, scale: float, width: int, height: int) -> list[Word]:
    """Words in pixels of the page image, numbered like tesseract's layout.

    Poppler's flows (groups of blocks read together) become blocks, its blocks paragraphs and
    its lines lines, with the numbering restarting inside each parent as tesseract's does, so
    ``PageText.text`` puts blank lines where poppler saw separate blocks.
    """
    try:
        root = ET.fromstring(xhtml)
    except ET.ParseError as e:
        raise EngineError(
            f"pdftotext wrote unreadable output: {e}", code="text_layer_failed"
        ) from e
    words: list[Word] = []
    for layout, element in _poppler_words(root):
        box = _pixel_box(element, scale=scale, width=width, height=height)
        text = unicodedata.normalize("NFC", element.text or "").strip()
        if box is None or not text:
            continue
        words.append(Word.from_edges(text, TEXT_LAYER_CONFIDENCE, box, layout))
    return words


def _poppler_words(root: ET.Element) -> Iterator[tuple[tuple[int, int, int], ET.Element]]:
    """Each ``<word>`` in reading order with its (block, paragraph, line) numbers."""
    for block, flow in enumerate(root.iter("flow"), start=1):
        for paragraph, poppler_block in enumerate(flow.iter("block"), start=1):
            for line, poppler_line in enumerate(poppler_block.iter("line"), start=1):
                for element in poppler_line.iter("word"):
                    yield (block, paragraph, line), element


def _pixel_box(
    element: ET.Element, *, scale: float, width: int, height: int
) -> tuple[int, int, int, int] | None:
    """The smallest whole-pixel box around the word, clipped to the image; None if outside."""
    try:
        x_min, y_min, x_max, y_max = (
            float(element.attrib[key]) * scale for key in ("xMin", "yMin", "xMax", "yMax")
        )
    except (KeyError, ValueError) as e:
        raise EngineError(
            f"pdftotext wrote a word without a usable box: {e}", code="text_layer_failed"
        ) from e
    left, top = max(0, math.floor(x_min)), max(0, math.floor(y_min))
    right, bottom = min(width, math.ceil(x_max)), min(height, math.ceil(y_max))
    if right <= left or bottom <= top:
        return None
    return left, top, right, bottom


def _failed(page_index: int, detail: str) -> EngineError:
    return EngineError(
        f"could not read the text layer of page {page_index}: {detail}", code="text_layer_failed"
    )


# --- plausibility ----------------------------------------------------------------------------


def _is_rule(token: str) -> bool:
    """Nothing, or one punctuation mark repeated: a rule, a leader, a lone dash."""
    return not token or (len(set(token)) == 1 and token[0] in _PUNCTUATION)


def _is_plausible_char(char: str) -> bool:
    """Vietnamese and other Latin letters (with their combining marks), digits, punctuation."""
    if "0" <= char <= "9" or char in _PUNCTUATION:
        return True
    if unicodedata.category(char) == "Mn":
        return "\u0300" <= char <= "\u036f"
    return char.isalpha() and unicodedata.name(char, "").startswith("LATIN ")


def _is_well_shaped(token: str) -> bool:
    """Whether a word looks like a word, a number or a code such as ``123/QĐ-UBND``.

    Unmapped fonts often yield letters that pass the character test but make no words: case
    changing mid-word, long runs without a vowel, digits scattered through letters, or long
    strings of assorted punctuation.
    """
    core = token.strip(_PUNCTUATION_CHARS)
    if not core:
        return len(_REPEATS.sub(r"\1", token)) <= 3
    return all(_is_well_shaped_piece(piece) for piece in _PIECE_SEPARATORS.split(core) if piece)


def _is_well_shaped_piece(piece: str) -> bool:
    if piece.isascii() and piece.isdigit():
        return True
    if piece.isalpha():
        if not (piece.islower() or piece.isupper() or piece.istitle()):
            return False
        bases = unicodedata.normalize("NFD", piece).lower()
        return piece.isupper() or len(piece) <= 3 or not _VOWELS.isdisjoint(bases)
    one_case = piece in (piece.lower(), piece.upper())
    return piece.isalnum() and len(piece) <= 6 and one_case
