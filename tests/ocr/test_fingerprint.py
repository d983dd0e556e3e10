"""A page's fingerprints: the pixels' digest names the same pixels only; the perceptual hash
stays close across re-scans and far between templates, and its bands cut it whole."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from ocr.fingerprint import (
    BAND_BITS,
    BANDS,
    MAX_DISTANCE,
    fingerprint_page,
    hash_bands,
    hash_distance,
)
from samples import render_document, scan


def test_the_same_pixels_have_one_digest_whatever_file_holds_them() -> None:
    page = scan(render_document("cccd", seed=3).pages[0].image, seed=1)
    buffer = io.BytesIO()
    page.convert("RGB").save(buffer, "PNG")  # the same greys, as a colour PNG
    again = Image.open(io.BytesIO(buffer.getvalue()))
    assert fingerprint_page(again) == fingerprint_page(page)

    pixels = np.asarray(page).copy()
    pixels[10, 10] = 255 - pixels[10, 10]  # one pixel of the bed changed
    touched = fingerprint_page(Image.fromarray(pixels))
    assert touched.pixels_sha256 != fingerprint_page(page).pixels_sha256
    assert hash_distance(touched.perceptual_hash, fingerprint_page(page).perceptual_hash) <= 2


def test_a_rescan_is_near_and_another_template_far() -> None:
    card = render_document("cccd", seed=3).pages[0].image
    first, rescan = fingerprint_page(scan(card, seed=1)), fingerprint_page(scan(card, seed=2))
    form = fingerprint_page(scan(render_document("khai_sinh", seed=3).pages[0].image, seed=1))
    assert hash_distance(first.perceptual_hash, rescan.perceptual_hash) <= MAX_DISTANCE
    assert hash_distance(first.perceptual_hash, form.perceptual_hash) > 2 * MAX_DISTANCE


def test_the_bands_cut_the_hash_whole() -> None:
    perceptual = fingerprint_page(render_document("cccd", seed=3).pages[0].image).perceptual_hash
    bands = hash_bands(perceptual)
    assert len(perceptual) == 64 and len(bands) == BANDS
    assert all(0 <= band < 2**BAND_BITS for band in bands)
    assert "".join(f"{band:04x}" for band in bands) == perceptual
    assert hash_distance(perceptual, perceptual) == 0
