"""Where tesseract's data lives, and the errors both tesseract adapters report alike.

The tesserocr wheel carries its own libtesseract, whose built-in data path points into the
build machine; the language models and the glyphless font ``pdf.ttf`` are the ones the system
package installed. ``TESSDATA_PREFIX`` wins when set, as it does for the tesseract command.
"""

from __future__ import annotations

import os
from pathlib import Path

from models.errors import EngineError

SYSTEM_FOLDERS = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tesseract-ocr/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/opt/homebrew/share/tessdata",
    "/opt/local/share/tessdata",
)
"""Where distributions install tessdata, searched after ``TESSDATA_PREFIX``."""


def tessdata_candidates() -> list[Path]:
    """``$TESSDATA_PREFIX`` (the folder itself, or its parent as tesseract 3 had it), then the
    system folders, in the order they are searched."""
    folders: list[Path] = []
    prefix = os.environ.get("TESSDATA_PREFIX")
    if prefix:
        folders += [Path(prefix), Path(prefix) / "tessdata"]
    return folders + [Path(folder) for folder in SYSTEM_FOLDERS]


def tessdata_folder() -> Path:
    """The folder holding ``*.traineddata``; ``EngineError`` when there is none."""
    candidates = tessdata_candidates()
    for folder in candidates:
        if any(folder.glob("*.traineddata")):
            return folder
    raise EngineError(
        f"no tesseract language data found in {', '.join(map(str, candidates))}; install "
        f"tesseract-ocr with tesseract-ocr-vie or point TESSDATA_PREFIX at a tessdata folder",
        code="language_missing",
    )


def check_languages(languages: str, installed: set[str]) -> None:
    """Refuse a ``+`` list naming a language without data: tesseract would silently drop it."""
    missing = [lang for lang in languages.split("+") if lang not in installed]
    if missing:
        raise EngineError(
            f"tesseract has no language data for {', '.join(missing)} "
            f"(installed: {', '.join(sorted(installed)) or 'none'}); install the "
            f"tesseract-ocr-<lang> packages or point TESSDATA_PREFIX at a tessdata "
            f"folder that has them",
            code="language_missing",
        )


def tesseract_missing(what: str = "tesseract") -> EngineError:
    return EngineError(
        f"{what} is not installed on this worker; install tesseract 5 (package tesseract-ocr) "
        f"with the vie and eng language data",
        code="tesseract_missing",
    )


def tesseract_failed(detail: str) -> EngineError:
    if "Failed loading language" in detail or "Error opening data file" in detail:
        return EngineError(
            f"tesseract could not load its language data: {detail}", code="language_missing"
        )
    return EngineError(f"tesseract failed on the page: {detail}", code="ocr_failed")


def ocr_timeout(seconds: int) -> EngineError:
    return EngineError(
        f"tesseract did not finish the page within {seconds} s; the image may be huge or "
        f"mostly noise, or the host overloaded",
        code="ocr_timeout",
    )


def osd_timeout(seconds: float) -> EngineError:
    return EngineError(
        f"tesseract could not tell which way up the page is within {seconds:g} s; the image "
        f"may be mostly noise, or the host overloaded",
        code="osd_timeout",
    )
