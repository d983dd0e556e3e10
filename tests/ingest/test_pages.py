"""Page counting and rasterising of real PDFs and images made under tmp_path (real poppler)."""

from __future__ import annotations

import inspect
import struct
import zlib
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from PIL import Image, ImageDraw

from ingest.pages import PageImage, inspect_document, iter_page_images, render_page
from ingest.pdf_pages import render_pdf_page
from models.errors import EngineError, RejectedFileError

PDF = "application/pdf"
TIFF = "image/tiff"
LIMITS = {"max_pages": 100, "max_image_pixels": 200_000_000}


def page(number: int, size: tuple[int, int] = (850, 1100), mode: str = "L") -> Image.Image:
    """A white page with a black square whose position tells the page number."""
    image = Image.new("L", size, 255)
    ImageDraw.Draw(image).rectangle((100 * number, 100, 100 * number + 80, 180), fill=0)
    return image.convert(mode)


def grey(image: Image.Image, x: int, y: int) -> int:
    value = image.getpixel((x, y))
    assert isinstance(value, int)
    return value


def ink_at(image: Image.Image, number: int, scale: float = 1.0) -> int:
    """Grey value in the middle of page ``number``'s square."""
    return grey(image, round((100 * number + 40) * scale), round(140 * scale))


def write_pdf(path: Path, pages: int = 3) -> Path:
    """An image-only PDF as a scanner makes it: 8.5 x 11 in pages from 100 dpi images."""
    images = [page(n) for n in range(1, pages + 1)]
    images[0].save(path, save_all=True, append_images=images[1:], resolution=100)
    return path


def write_tiff(path: Path, mode: str, compression: str, pages: int = 3) -> Path:
    images = [page(n, mode=mode) for n in range(1, pages + 1)]
    images[0].save(
        path, save_all=True, append_images=images[1:], compression=compression, dpi=(200, 200)
    )
    return path


def rejected(call: object, *args: object, **kwargs: object) -> RejectedFileError:
    with pytest.raises(RejectedFileError) as caught:
        result = call(*args, **kwargs)  # type: ignore[operator]
        if inspect.isgenerator(result):
            list(result)
    return caught.value


# --- PDF -------------------------------------------------------------------------------------


@pytest.mark.slow
def test_three_page_pdf(tmp_path: Path) -> None:
    """A scanned PDF's pages are its own JPEGs, decoded at their own resolution, kept as is."""
    path = write_pdf(tmp_path / "scan.pdf")
    assert inspect_document(path, PDF, **LIMITS) == 3
    pages = iter_page_images(path, PDF, dpi=300)
    assert iter(pages) is pages  # lazy, not a list of every page
    with pikepdf.open(path) as pdf:
        jpegs = [next(iter(p.get_images().values())).read_raw_bytes() for p in pdf.pages]
    for number, image_page in enumerate(pages, start=1):
        assert image_page.index == number
        assert (image_page.dpi, image_page.image.mode, image_page.image.size) == (
            100, "L", (850, 1100),
        )  # fmt: skip
        assert ink_at(image_page.image, number) < 60
        assert ink_at(image_page.image, number + 1) > 200
        assert image_page.encoded is not None
        assert image_page.encoded.data == jpegs[number - 1]
        drawn = render_pdf_page(path, number, dpi=100).image
        difference = np.abs(np.asarray(drawn, float) - np.asarray(image_page.image, float))
        assert difference.mean() < 1.0  # the pixels poppler would draw


@pytest.mark.slow
@pytest.mark.parametrize("change", ["rotate", "crop", "text"])
def test_other_pdf_pages_are_drawn(tmp_path: Path, change: str) -> None:
    path = write_pdf(tmp_path / "scan.pdf", pages=1)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        first = pdf.pages[0]
        if change == "rotate":
            first.obj.Rotate = 90
        elif change == "crop":
            first.obj.CropBox = pikepdf.Array([0, 0, 300, 300])
        else:
            first.contents_add(pdf.make_stream(b"BT /F1 12 Tf 72 72 Td (Trang 1) Tj ET"))
        pdf.save(path)
    only = next(iter_page_images(path, PDF, dpi=300))
    assert only.encoded is None
    assert only.dpi == 300


