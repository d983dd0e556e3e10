"""From an uploaded file to page images, one page at a time.

``inspect_document`` is the gate run once per document before any page work is fanned out: it
says how many pages there are, or rejects the file with a reason the operator can act on.
``iter_page_images`` and ``render_page`` then turn pages into images for OCR, one at a time,
because a 200-page dossier at 300 dpi would not fit in a worker's memory all at once.

Pages are 8-bit grey images (``ingest.page_image``); PDFs are judged with pikepdf and drawn
with poppler (``ingest.pdf_pages``), TIFF, JPEG and PNG decoded with Pillow
(``ingest.image_pages``).

Errors: what is wrong with the file -> ``RejectedFileError`` (``encrypted_pdf``, ``corrupt_pdf``,
``empty_pdf``, ``too_many_pages``, ``too_many_frames``, ``page_too_large``, ``image_too_large``,
``image_bomb``, ``corrupt_image``); poppler missing or too slow on this host -> ``EngineError``
(``poppler_missing``, ``render_timeout``).

The job reads its original through ``SandboxedPages``: the same functions, run in a child
process with memory and time limits (``ingest.sandbox``), which adds ``ReadAbortedError``
(``parse_crashed``, ``parse_timeout``, ``parse_memory``) when the child is stopped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from PIL import Image

from ingest.image_pages import (
    frame_count,
    keeps_its_encoding,
    open_image,
    page_from_frame,
    seek_and_load,
)
from ingest.page_image import (
    EncodedPage,
    PageImage,
    PageOutline,
    too_many_frames,
    too_many_pages,
)
from ingest.pdf_pages import draw_pdf_page, inspect_pdf, iter_pdf_outlines, poppler_page_count
from ingest.sandbox import Channel, Limits, Sandbox
from ocr.scan_layer import text_layer_over_scan
from ocr.text_layer import read_text_layer
from ocr.words import PageText

__all__ = [
    "PageImage",
    "PageOutline",
    "Reading",
    "SandboxedPages",
    "draw_sandboxed",
    "inspect_document",
    "iter_page_images",
    "render_page",
]


def inspect_document(
    path: Path,
    media_type: str,
    *,
    max_pages: int,
    max_image_pixels: int,
    dpi: int = 300,
    max_frames: int | None = None,
) -> int:
    """Return the number of pages, or reject a file that can never be processed.

    Multi-page images are decoded completely here (one frame at a time), so truncation is
    found before page jobs are created rather than in the middle of them; a one-page image only
    has its size checked, as ``iter_page_images`` decodes it (and rejects it the same way)
    before its one page job exists. ``dpi`` is the resolution PDF pages will be rendered at, to
    check their size in pixels against ``max_image_pixels``. ``max_frames`` bounds a TIFF's
    frames before any is decoded (a 2000-frame TIFF of tiny frames is not a scan).
    """
    _require_file(path)
    if media_type == "application/pdf":
        return inspect_pdf(path, max_pages=max_pages, max_image_pixels=max_image_pixels, dpi=dpi)
    with open_image(path, media_type) as image:
        count = frame_count(image, media_type)
        if max_frames is not None and count > max_frames:
            raise too_many_frames(count, max_frames)
        if count > max_pages:
            raise too_many_pages(count, max_pages)
        for index in range(1, count + 1):
            seek_and_load(image, index, count, max_image_pixels, decode=count > 1)
    return count


def iter_page_images(path: Path, media_type: str, *, dpi: int = 300) -> Iterator[PageImage]:
    """Yield the pages in order, each a fresh grey image that stays valid after the next one.

    ``dpi`` is the resolution PDF pages are rendered at; images keep their own pixels.
    """
    _require_file(path)
    if media_type == "application/pdf":
        for index in range(1, poppler_page_count(path) + 1):
            yield draw_pdf_page(path, index, dpi)
        return
    with open_image(path, media_type) as image:
        count = frame_count(image, media_type)
        for index in range(1, count + 1):
            seek_and_load(image, index, count, max_image_pixels=None)
            page = page_from_frame(image, index, count)
            if keeps_its_encoding(image, media_type, count):
                suffix = "jpg" if media_type == "image/jpeg" else "png"
                page = replace(page, encoded=EncodedPage(path.read_bytes(), media_type, suffix))
            yield page


def render_page(path: Path, media_type: str, index: int, *, dpi: int = 300) -> PageImage:
    """Just page ``index`` (1-based): what a page job reads, without drawing the others."""
    _require_file(path)
    if media_type == "application/pdf":
        return draw_pdf_page(path, index, dpi)
    with open_image(path, media_type) as image:
        count = frame_count(image, media_type)
        _check_index(index, count)
        seek_and_load(image, index, count, max_image_pixels=None)
        return page_from_frame(image, index, count)


# --- shared ---------------------------------------------------------------------------------


def _check_index(index: int, count: int) -> None:
    if not 1 <= index <= count:
        raise ValueError(f"page {index} does not exist; the document has {count} pages")


def _require_file(path: Path) -> None:
    """A missing file is our storage's fault, not the uploader's: never report it as corrupt."""
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")


# --- read in a sandbox ----------------------------------------------------------------------

PRELOADED = tuple(f"PIL.{name}ImagePlugin" for name in ("Bmp", "Gif", "Jpeg", "Ppm", "Png", "Tiff"))
"""Pillow's decoders, imported by the sandbox's fork server rather than by every child
(Pillow loads them lazily: 16 ms for the common ones, 90 ms for all when a TIFF is opened)."""

PAGES_AHEAD = 2
"""Pages the sandboxed reader may draw before the job has taken them: enough to draw the next
page while the job stores the last, few enough that a long PDF does not fill the disk."""


@dataclass(frozen=True)
class Reading:
    """What the job asks of an original: its limits, the resolution of PDF pages, and whether
    PDF pages' own text layers are read (they are, unless OCR is forced)."""

    media_type: str
    max_pages: int
    max_frames: int
    max_image_pixels: int
    dpi: int
    text_layers: bool


