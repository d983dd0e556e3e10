"""``OcrEngine`` on the tesseract command line through pytesseract: one process per call.

The fallback adapter: it needs only the ``tesseract`` program, but every call starts a process
that loads the language models again (about 0.5 s of a 1.2 s page).
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

import pytesseract
from PIL import Image

from models.errors import EngineError
from ocr.engine import OrientationGuess
from ocr.tessdata import (
    check_languages,
    ocr_timeout,
    osd_timeout,
    tesseract_failed,
    tesseract_missing,
)
from ocr.words import PageText, Word

_OSD_FIELD = re.compile(
    r"^(Orientation in degrees|Orientation confidence):\s*([-\d.]+)", re.MULTILINE
)


class TesseractCliEngine:
    """``languages`` is tesseract's ``-l`` value; ``timeout_seconds`` bounds one recognition,
    ``osd_timeout_seconds`` one orientation detection (the process is killed when late).

    The languages are checked against the installed data on first use, because tesseract
    silently drops a missing language of a ``+`` list and reads worse without saying so.
    """

    def __init__(
        self, languages: str = "vie", *, timeout_seconds: int = 300, osd_timeout_seconds: int = 30
    ) -> None:
        self.languages = languages
        self.timeout_seconds = timeout_seconds
        self.osd_timeout_seconds = osd_timeout_seconds
        self._languages_checked = False

    def recognize(self, image: Image.Image, *, dpi: int | None = None) -> PageText:
        """Rows without text or with confidence -1 are layout rows (block, line), not words."""
        self._check_languages()
        config = f"--dpi {int(dpi)}" if dpi else ""
        data = self._call(pytesseract.image_to_data, image, config, lang=self.languages,
                          output_type=pytesseract.Output.DICT)  # fmt: skip
        return PageText(width=image.width, height=image.height, words=_words_from_data(data))

    def detect_orientation(self, image: Image.Image) -> OrientationGuess:
        try:
            output = self._call(
                pytesseract.image_to_osd, image, "--psm 0", timeout=self.osd_timeout_seconds
            )
        except EngineError as e:
            if e.code != "ocr_timeout":
                raise
            raise osd_timeout(self.osd_timeout_seconds) from e
        fields = dict(_OSD_FIELD.findall(str(output)))
        try:
            return OrientationGuess(
                degrees=int(fields["Orientation in degrees"]) % 360,
                confidence=float(fields["Orientation confidence"]),
            )
        except (KeyError, ValueError) as e:
            raise EngineError(
                f"tesseract gave no orientation: {output!r}", code="ocr_failed"
            ) from e

    def _check_languages(self) -> None:
        if self._languages_checked:
            return
        try:
            installed = set(pytesseract.get_languages(config=""))
        except pytesseract.TesseractNotFoundError as e:
            raise tesseract_missing() from e
        except (pytesseract.TesseractError, OSError) as e:
            raise EngineError(
                f"tesseract could not list its languages: {e}", code="ocr_failed"
            ) from e
        check_languages(self.languages, installed)
        self._languages_checked = True

    def _call(
        self,
        function: Any,
        image: Image.Image,
        config: str,
        *,
        timeout: int | None = None,
        **kwargs: Any,
    ) -> Any:
        """Hand tesseract a lossless PNG we wrote ourselves, and translate its failures.

        Given an image object, pytesseract re-saves it in its ``format``: an image opened from a
        JPEG would be re-compressed with JPEG losses. A fast PNG level also saves ~0.1 s a page.
        """
        if image.mode not in ("1", "L", "RGB"):
            image = image.convert("RGB")
        seconds = self.timeout_seconds if timeout is None else timeout
        try:
            with tempfile.TemporaryDirectory(prefix="sohoa-ocr-") as folder:
                source = Path(folder) / "page.png"
                image.save(source, format="PNG", compress_level=1)
                return function(str(source), config=config, timeout=seconds, **kwargs)
        except pytesseract.TesseractNotFoundError as e:
            raise tesseract_missing() from e
        except pytesseract.TesseractError as e:
            raise tesseract_failed(str(e.message)) from e
        except RuntimeError as e:
            # pytesseract reports its own timeout as a bare RuntimeError.
            if "timeout" not in str(e).lower():
                raise tesseract_failed(str(e)) from e
            raise ocr_timeout(seconds) from e
        except OSError as e:
            raise tesseract_failed(str(e)) from e


def _words_from_data(data: dict[str, list[Any]]) -> list[Word]:
    words: list[Word] = []
    for i, raw_text in enumerate(data.get("text", [])):
        text = unicodedata.normalize("NFC", str(raw_text)).strip()
        confidence = float(data["conf"][i])
        if not text or confidence < 0:
            continue
        words.append(
            Word(
                text=text,
                confidence=confidence,
                left=int(data["left"][i]),
                top=int(data["top"][i]),
                width=int(data["width"][i]),
                height=int(data["height"][i]),
                block=int(data["block_num"][i]),
                paragraph=int(data["par_num"][i]),
                line=int(data["line_num"][i]),
            )
        )
    return words