@pytest.mark.slow
def test_render_one_pdf_page(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "scan.pdf")
    second = render_page(path, PDF, 2, dpi=100)
    assert (second.index, second.dpi, second.image.size) == (2, 100, (850, 1100))
    assert ink_at(second.image, 2) < 60
    with pytest.raises(ValueError):
        render_page(path, PDF, 4)


def test_encrypted_pdf(tmp_path: Path) -> None:
    path = tmp_path / "locked.pdf"
    with pikepdf.open(write_pdf(tmp_path / "scan.pdf", pages=1)) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(user="x", owner="y"))
    for call in (inspect_document, iter_page_images):
        kwargs = LIMITS if call is inspect_document else {}
        error = rejected(call, path, PDF, **kwargs)
        assert error.code == "encrypted_pdf"
        assert "password-protected" in error.message


@pytest.mark.slow
def test_pdf_with_owner_password_only_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "restricted.pdf"
    with pikepdf.open(write_pdf(tmp_path / "scan.pdf", pages=1)) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(user="", owner="y"))
    assert inspect_document(path, PDF, **LIMITS) == 1
    assert render_page(path, PDF, 1, dpi=50).image.size == (850, 1100)  # its own 100 dpi image
    assert render_pdf_page(path, 1, dpi=50).image.size == (425, 550)