class SandboxedPages:
    """The pages of an original, read in a sandboxed child and handed over one at a time.

    The child checks the file (``inspect_document``), says how many pages it has, then goes
    through them in order. A page of a PDF of several pages that has no text layer of its own
    is only outlined (``PageOutline``: its size, without drawing it), since its OCR job draws
    it, on whichever worker takes it. Any other page (of an image file, of a one-page PDF, or
    carrying a text layer) is drawn into a file of raw grey pixels in ``folder``, with the
    page's own encoding and text layer beside it; here each is read back, its file removed,
    and yielded as soon as it is drawn, so the job stores a page and enqueues its OCR while
    the child draws the next. No byte of the original is parsed in this process.
    """

    def __init__(self, path: Path, folder: Path, reading: Reading, limits: Limits) -> None:
        reader = "the PDF reader" if reading.media_type == "application/pdf" else "the image reader"
        self._sandbox = Sandbox(
            _read_pages, (path, folder, reading), limits, reader=reader, preload=PRELOADED
        )
        self.count = 0

    def __enter__(self) -> SandboxedPages:
        self._sandbox.__enter__()
        try:
            self.count = int(self._sandbox.receive())
        except BaseException:  # a rejected file: ``__exit__`` will not run
            self._sandbox.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self._sandbox.stop()

    def __iter__(self) -> Iterator[tuple[PageImage | PageOutline, PageLayer | None]]:
        for _ in range(self.count):
            drawn: _DrawnPage | PageOutline = self._sandbox.receive()
            if isinstance(drawn, PageOutline):
                yield drawn, None
                continue
            page = drawn.load()
            self._sandbox.send(None)  # taken: the child may draw one more
            yield page, drawn.layer


def draw_sandboxed(
    path: Path, folder: Path, media_type: str, index: int, dpi: int, limits: Limits
) -> PageImage:
    """Page ``index`` of the original (``render_page``), drawn in a sandboxed child into
    ``folder``: what a page job reads, with the same limits as ``SandboxedPages``."""
    reader = "the PDF reader" if media_type == "application/pdf" else "the image reader"
    args = (path, folder, media_type, index, dpi)
    with Sandbox(_draw_page, args, limits, reader=reader, preload=PRELOADED) as sandbox:
        drawn: _DrawnPage = sandbox.receive()
        return drawn.load()


