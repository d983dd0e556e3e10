"""Whether a PDF page's text layer lies over a scanned image, and so cannot be taken on trust.

A born-digital page draws its text as text: what the layer says is what the page shows. A scan
with a text layer shows pixels and carries words beside them, usually invisible (render mode 3,
as OCR tools write them), and nothing ties the words to the pixels: a PDF of a real card scan
with an invisible layer saying another name reads, to ``pdftotext``, as that other name. Such a
page's words are checked against OCR of its image before a field taken from them is accepted
(``ocr.fields.crosscheck``); a born-digital page keeps being read from its layer alone.

The page's content stream is walked with pikepdf, following the current transformation matrix
through ``q``/``Q``/``cm`` and into form XObjects: the largest image drawn, as a share of the
crop box, and how many characters are shown visibly or invisibly. A page is over a scan when an
image covers ``MIN_IMAGE_SHARE`` of it, or when most of its text is invisible (what such a page
shows is not its text, whatever draws it). A page whose drawing cannot be followed is taken to
be over a scan: checking costs one OCR, trusting a forgery costs a citizen's record.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pikepdf

MIN_IMAGE_SHARE = 0.5
"""Share of the crop box an image must cover for the page to be a scan. A scan's image is the
whole page (1.0); a born-digital page's logo, photo or signature covers a few percent."""

MIN_INVISIBLE_SHARE = 0.5
"""Share of the characters shown that, when invisible, make the page's text a hidden layer."""

MAX_FORM_DEPTH = 8
"""Form XObjects nested deeper than this are not followed (a loop, or a file built to hang)."""

_INVISIBLE_MODES = frozenset({3, 7})  # neither fill nor stroke; 7 only adds to the clip path
_SHOW_TEXT = frozenset({"Tj", "TJ", "'", '"'})

Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass
class PageDrawing:
    """What a page draws, as far as its text layer's trust goes."""

    image_share: float = 0.0  # the largest image's area over the crop box's, at most 1
    visible_chars: int = 0
    invisible_chars: int = 0
    readable: bool = True  # False when the content could not be followed
    page_area: float = 1.0  # the crop box's, in square points

    @property
    def over_scan(self) -> bool:
        if not self.readable or self.image_share >= MIN_IMAGE_SHARE:
            return True
        shown = self.visible_chars + self.invisible_chars
        return shown > 0 and self.invisible_chars / shown >= MIN_INVISIBLE_SHARE


def text_layer_over_scan(pdf_path: Path, page_index: int) -> bool:
    """Whether the text layer of page ``page_index`` (1-based) must be checked against OCR."""
    return read_page_drawing(pdf_path, page_index).over_scan


def read_page_drawing(pdf_path: Path, page_index: int) -> PageDrawing:
    """Walk page ``page_index`` (1-based) of ``pdf_path``; see the module for what is measured."""
    try:
        with pikepdf.open(pdf_path) as pdf:
            page = pdf.pages[page_index - 1]
            left, bottom, right, top = (float(v) for v in page.cropbox)
            drawing = PageDrawing(page_area=max(abs(right - left) * abs(top - bottom), 1.0))
            _walk(page.obj, page.obj.get("/Resources"), _IDENTITY, drawing, depth=0)
            return drawing
    except (pikepdf.PdfError, ValueError, TypeError, KeyError, AttributeError, IndexError):
        return PageDrawing(readable=False)


def _walk(
    stream: pikepdf.Object,
    resources: pikepdf.Object | None,
    ctm: Matrix,
    drawing: PageDrawing,
    *,
    depth: int,
) -> None:
    """Follow one content stream (a page's or a form's) and add what it draws to ``drawing``."""
    stack: list[tuple[Matrix, int]] = []
    mode = 0
    for instruction in pikepdf.parse_content_stream(stream):
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            _saw_image(ctm, drawing)
            continue
        operator, operands = str(instruction.operator), instruction.operands
        if operator == "q":
            stack.append((ctm, mode))
        elif operator == "Q" and stack:
            ctm, mode = stack.pop()
        elif operator == "cm":
            ctm = _times(_matrix(operands), ctm)
        elif operator == "Tr":
            mode = int(operands[0])
        elif operator in _SHOW_TEXT:
            _saw_text(operands, mode, drawing)
        elif operator == "Do":
            _draw_xobject(resources, operands[0], ctm, drawing, depth=depth)


def _draw_xobject(
    resources: pikepdf.Object | None,
    name: pikepdf.Object,
    ctm: Matrix,
    drawing: PageDrawing,
    *,
    depth: int,
) -> None:
    xobjects = resources.get("/XObject") if resources is not None else None
    xobject = xobjects.get(str(name)) if xobjects is not None else None
    if xobject is None:
        return
    subtype = xobject.get("/Subtype")
    if subtype == pikepdf.Name.Image:
        _saw_image(ctm, drawing)
    elif subtype == pikepdf.Name.Form and depth < MAX_FORM_DEPTH:
        matrix = _matrix(xobject.get("/Matrix", pikepdf.Array(_IDENTITY)))
        own = xobject.get("/Resources", resources)
        _walk(xobject, own, _times(matrix, ctm), drawing, depth=depth + 1)


def _saw_image(ctm: Matrix, drawing: PageDrawing) -> None:
    """An image fills the unit square, so its area on the page is the matrix's determinant."""
    a, b, c, d, _, _ = ctm
    share = min(abs(a * d - b * c) / drawing.page_area, 1.0)
    drawing.image_share = max(drawing.image_share, share)


def _saw_text(operands: Iterable[object], mode: int, drawing: PageDrawing) -> None:
    chars = sum(_string_length(operand) for operand in operands)
    if mode in _INVISIBLE_MODES:
        drawing.invisible_chars += chars
    else:
        drawing.visible_chars += chars


def _string_length(operand: object) -> int:
    """Bytes of a string operand (two per glyph in a CID font: a count, not a text)."""
    if isinstance(operand, pikepdf.String):
        return len(bytes(operand))
    if isinstance(operand, pikepdf.Array):  # TJ: strings and kerning numbers
        return sum(_string_length(item) for item in operand)
    return 0


def _matrix(operands: object) -> Matrix:
    a, b, c, d, e, f = (float(value) for value in operands)  # type: ignore[attr-defined]
    return a, b, c, d, e, f


def _times(first: Matrix, second: Matrix) -> Matrix:
    """``first`` then ``second``, as PDF concatenates: ``cm`` puts the new matrix first."""
    a1, b1, c1, d1, e1, f1 = first
    a2, b2, c2, d2, e2, f2 = second
    return (
        a1 * a2 + b1 * c2,
        a1 * b2 + b1 * d2,
        c1 * a2 + d1 * c2,
        c1 * b2 + d1 * d2,
        e1 * a2 + f1 * c2 + e2,
        e1 * b2 + f1 * d2 + f2,
    )