@pytest.mark.parametrize("keep", [0.05, 0.3, 0.5, 0.7, 0.95])
def test_truncated_pdf_is_rejected(tmp_path: Path, keep: float) -> None:
    """qpdf would "repair" most of these by dropping pages; poppler cannot open any of them."""
    data = write_pdf(tmp_path / "scan.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: int(len(data) * keep)])
    error = rejected(inspect_document, path, PDF, **LIMITS)
    assert error.code == "corrupt_pdf"
    assert "upload the original file again" in error.message
    assert rejected(iter_page_images, path, PDF).code == "corrupt_pdf"


def test_pdf_cut_inside_its_trailer_is_rejected_at_inspection(tmp_path: Path) -> None:
    """Poppler still renders this one, but a file that lost its end is not trusted."""
    data = write_pdf(tmp_path / "scan.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: data.rindex(b"/Size")])
    assert rejected(inspect_document, path, PDF, **LIMITS).code == "corrupt_pdf"


def test_truncated_pdf_with_object_streams_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "compact.pdf"
    with pikepdf.open(write_pdf(tmp_path / "scan.pdf")) as pdf:
        pdf.save(path, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    path.write_bytes(path.read_bytes()[:-100])
    assert rejected(inspect_document, path, PDF, **LIMITS).code == "corrupt_pdf"


@pytest.mark.slow
def test_pdf_with_wrong_xref_offset_is_repaired(tmp_path: Path) -> None:
    data = write_pdf(tmp_path / "scan.pdf").read_bytes()
    start = data.rindex(b"startxref")
    path = tmp_path / "offset.pdf"
    path.write_bytes(data[:start] + b"startxref\n12345\n%%EOF\n")
    assert inspect_document(path, PDF, **LIMITS) == 3
    assert [p.index for p in iter_page_images(path, PDF, dpi=30)] == [1, 2, 3]


def test_garbage_after_pdf_header(tmp_path: Path) -> None:
    path = tmp_path / "junk.pdf"
    path.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 40)
    assert rejected(inspect_document, path, PDF, **LIMITS).code == "corrupt_pdf"
    assert rejected(iter_page_images, path, PDF).code == "corrupt_pdf"


def test_pdf_without_pages(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    pikepdf.new().save(path)
    error = rejected(inspect_document, path, PDF, **LIMITS)
    assert error.code == "empty_pdf"


def test_pdf_with_too_many_pages(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "scan.pdf")
    error = rejected(inspect_document, path, PDF, max_pages=2, max_image_pixels=10**9)
    assert error.code == "too_many_pages"
    assert "3 pages" in error.message


def test_pdf_page_too_large_to_render(tmp_path: Path) -> None:
    path = tmp_path / "poster.pdf"
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(14400, 14400))  # 200 x 200 inches
    pdf.save(path)
    error = rejected(inspect_document, path, PDF, max_pages=10, max_image_pixels=200_000_000)
    assert error.code == "page_too_large"
    assert "Page 1" in error.message


def test_missing_poppler_is_an_engine_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_pdf(tmp_path / "scan.pdf", pages=1)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.pages[0].obj.Rotate = 90  # to be drawn, not taken as it is
        pdf.save(path)
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    with pytest.raises(EngineError) as caught:
        render_page(path, PDF, 1)
    assert caught.value.code == "poppler_missing"


def test_missing_file_is_not_a_rejection(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        inspect_document(tmp_path / "gone.pdf", PDF, **LIMITS)
    with pytest.raises(FileNotFoundError):
        list(iter_page_images(tmp_path / "gone.png", "image/png"))


# --- TIFF, JPEG, PNG -------------------------------------------------------------------------


@pytest.mark.parametrize(("mode", "compression"), [("1", "group4"), ("L", "tiff_lzw")])
def test_multi_page_tiff(tmp_path: Path, mode: str, compression: str) -> None:
    path = write_tiff(tmp_path / "scan.tif", mode, compression)
    assert inspect_document(path, TIFF, **LIMITS) == 3
    pages = list(iter_page_images(path, TIFF))
    assert [p.index for p in pages] == [1, 2, 3]
    for number, image_page in enumerate(pages, start=1):
        # Each page is its own image, still right after the later frames were read.
        assert image_page.image.mode == "L"
        assert image_page.image.size == (850, 1100)
        assert image_page.dpi == 200
        assert ink_at(image_page.image, number) == 0
        assert ink_at(image_page.image, number + 1) == 255
    second = render_page(path, TIFF, 2)
    assert second.image.tobytes() == pages[1].image.tobytes()


def test_tiff_with_too_many_frames(tmp_path: Path) -> None:
    path = write_tiff(tmp_path / "scan.tif", "1", "group4")
    error = rejected(inspect_document, path, TIFF, max_pages=10, max_image_pixels=10**9,
                     max_frames=2)  # fmt: skip
    assert error.code == "too_many_frames"
    assert "3 frames" in error.message


def test_tiff_with_too_many_pages(tmp_path: Path) -> None:
    path = write_tiff(tmp_path / "scan.tif", "1", "group4")
    assert rejected(inspect_document, path, TIFF, max_pages=2, max_image_pixels=10**9).code == (
        "too_many_pages"
    )


def _palette(path: Path, fmt: str) -> None:
    page(1).convert("P").save(path, format=fmt)


def _cmyk(path: Path, fmt: str) -> None:
    page(1).convert("RGB").convert("CMYK").save(path, format=fmt)


def _sixteen_bit(path: Path, fmt: str) -> None:
    page(1).point(lambda v: v * 257, mode="I").convert("I;16").save(path, format=fmt)


def _twelve_bit(path: Path, fmt: str) -> None:
    page(1).point(lambda v: v * 4095 // 255, mode="I").convert("I;16").save(path, format=fmt)


def _transparent(path: Path, fmt: str) -> None:
    """Black ink on a fully transparent (black) background: the paper must come out white."""
    ink = page(1).point(lambda v: 255 - v)
    rgba = Image.new("RGBA", ink.size, (0, 0, 0, 0))
    rgba.putalpha(ink)
    rgba.save(path, format=fmt)


def _grey_alpha(path: Path, fmt: str) -> None:
    grey = page(1).convert("LA")
    grey.putalpha(255)
    grey.save(path, format=fmt)


MODE_CASES = [
    pytest.param(make, fmt, media_type, id=f"{make.__name__[1:]}-{fmt}")
    for make in (_palette, _cmyk, _sixteen_bit, _twelve_bit, _transparent, _grey_alpha)
    for fmt, media_type in (("PNG", "image/png"), ("TIFF", TIFF))
    if not (make is _cmyk and fmt == "PNG")  # PNG has no CMYK
]


@pytest.mark.parametrize(("make", "fmt", "media_type"), MODE_CASES)
def test_image_modes_become_grey(tmp_path: Path, make: object, fmt: str, media_type: str) -> None:
    path = tmp_path / f"page.{fmt.lower()}"
    make(path, fmt)  # type: ignore[operator]
    assert inspect_document(path, media_type, **LIMITS) == 1
    (only,) = iter_page_images(path, media_type)
    assert only.image.mode == "L"
    assert only.image.size == (850, 1100)
    assert ink_at(only.image, 1) < 10
    assert ink_at(only.image, 2) > 245
    assert grey(only.image, 5, 5) > 245


def test_jpeg_exif_orientation_is_applied(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: rotate 90 degrees clockwise to view
    page(1, size=(1100, 850)).convert("RGB").save(path, exif=exif, dpi=(300, 300))
    only = render_page(path, "image/jpeg", 1)
    assert (only.image.mode, only.image.size, only.dpi) == ("L", (850, 1100), 300)


def test_placeholder_dpi_is_none(tmp_path: Path) -> None:
    path = tmp_path / "screenshot.png"
    page(1).save(path, dpi=(1, 1))
    assert render_page(path, "image/png", 1).dpi is None
    page(1).save(path)
    assert render_page(path, "image/png", 1).dpi is None


def test_fax_resolution_gets_square_pixels(tmp_path: Path) -> None:
    path = tmp_path / "fax.tif"
    page(1, size=(1728, 550)).convert("1").save(path, compression="group3", dpi=(204, 98))
    only = render_page(path, TIFF, 1)
    assert only.dpi == 204
    assert only.image.size == (1728, round(550 * 204 / 98))


def _png_header(width: int, height: int) -> bytes:
    """A PNG that declares a huge size but holds almost no data: a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1000)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("side", "code"),
    [(12_000, "image_too_large"), (100_000, "image_bomb")],  # ours, and Pillow's own limit
)
def test_decompression_bomb_is_rejected(tmp_path: Path, side: int, code: str) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(_png_header(side, side))
    error = rejected(
        inspect_document, path, "image/png", max_pages=10, max_image_pixels=100_000_000
    )
    assert error.code == code


@pytest.mark.parametrize(("fmt", "media_type"), [("PNG", "image/png"), ("JPEG", "image/jpeg")])
def test_truncated_image(tmp_path: Path, fmt: str, media_type: str) -> None:
    path = tmp_path / "cut"
    page(1).save(path, format=fmt)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    assert inspect_document(path, media_type, **LIMITS) == 1  # decoded once, when split
    error = rejected(iter_page_images, path, media_type)
    assert error.code == "corrupt_image"
    assert "cut off" in error.message


@pytest.mark.filterwarnings("ignore:Corrupt EXIF data")
def test_truncated_multi_page_tiff(tmp_path: Path) -> None:
    path = write_tiff(tmp_path / "scan.tif", "L", "tiff_lzw")
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    assert rejected(inspect_document, path, TIFF, **LIMITS).code == "corrupt_image"
    assert rejected(iter_page_images, path, TIFF).code == "corrupt_image"


def test_not_an_image_at_all(tmp_path: Path) -> None:
    path = tmp_path / "fake.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"garbage" * 20)
    assert rejected(inspect_document, path, "image/png", **LIMITS).code == "corrupt_image"


def test_page_image_is_frozen() -> None:
    only = PageImage(index=1, image=page(1), dpi=None)
    with pytest.raises(AttributeError):
        only.index = 2  # type: ignore[misc]


@pytest.mark.parametrize(
    ("name", "mode", "extra", "kept"),
    [
        ("plain.jpg", "L", {}, True),
        ("colour.jpg", "RGB", {}, True),
        ("plain.png", "L", {}, True),
        ("alpha.png", "RGBA", {}, False),
        ("palette.png", "P", {}, False),
        ("turned.jpg", "L", {"exif": 6}, False),
        ("fax.png", "L", {"dpi": (204, 98)}, False),
    ],
)
def test_a_one_page_image_is_kept_as_its_own_page_image(
    tmp_path: Path, name: str, mode: str, extra: dict, kept: bool
) -> None:
    path = tmp_path / name
    options: dict = {"dpi": extra.get("dpi", (300, 300))}
    if "exif" in extra:
        exif = Image.Exif()
        exif[0x0112] = extra["exif"]
        options["exif"] = exif
    page(1).convert(mode).save(path, **options)
    media_type = "image/jpeg" if name.endswith(".jpg") else "image/png"
    only = next(iter_page_images(path, media_type))
    assert only.image.mode == "L"
    if kept:
        assert only.encoded is not None
        assert only.encoded.data == path.read_bytes()
        assert only.encoded.media_type == media_type
    else:
        assert only.encoded is None


def test_tiff_pages_are_never_kept_as_they_are(tmp_path: Path) -> None:
    path = write_tiff(tmp_path / "scan.tif", "L", "tiff_lzw", pages=1)
    assert next(iter_page_images(path, TIFF)).encoded is None
