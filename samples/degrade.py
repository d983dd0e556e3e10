"""Scanner and photocopier defects applied to clean pages, each one alone or in a typical mix.

The preprocessing stage is tested and benchmarked against these, so each is tuned to look like
the real defect at the strength offices produce it: hard for OCR without preprocessing, readable
with it. Every function is deterministic in its seed and keeps the image size (except turns and
the 200 dpi bilevel scan) and records the resolution in ``info["dpi"]``.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable

import cv2
import numpy as np
from PIL import Image

from samples.layout import DPI

DEGRADATIONS: tuple[str, ...] = (
    "clean",
    "skew",
    "rotate90",
    "rotate180",
    "rotate270",
    "noise",
    "blur",
    "jpeg",
    "low_contrast",
    "uneven_light",
    "speckle",
    "dpi200_bilevel",
)
_TURNS = {
    "rotate90": Image.Transpose.ROTATE_90,
    "rotate180": Image.Transpose.ROTATE_180,
    "rotate270": Image.Transpose.ROTATE_270,
}


def _rng(seed: int, salt: str) -> np.random.Generator:
    """A generator for one degradation and seed, so two defects of one seed are independent."""
    return np.random.default_rng([zlib.crc32(salt.encode()), seed % 2**32])


def _grey(image: Image.Image) -> Image.Image:
    return image if image.mode == "L" else image.convert("L")


def _with_dpi(image: Image.Image, dpi: int = DPI) -> Image.Image:
    image.info["dpi"] = (dpi, dpi)
    return image


def _from_array(pixels: np.ndarray) -> Image.Image:
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def skew_angle(seed: int, limit: float = 5.0, least: float = 1.0) -> float:
    """The skew in degrees that ``degrade(..., "skew", seed)`` applies: ±[least, limit]."""
    rng = _rng(seed, "skew")
    return float(rng.uniform(least, limit) * rng.choice((-1.0, 1.0)))


def rotate(image: Image.Image, angle: float) -> Image.Image:
    """Rotate counter-clockwise by ``angle`` degrees about the centre, filling with white paper."""
    pixels = np.asarray(_grey(image))
    height, width = pixels.shape
    matrix = cv2.getRotationMatrix2D(((width - 1) / 2, (height - 1) / 2), angle, 1.0)
    turned = cv2.warpAffine(
        pixels, matrix, (width, height), flags=cv2.INTER_CUBIC, borderValue=(255,)
    )
    return Image.fromarray(turned)


def blur(image: Image.Image, sigma: float) -> Image.Image:
    """Gaussian blur of ``sigma`` pixels, the softness of a scanner slightly out of focus."""
    return Image.fromarray(cv2.GaussianBlur(np.asarray(_grey(image)), (0, 0), sigma))


def add_noise(image: Image.Image, sigma: float, seed: int) -> Image.Image:
    """Gaussian sensor noise of ``sigma`` grey levels."""
    pixels = np.asarray(_grey(image), dtype=np.float32)
    noise = _rng(seed, "noise").standard_normal(pixels.shape, dtype=np.float32)
    return _from_array(pixels + sigma * noise)


def recompress(image: Image.Image, quality: int) -> Image.Image:
    """Encode as JPEG and decode again, leaving the blocking and ringing of a cheap scanner."""
    buffer = io.BytesIO()
    _grey(image).save(buffer, "JPEG", quality=quality)
    buffer.seek(0)
    with Image.open(buffer) as decoded:
        result = decoded.convert("L")
    result.info = {}  # drop the JFIF header fields; callers set the resolution
    return result


def _low_contrast(image: Image.Image, seed: int) -> Image.Image:
    """A faded copy: ink at about 110, paper at about 200."""
    rng = _rng(seed, "low_contrast")
    ink, paper = rng.uniform(100, 120), rng.uniform(190, 210)
    pixels = np.asarray(_grey(image), dtype=np.float32)
    return _from_array(ink + pixels * (paper - ink) / 255.0)


def _uneven_light(image: Image.Image, seed: int) -> Image.Image:
    """A photocopy's dark margin: the page darkens toward one edge, to about half at the edge."""
    rng = _rng(seed, "uneven_light")
    pixels = np.asarray(_grey(image), dtype=np.float32)
    height, width = pixels.shape
    edge = int(rng.integers(4))
    across = width if edge in (0, 1) else height
    reach = across * rng.uniform(0.3, 0.45)
    distance = np.arange(across, dtype=np.float32)
    if edge in (1, 3):
        distance = distance[::-1]
    darkest = rng.uniform(0.45, 0.55)
    factor = 1.0 - (1.0 - darkest) * np.clip(1.0 - distance / reach, 0.0, 1.0) ** 2
    factor = factor[np.newaxis, :] if edge in (0, 1) else factor[:, np.newaxis]
    return _from_array(pixels * factor)


