"""``OcrEngine`` on tesseract's C++ API through tesserocr: models loaded once per process.

A worker keeps one ``TesseractApiEngine`` for its whole life, so each page costs only the
recognition itself. The API objects are created on first use, not at construction, so building
the engine is free for processes that never read a page (the API server), and they are not
thread-safe: one engine per process (rq workers are processes).
"""

from __future__ import annotations

import time
import unicodedata
from typing import Any

from PIL import Image

from models.errors import EngineError
from ocr.engine import OrientationGuess
from ocr.tessdata import (
    check_languages,
    ocr_timeout,
    tessdata_folder,
    tesseract_failed,
    tesseract_missing,
)
from ocr.words import PageText, Word

try:
    import tesserocr
except ImportError:  # the adapter is then never chosen; see ocr.engine.make_engine
    tesserocr = None


class TesseractApiEngine:
    """``languages`` is tesseract's ``+`` list; ``timeout_seconds`` bounds one page."""

    def __init__(self, languages: str = "vie", *, timeout_seconds: int = 300) -> None:
        self.languages = languages
        self.timeout_seconds = timeout_seconds
        self._reader: Any = None
        self._orienter: Any = None

    def recognize(self, image: Image.Image, *, dpi: int | None = None) -> PageText:
        api = self._reader_api()
        api.SetImage(_plain(image))
        if dpi:
            api.SetSourceResolution(int(dpi))
        started = time.monotonic()
        try:
            finished = api.Recognize(timeout=self.timeout_seconds * 1000)
        except RuntimeError as e:
            raise tesseract_failed(str(e)) from e
        if not finished:
            if time.monotonic() - started >= self.timeout_seconds:
                raise ocr_timeout(self.timeout_seconds)
            raise tesseract_failed("recognition stopped without a result")
        return PageText(width=image.width, height=image.height, words=_words(api))

    def detect_orientation(self, image: Image.Image) -> OrientationGuess:
        api = self._orienter_api()
        api.SetImage(_plain(image))
        try:
            result = api.DetectOrientationScript()
        except RuntimeError as e:
            raise tesseract_failed(str(e)) from e
        if not result:  # too little text to judge: say so with no confidence
            return OrientationGuess(degrees=0, confidence=0.0)
        return OrientationGuess(
            degrees=int(result["orient_deg"]) % 360, confidence=float(result["orient_conf"])
        )

    def _reader_api(self) -> Any:
        if self._reader is None:
            self._reader = _open_api(self.languages, psm_name="AUTO")
        return self._reader

    def _orienter_api(self) -> Any:
        if self._orienter is None:
            self._orienter = _open_api("osd", psm_name="OSD_ONLY")
        return self._orienter


def _open_api(languages: str, *, psm_name: str) -> Any:
    if tesserocr is None:
        raise tesseract_missing("tesserocr (tesseract's Python bindings)")
    folder = tessdata_folder()
    _, installed = tesserocr.get_languages(f"{folder}/")
    check_languages(languages, set(installed))
    try:
        return tesserocr.PyTessBaseAPI(
            path=f"{folder}/", lang=languages, psm=getattr(tesserocr.PSM, psm_name)
        )
    except RuntimeError as e:
        raise EngineError(
            f"tesseract could not load {languages} from {folder}: {e}", code="language_missing"
        ) from e


def _plain(image: Image.Image) -> Image.Image:
    """tesserocr takes 1-bit, grey and RGB(A) images; anything else is made grey."""
    return image if image.mode in ("1", "L", "RGB", "RGBA") else image.convert("L")


def _words(api: Any) -> list[Word]:
    """Walk the result word by word, numbering blocks, paragraphs and lines from 1 as
    ``tesseract`` TSV output does (paragraphs within a block, lines within a paragraph)."""
    level = tesserocr.RIL
    words: list[Word] = []
    block = paragraph = line = 0
    for item in tesserocr.iterate_level(api.GetIterator(), level.WORD):
        if item.IsAtBeginningOf(level.BLOCK):
            block, paragraph, line = block + 1, 0, 0
        if item.IsAtBeginningOf(level.PARA):
            paragraph, line = paragraph + 1, 0
        if item.IsAtBeginningOf(level.TEXTLINE):
            line += 1
        try:
            text = unicodedata.normalize("NFC", item.GetUTF8Text(level.WORD)).strip()
        except RuntimeError:  # an empty page yields one word without text
            continue
        box = item.BoundingBox(level.WORD)
        if not text or box is None:
            continue
        confidence = float(item.Confidence(level.WORD))
        words.append(Word.from_edges(text, confidence, box, (block, paragraph, line)))
    return words