@dataclass(frozen=True)
class PageLayer:
    """A PDF page's own text layer, and whether it lies over a scanned image of the page
    (``ocr.scan_layer``), read in the child with the page."""

    words: PageText
    over_scan: bool


@dataclass(frozen=True)
class _DrawnPage:
    """A page as the child left it in the folder (pixels and encoding as files)."""

    index: int
    size: tuple[int, int]
    dpi: int | None
    pixels: Path
    encoded: tuple[Path, str, str] | None
    layer: PageLayer | None

    def load(self) -> PageImage:
        image = Image.frombytes("L", self.size, self.pixels.read_bytes())
        self.pixels.unlink()
        encoded = None
        if self.encoded is not None:
            path, media_type, suffix = self.encoded
            encoded = EncodedPage(path.read_bytes(), media_type, suffix)
            path.unlink()
        return PageImage(index=self.index, image=image, dpi=self.dpi, encoded=encoded)


def _read_pages(channel: Channel, path: Path, folder: Path, reading: Reading) -> None:
    """The child's side: the count, then each page drawn into ``folder``, or outlined."""
    count = inspect_document(
        path,
        reading.media_type,
        max_pages=reading.max_pages,
        max_image_pixels=reading.max_image_pixels,
        dpi=reading.dpi,
        max_frames=reading.max_frames,
    )
    channel.send(count)
    ahead = 0
    for page in _handed_over(path, folder, reading, count):
        channel.send(page)
        if isinstance(page, PageOutline):
            continue
        ahead += 1
        while ahead >= PAGES_AHEAD:
            channel.receive()
            ahead -= 1


def _handed_over(
    path: Path, folder: Path, reading: Reading, count: int
) -> Iterator[_DrawnPage | PageOutline]:
    if reading.media_type != "application/pdf":
        for page in iter_page_images(path, reading.media_type, dpi=reading.dpi):
            yield _drawn(page, folder, None)
        return
    for outline in iter_pdf_outlines(path, reading.dpi):
        size = (outline.width, outline.height)
        layer = _text_layer(path, reading, outline, outline.dpi, *size)
        if count > 1 and layer is None:
            yield outline
            continue
        page = draw_pdf_page(path, outline.index, reading.dpi)
        if layer is not None and page.image.size != size:
            layer = _text_layer(path, reading, outline, page.dpi, *page.image.size)
        yield _drawn(page, folder, layer)


def _draw_page(
    channel: Channel, path: Path, folder: Path, media_type: str, index: int, dpi: int
) -> None:
    """The child's side of ``draw_sandboxed``."""
    channel.send(_drawn(render_page(path, media_type, index, dpi=dpi), folder, None))


def _text_layer(
    path: Path, reading: Reading, outline: PageOutline, dpi: int | None, width: int, height: int
) -> PageLayer | None:
    """The PDF page's own text layer in the frame of its image, if it has a usable one."""
    if not reading.text_layers or outline.image_only:
        return None
    index = outline.index
    words = read_text_layer(path, index, dpi=dpi or reading.dpi, width=width, height=height).page
    return None if words is None else PageLayer(words, text_layer_over_scan(path, index))


def _drawn(page: PageImage, folder: Path, layer: PageLayer | None) -> _DrawnPage:
    pixels = folder / f"page-{page.index}.grey"
    image = page.image if page.image.mode == "L" else page.image.convert("L")
    pixels.write_bytes(image.tobytes())
    encoded = None
    if page.encoded is not None:
        data = folder / f"page-{page.index}.{page.encoded.suffix}"
        data.write_bytes(page.encoded.data)
        encoded = (data, page.encoded.media_type, page.encoded.suffix)
    return _DrawnPage(page.index, page.image.size, page.dpi, pixels, encoded, layer)