def _speckle(image: Image.Image, seed: int) -> Image.Image:
    """Toner dots and dust: about one dot per 20,000 pixels, 1 or 2 pixels in radius."""
    rng = _rng(seed, "speckle")
    pixels = np.array(_grey(image))
    height, width = pixels.shape
    count = max(1, height * width // 20_000)
    xs = rng.integers(0, width, count)
    ys = rng.integers(0, height, count)
    radii = rng.integers(1, 3, count)
    shades = rng.integers(0, 90, count)
    for x, y, radius, shade in zip(xs, ys, radii, shades, strict=True):
        cv2.circle(pixels, (int(x), int(y)), int(radius), int(shade), thickness=-1)
    return Image.fromarray(pixels)


def to_bilevel(image: Image.Image, dpi: int = 200, threshold: int = 150) -> Image.Image:
    """A fax-like scan: resampled to ``dpi`` and thresholded to black and white (mode "1")."""
    grey = _grey(image)
    scale = dpi / grey.info.get("dpi", (DPI, DPI))[0]
    size = (max(1, round(grey.width * scale)), max(1, round(grey.height * scale)))
    small = np.asarray(grey.resize(size, Image.Resampling.LANCZOS))
    return _with_dpi(Image.fromarray(small > threshold), dpi)


_DEGRADERS: dict[str, Callable[[Image.Image, int], Image.Image]] = {
    "clean": lambda image, seed: _grey(image).copy(),
    "skew": lambda image, seed: rotate(image, skew_angle(seed)),
    "noise": lambda image, seed: add_noise(image, 14.0, seed),
    "blur": lambda image, seed: blur(image, float(_rng(seed, "blur").uniform(1.0, 1.5))),
    "jpeg": lambda image, seed: recompress(image, int(_rng(seed, "jpeg").integers(25, 36))),
    "low_contrast": _low_contrast,
    "uneven_light": _uneven_light,
    "speckle": _speckle,
}


def degrade(image: Image.Image, degradation: str, seed: int) -> Image.Image:
    """A copy of ``image`` with one defect from ``DEGRADATIONS``.

    The result is mode "L" at 300 dpi, except "dpi200_bilevel" (mode "1" at 200 dpi). Turns are
    counter-clockwise, as PIL's ``Transpose.ROTATE_90``; the same seed gives the same defect.
    """
    if degradation == "dpi200_bilevel":
        return to_bilevel(image)
    if degradation in _TURNS:
        return _with_dpi(_grey(image).transpose(_TURNS[degradation]))
    if degradation not in _DEGRADERS:
        raise ValueError(f"unknown degradation {degradation!r}; expected one of {DEGRADATIONS}")
    return _with_dpi(_DEGRADERS[degradation](image, seed))


def scan(image: Image.Image, seed: int) -> Image.Image:
    """What a typical office scanner makes of a page, mode "L" at 300 dpi.

    A slight skew (up to 2°), a little softness, light noise and mild JPEG compression: the
    everyday input of the demo and the speed benchmarks, which should OCR well as it is.
    """
    rng = _rng(seed, "scan")
    skewed = rotate(image, float(rng.uniform(-2.0, 2.0)))
    soft = blur(skewed, float(rng.uniform(0.5, 0.8)))
    noisy = add_noise(soft, float(rng.uniform(3.0, 5.0)), seed)
    return _with_dpi(recompress(noisy, int(rng.integers(70, 86))))
