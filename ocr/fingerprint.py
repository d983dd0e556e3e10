"""A page image's fingerprints: what finds the same page read before, in another dossier.

Two fingerprints of the normalised grey page:

- ``pixels_sha256``: SHA-256 of the grey pixels and their size. Equal only for pixel-identical
  pages (the same file uploaded again, the same scan attached to two dossiers): such a page
  reads exactly as its twin did, so its words can be reused without any further check.
- ``perceptual_hash``: a 256-bit pHash (``imagehash``, ``hash_size=16``) of the page with its
  contrast stretched. Close for a re-scan of the same paper, but just as close for the same
  form filled in for somebody else (on generated pages, a re-scan was at most 14 bits from the
  first scan and a clean page up to 36 from a scan of it, while different people's pages of one
  layout family came as close as 10): it only names candidates, which something else must
  confirm (``ocr.fields.reread``).

The hash is cut into ``BANDS`` bands of 16 bits, so that the database finds candidates by an
index on (band, value), locality-sensitive hashing style, instead of comparing every page: two
hashes ``MAX_DISTANCE`` bits apart share a band with probability 1 - (1 - (1 - d/256)^16)^16,
0.97 at 24 bits, 0.77 at 36.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import imagehash
from PIL import Image, ImageOps

from ocr.preprocess import as_grey

HASH_SIZE = 16
"""pHash side: 16 × 16 = 256 bits, from a 64 × 64 DCT."""
HASH_BITS = HASH_SIZE * HASH_SIZE
BANDS = 16
BAND_BITS = HASH_BITS // BANDS

MAX_DISTANCE = 40
"""Bits two perceptual hashes may differ by and still name a candidate: a re-scan of a
generated page (another seed of the scanner's skew, blur, noise and JPEG) was at most 14 bits
from the first scan (``python -m bench.page_reuse``), a clean page up to 36 from a scan of it.
Pages of other templates differ by about half the bits."""

CONTRAST_CUTOFF = 1
"""Percent of the darkest and lightest pixels ignored when the contrast is stretched, so that a
pale or dark scan hashes like a crisp one."""


@dataclass(frozen=True)
class PageFingerprint:
    perceptual_hash: str
    """256 bits as 64 hex digits."""
    pixels_sha256: str

    @property
    def bands(self) -> list[int]:
        """The hash's bands of ``BAND_BITS`` bits, first band first."""
        return hash_bands(self.perceptual_hash)


def fingerprint_page(image: Image.Image) -> PageFingerprint:
    """Both fingerprints of a page image (any Pillow mode), on its grey pixels."""
    pixels = as_grey(image)
    height, width = pixels.shape
    digest = hashlib.sha256(f"{width}x{height}:".encode())
    digest.update(pixels.tobytes())
    grey = ImageOps.autocontrast(Image.fromarray(pixels), cutoff=CONTRAST_CUTOFF)
    perceptual = imagehash.phash(grey, hash_size=HASH_SIZE)
    return PageFingerprint(perceptual_hash=str(perceptual), pixels_sha256=digest.hexdigest())


def hash_bands(perceptual_hash: str) -> list[int]:
    """``perceptual_hash`` (hex) cut into ``BANDS`` integers of ``BAND_BITS`` bits."""
    digits = BAND_BITS // 4
    return [
        int(perceptual_hash[start : start + digits], 16)
        for start in range(0, len(perceptual_hash), digits)
    ]


def hash_distance(first: str, second: str) -> int:
    """How many bits two perceptual hashes (hex) differ by."""
    return (int(first, 16) ^ int(second, 16)).bit_count()
