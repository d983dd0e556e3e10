"""The OCR engine seam: what the rest of sohoa depends on, and the choice of adapter.

``OcrEngine`` is an image in, a ``PageText`` out, plus tesseract's orientation guess. Two
adapters implement it, and they are the only modules that call tesseract:

    ocr/tesseract_api.py  TesseractApiEngine  tesserocr: one tesseract API object per process,
                                               language models loaded once (preferred)
    ocr/tesseract_cli.py  TesseractCliEngine  pytesseract: one ``tesseract`` process per page
                                               (fallback when tesserocr is not installed)

Measured on scanned 300 dpi A4 pages with ``vie`` (``python -m bench.engine_speed``): the API
object reads a page in about 0.5 s, the command line in about 0.9 s, the difference being the
model loading every process repeats. Both convert every tesseract failure to ``EngineError``:

    tesseract or its bindings missing   -> EngineError(code="tesseract_missing")
    language data not installed          -> EngineError(code="language_missing")
    no answer within timeout_seconds     -> EngineError(code="ocr_timeout")
    no orientation within osd_timeout_seconds -> EngineError(code="osd_timeout")
    any other tesseract failure          -> EngineError(code="ocr_failed")

Threads: tesseract uses OpenMP and by default starts one thread per core for every page. With
several worker processes per host those threads fight each other, so workers run with
``OMP_THREAD_LIMIT=1`` and one process per core. Setting it is the worker's job, not this
module's: importing a library must not change the process environment.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from typing import Protocol

from PIL import Image

from ocr.words import PageText

ENGINES = ("api", "cli")


@dataclass(frozen=True)
class OrientationGuess:
    """Tesseract's view of how a page is turned.

    ``degrees`` is the clockwise rotation (0, 90, 180 or 270) the page content shows in the
    image, so ``image.rotate(degrees, expand=True)`` (Pillow turns counter-clockwise) makes it
    upright. ``confidence`` is tesseract's orientation confidence; about 15 is sure, under 2
    is a guess.
    """

    degrees: int
    confidence: float


class OcrEngine(Protocol):
    """Recognises the words on one page image."""

    def recognize(self, image: Image.Image, *, dpi: int | None = None) -> PageText:
        """Return the words of ``image`` in its pixel coordinates; ``dpi`` helps sizing."""
        ...

    def detect_orientation(self, image: Image.Image) -> OrientationGuess:
        """Guess how the page content in ``image`` is turned, in 90° steps."""
        ...


def make_engine(
    languages: str = "vie",
    *,
    timeout_seconds: int = 300,
    osd_timeout_seconds: int = 30,
    kind: str | None = None,
) -> OcrEngine:
    """The tesserocr adapter when its bindings are installed, else the command line.

    ``timeout_seconds`` bounds the recognition of a page, ``osd_timeout_seconds`` the detection
    of its orientation (about 0.5 s on a sane page). ``kind`` forces one adapter (``"api"`` or
    ``"cli"``), for benchmarks and for hosts where the bindings misbehave.
    """
    if kind not in (None, *ENGINES):
        raise ValueError(f"unknown OCR engine {kind!r}; choose one of {', '.join(ENGINES)}")
    if kind == "api" or (kind is None and importlib.util.find_spec("tesserocr") is not None):
        from ocr.tesseract_api import TesseractApiEngine

        return TesseractApiEngine(
            languages, timeout_seconds=timeout_seconds, osd_timeout_seconds=osd_timeout_seconds
        )
    from ocr.tesseract_cli import TesseractCliEngine

    return TesseractCliEngine(
        languages, timeout_seconds=timeout_seconds, osd_timeout_seconds=osd_timeout_seconds
    )
