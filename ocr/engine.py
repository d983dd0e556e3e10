"""The OCR engine seam, and the one adapter that runs tesseract.

``OcrEngine`` is what the rest of sohoa depends on: an image in, a ``PageText`` out. Tests and
benchmarks can pass any object with that method; production uses ``TesseractEngine``. This module
is the only place that calls tesseract, so every tesseract failure is converted to ``EngineError``
here (``raise ... from e``) with a message that says what to fix on the worker host:

    pytesseract.TesseractNotFoundError  -> EngineError(code="tesseract_missing")
    language data not installed         -> EngineError(code="language_missing")
    no answer within timeout_seconds    -> EngineError(code="ocr_timeout")
    any other tesseract failure         -> EngineError(code="ocr_failed")

Threads: tesseract uses OpenMP and by default starts one thread per core for every page. With
several worker processes per host those threads fight each other and throughput drops well below
one thread per process, so workers must run with ``OMP_THREAD_LIMIT=1`` in their environment
(tesseract inherits it; pytesseract passes ``os.environ`` through). Setting it is the worker's
job, not this module's: importing a library must not change the process environment.
"""

from __future__ import annotations

import tempfile
import unicodedata
from pathlib import Path
from typing import Any, Protocol

import pytesseract
from PIL import Image

from models.errors import EngineError
from ocr.words import PageText, Word


class OcrEngine(Protocol):
    """Recognises the words on one page image."""

    def recognize(self, image: Image.Image, *, dpi: int | None = None) -> PageText:
        """Return the words of ``image``; ``dpi`` is its resolution when known (helps sizing)."""
        ...

    def recognize_png(
        self, path: Path, *, width: int, height: int, dpi: int | None = None
    ) -> PageText:
        """Return the words of a lossless page image of ``width`` × ``height`` already on disk."""
        ...


class TesseractEngine:
    """``OcrEngine`` backed by the tesseract command line through pytesseract.

    ``languages`` is tesseract's ``-l`` value (``vie+eng`` reads Vietnamese with the odd English
    word or code); ``timeout_seconds`` bounds one page, so a pathological image cannot hold a
    worker forever. The languages are checked against the installed data on first use, because
    tesseract silently drops a missing language of a ``+`` list and reads worse without saying so.
    """

    def __init__(self, languages: str = "vie+eng", timeout_seconds: int = 300) -> None:
        self.languages = languages
        self.timeout_seconds = timeout_seconds
        self._languages_checked = False

    def recognize(self, image: Image.Image, *, dpi: int | None = None) -> PageText:
        """Run tesseract on ``image`` and keep the words it is willing to score.

        Rows without text or with confidence -1 are layout rows (page, block, line), not words.
        """
        self._check_languages()
        config = f"--dpi {int(dpi)}" if dpi else ""
        data = self._image_to_data(image, config)
        return PageText(width=image.width, height=image.height, words=_words_from_data(data))

    def recognize_png(
        self, path: Path, *, width: int, height: int, dpi: int | None = None
    ) -> PageText:
        """Hand tesseract a PNG page image the pipeline stored itself, as it is.

        It is lossless already, so decoding it and writing it again (about 0.3 s a page at
        300 dpi) would buy nothing.
        """
        self._check_languages()
        config = f"--dpi {int(dpi)}" if dpi else ""
        data = self._run(str(path), config)
        return PageText(width=width, height=height, words=_words_from_data(data))

    def _check_languages(self) -> None:
        if self._languages_checked:
            return
        try:
            installed = set(pytesseract.get_languages(config=""))
        except pytesseract.TesseractNotFoundError as e:
            raise _tesseract_missing() from e
        except (pytesseract.TesseractError, OSError) as e:
            raise EngineError(
                f"tesseract could not list its languages: {e}", code="ocr_failed"
            ) from e
        missing = [lang for lang in self.languages.split("+") if lang not in installed]
        if missing:
            raise EngineError(
                f"tesseract has no language data for {', '.join(missing)} "
                f"(installed: {', '.join(sorted(installed)) or 'none'}); install the "
                f"tesseract-ocr-<lang> packages or point TESSDATA_PREFIX at a tessdata "
                f"folder that has them",
                code="language_missing",
            )
        self._languages_checked = True

    def _image_to_data(self, image: Image.Image, config: str) -> dict[str, list[Any]]:
        """Hand tesseract a lossless PNG we wrote ourselves.

        Given an image object, pytesseract re-saves it in its ``format``: an image opened from a
        JPEG would be re-compressed with JPEG losses. A fast PNG level also saves ~0.1 s a page.
        """
        if image.mode not in ("1", "L", "RGB"):
            image = image.convert("RGB")
        with tempfile.TemporaryDirectory(prefix="sohoa-ocr-") as folder:
            source = Path(folder) / "page.png"
            image.save(source, format="PNG", compress_level=1)
            return self._run(str(source), config)

    def _run(self, source: str, config: str) -> dict[str, list[Any]]:
        try:
            result: dict[str, list[Any]] = pytesseract.image_to_data(
                source,
                lang=self.languages,
                config=config,
                output_type=pytesseract.Output.DICT,
                timeout=self.timeout_seconds,
            )
        except pytesseract.TesseractNotFoundError as e:
            raise _tesseract_missing() from e
        except pytesseract.TesseractError as e:
            raise _tesseract_failed(str(e.message)) from e
        except RuntimeError as e:
            # pytesseract reports its own timeout as a bare RuntimeError.
            if "timeout" not in str(e).lower():
                raise _tesseract_failed(str(e)) from e
            raise EngineError(
                f"tesseract did not finish the page within {self.timeout_seconds} s; the image "
                f"may be huge or mostly noise, or the host overloaded",
                code="ocr_timeout",
            ) from e
        except OSError as e:
            raise _tesseract_failed(str(e)) from e
        return result


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


def _tesseract_missing() -> EngineError:
    return EngineError(
        "tesseract is not installed or not on PATH on this worker; install tesseract 5 "
        "(package tesseract-ocr) with the vie and eng language data",
        code="tesseract_missing",
    )


def _tesseract_failed(detail: str) -> EngineError:
    if "Failed loading language" in detail or "Error opening data file" in detail:
        return EngineError(
            f"tesseract could not load its language data: {detail}", code="language_missing"
        )
    return EngineError(f"tesseract failed on the page: {detail}", code="ocr_failed")
