"""TIFF, JPEG and PNG originals: decoded one frame at a time with Pillow."""

from __future__ import annotations

import warnings
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from ingest.page_image import IMAGE_DATA_ERRORS, PageImage, image_bomb, to_grey
from models.errors import RejectedFileError

MIN_PLAUSIBLE_DPI = 70
"""A resolution below this in a file header is a placeholder (1, 0, an aspect ratio), not a fact."""

MAX_PLAUSIBLE_DPI = 4800

_PIL_FORMATS = {"image/tiff": ["TIFF"], "image/jpeg": ["JPEG"], "image/png": ["PNG"]}


def open_image(path: Path, media_type: str) -> Image.Image:
    """Open lazily (header only) with the one decoder the sniffed type allows."""
    try:
        formats = _PIL_FORMATS[media_type]
    except KeyError:
        raise ValueError(f"not a supported media type: {media_type!r}") from None
    try:
        with warnings.catch_warnings():
            # Size limits are ours to apply (max_image_pixels); Pillow's warning is noise.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            return Image.open(path, formats=formats)
    except Image.DecompressionBombError as e:
        raise image_bomb(e) from e
    except (UnidentifiedImageError, *IMAGE_DATA_ERRORS) as e:
        if isinstance(e, (FileNotFoundError, PermissionError)):
            raise
        raise _corrupt_image(None, f"it cannot be read ({e})") from e


def frame_count(image: Image.Image, media_type: str) -> int:
    """Pages of an image file: TIFF frames; a JPEG or PNG is one page (MPO/APNG extras are not)."""
    if media_type != "image/tiff":
        return 1
    try:
        return int(getattr(image, "n_frames", 1))
    except IMAGE_DATA_ERRORS as e:
        raise _corrupt_image(None, f"its list of pages is damaged ({e})") from e


def seek_and_load(
    image: Image.Image,
    index: int,
    count: int,
    max_image_pixels: int | None,
    *,
    decode: bool = True,
) -> None:
    """Decode frame ``index`` in place, checking its size before a single pixel is decoded
    (only the size, without ``decode``)."""
    page = index if count > 1 else None
    try:
        image.seek(index - 1)
        if max_image_pixels is not None and image.width * image.height > max_image_pixels:
            raise _image_too_large(
                f"{'page ' + str(index) + ' is ' if page else ''}{image.width} x {image.height} "
                f"pixels, more than the limit of {max_image_pixels / 1e6:.0f} megapixels"
            )
        if decode:
            image.load()
    except Image.DecompressionBombError as e:
        raise image_bomb(e) from e
    except IMAGE_DATA_ERRORS as e:
        raise _corrupt_image(page, f"it cannot be decoded ({e})") from e


_PASSING_MODES = {"image/jpeg": ("L", "RGB"), "image/png": ("L", "RGB")}
_EXIF_ORIENTATION = 0x0112


def keeps_its_encoding(frame: Image.Image, media_type: str, count: int) -> bool:
    """Whether a one-page JPEG or PNG can be stored as the page image byte for byte.

    It can when decoding it gives the page as OCR sees it: 8-bit grey or RGB, no transparency,
    no EXIF turn to apply, square pixels.
    """
    if count != 1 or frame.mode not in _PASSING_MODES.get(media_type, ()):
        return False
    if "transparency" in frame.info or frame.getexif().get(_EXIF_ORIENTATION, 1) != 1:
        return False
    dpi = _dpi_of(frame)
    return dpi is None or abs(dpi[0] - dpi[1]) <= 0.01 * max(dpi)


def page_from_frame(frame: Image.Image, index: int, count: int) -> PageImage:
    """A grey copy of the loaded frame, upright per its EXIF orientation, with square pixels.

    A copy (``exif_transpose`` always makes one), because seeking to the next TIFF frame
    overwrites the frame object in place.
    """
    dpi = _dpi_of(frame)
    try:
        image = to_grey(ImageOps.exif_transpose(frame))
    except IMAGE_DATA_ERRORS as e:
        raise _corrupt_image(index if count > 1 else None, f"it cannot be decoded ({e})") from e
    if dpi is None:
        return PageImage(index=index, image=image, dpi=None)
    x_dpi, y_dpi = dpi
    if abs(x_dpi - y_dpi) > 0.01 * max(x_dpi, y_dpi):
        # Fax "standard" mode is 204 x 98 dpi: letters are squashed to half height unless the
        # pixels are made square, and tesseract takes a single resolution.
        target = max(x_dpi, y_dpi)
        size = (round(image.width * target / x_dpi), round(image.height * target / y_dpi))
        image = image.resize(size, Image.Resampling.BICUBIC)
    return PageImage(index=index, image=image, dpi=round(max(x_dpi, y_dpi)))


def _dpi_of(image: Image.Image) -> tuple[float, float] | None:
    """The resolution the file states, unless it is a placeholder."""
    value = image.info.get("dpi")
    if not isinstance(value, tuple) or len(value) != 2:
        return None
    x_dpi, y_dpi = float(value[0]), float(value[1])
    plausible = min(x_dpi, y_dpi) >= MIN_PLAUSIBLE_DPI and max(x_dpi, y_dpi) <= MAX_PLAUSIBLE_DPI
    return (x_dpi, y_dpi) if plausible else None


def _corrupt_image(page: int | None, reason: str) -> RejectedFileError:
    where = f"page {page} of the image" if page else "the image"
    return RejectedFileError(
        f"Cannot process {where}: {reason}. The file is probably cut off or damaged: upload "
        f"the original file again or scan the paper again.",
        code="corrupt_image",
    )


def _image_too_large(detail: str) -> RejectedFileError:
    return RejectedFileError(
        f"The image is too large to process ({detail}): scan at 300 dpi and at the paper's real "
        f"size.",
        code="image_too_large",
    )
