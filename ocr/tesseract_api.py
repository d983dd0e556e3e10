"""``OcrEngine`` on tesseract's C++ API through tesserocr: models loaded once per process.

A worker keeps one ``TesseractApiEngine`` for its whole life, so each page costs only the
recognition itself. The API objects are created on first use, not at construction, so building
the engine is free for processes that never read a page (the API server), and they are not
thread-safe: one engine per process (rq workers are processes).

Time limits: recognition passes tesseract its own deadline (``timeout_seconds``). Orientation
detection has none in tesseract, and holds the GIL while it runs (a thread cannot even notice
it is late), so it runs in an ``_OsdProcess``: one child per engine, started on first use with
the OSD model loaded once (about 0.5 s), handed each page over a pipe (about 10 ms) and killed
when it does not answer within ``osd_timeout_seconds``; the next page starts a fresh one.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import struct
import subprocess
import sys
import time
import unicodedata
from pathlib import Path
from typing import IO, Any

from PIL import Image

from models.errors import EngineError
from ocr.engine import OrientationGuess
from ocr.tessdata import (
    check_languages,
    ocr_timeout,
    osd_timeout,
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
    """``languages`` is tesseract's ``+`` list; ``timeout_seconds`` bounds the recognition of
    one page, ``osd_timeout_seconds`` the detection of its orientation."""

    def __init__(
        self, languages: str = "vie", *, timeout_seconds: int = 300, osd_timeout_seconds: int = 30
    ) -> None:
        self.languages = languages
        self.timeout_seconds = timeout_seconds
        self.osd_timeout_seconds = osd_timeout_seconds
        self._reader: Any = None
        self._orienter = _OsdProcess()

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
        result = self._orienter.detect(_plain(image), self.osd_timeout_seconds)
        if not result:  # too little text to judge: say so with no confidence
            return OrientationGuess(degrees=0, confidence=0.0)
        return OrientationGuess(
            degrees=int(result["orient_deg"]) % 360, confidence=float(result["orient_conf"])
        )

    def _reader_api(self) -> Any:
        if self._reader is None:
            self._reader = _open_api(self.languages, psm_name="AUTO")
        return self._reader


OSD_START_SECONDS = 60
"""Seconds a new orientation process may take to start and load the OSD model (about 0.5 s)."""


class _OsdProcess:
    """Tesseract's orientation detection in a child process, so that it can be stopped.

    Requests and answers are length-prefixed pickles on the child's stdin and stdout (both
    ends are this module's code); an answer is the OSD dict, None, or an ``EngineError``.
    """

    def __init__(self) -> None:
        self._child: subprocess.Popen[bytes] | None = None

    def detect(self, image: Image.Image, timeout_seconds: float) -> dict[str, Any] | None:
        child = self._started()
        assert child.stdin is not None and child.stdout is not None
        try:
            _write(child.stdin, (image.mode, image.size, image.tobytes()))
            ready, _, _ = select.select([child.stdout], [], [], timeout_seconds)
            if not ready:
                self.stop()
                raise osd_timeout(timeout_seconds)
            answer = _read(child.stdout)
        except (OSError, EOFError, struct.error, pickle.UnpicklingError) as e:
            self.stop()
            detail = str(e) or type(e).__name__
            raise tesseract_failed(f"orientation detection stopped ({detail})") from e
        if isinstance(answer, EngineError):
            raise answer
        return answer  # type: ignore[no-any-return]

    def stop(self) -> None:
        if self._child is not None:
            self._child.kill()
            self._child.wait()
            self._child = None

    def _started(self) -> subprocess.Popen[bytes]:
        """The running child, or a new one once it has loaded the model (not counted in any
        page's time)."""
        if self._child is not None and self._child.poll() is None:
            return self._child
        if tesserocr is None:
            raise tesseract_missing("tesserocr (tesseract's Python bindings)")
        source = str(Path(__file__).resolve().parents[1])
        path = os.pathsep.join(filter(None, [source, os.environ.get("PYTHONPATH")]))
        self._child = child = subprocess.Popen(
            [sys.executable, "-c", "from ocr.tesseract_api import serve_osd; serve_osd()"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": path},
        )
        assert child.stdout is not None
        ready, _, _ = select.select([child.stdout], [], [], OSD_START_SECONDS)
        try:
            loaded = _read(child.stdout) if ready else None
        except (OSError, EOFError, struct.error, pickle.UnpicklingError):
            loaded = None
        if loaded != "ready":
            self.stop()
            if isinstance(loaded, EngineError):
                raise loaded
            raise tesseract_failed("the orientation process did not start")
        return child

    def __del__(self) -> None:
        with contextlib.suppress(Exception):  # at interpreter exit, modules may be gone
            self.stop()


def serve_osd() -> None:
    """The child's loop: answer each image with tesseract's orientation guess."""
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # whatever tesseract prints goes to stderr, not into the answers
    requests = sys.stdin.buffer
    try:
        api = _open_api("osd", psm_name="OSD_ONLY")
    except EngineError as e:
        _write(answers, e)
        return
    _write(answers, "ready")
    while True:
        try:
            mode, size, data = _read(requests)
        except EOFError:
            return
        try:
            api.SetImage(Image.frombytes(mode, size, data))
            answer: object = api.DetectOrientationScript()
        except RuntimeError as e:
            answer = tesseract_failed(str(e))
        except EngineError as e:
            answer = e
        _write(answers, answer)


def _write(stream: IO[bytes], message: object) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack("!Q", len(data)) + data)
    stream.flush()


def _read(stream: IO[bytes]) -> Any:
    head = stream.read(8)
    if len(head) < 8:
        raise EOFError("the orientation process ended")
    (length,) = struct.unpack("!Q", head)
    return pickle.loads(stream.read(length))


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
