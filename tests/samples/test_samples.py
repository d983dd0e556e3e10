"""The sample generator: deterministic, realistic, structurally valid, in every file format."""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from PIL import Image, ImageSequence

from samples import (
    DEGRADATIONS,
    DOCUMENT_KINDS,
    RenderedDocument,
    degrade,
    render_document,
    save_jpeg,
    save_pdf,
    save_png,
    save_tiff,
    scan,
    write_sample_dossiers,
)
from samples.__main__ import main
from samples.degrade import skew_angle
from samples.dossiers import write_dossier
from samples.families import FAMILIES
from samples.land import area_figure
from samples.places import PROVINCES
from samples.procedures import procedure_for, random_case
from samples.words import date_long, date_words, money_words, number_words

CCCD_PROVINCES = {f"0{province.code}" for province in PROVINCES}


def tax_code_is_valid(code: str) -> bool:
    """The published rule, written out again so the test does not trust the generator's copy."""
    weights = (31, 29, 23, 19, 17, 13, 7, 5, 3)
    check = 10 - sum(int(d) * w for d, w in zip(code[:9], weights, strict=True)) % 11
    return len(code) == 10 and code.isdigit() and check != 10 and check == int(code[9])


def frame_count(image: Image.Image) -> int:
    return sum(1 for _ in ImageSequence.Iterator(image))


def flat_text(document: RenderedDocument) -> str:
    """All drawn text on one line, so values wrapped over lines can be found."""
    return " ".join(line for page in document.pages for line in page.lines)


# --- rendering ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", DOCUMENT_KINDS)
def test_same_seed_draws_the_same_pixels(kind: str) -> None:
    first, second = render_document(kind, seed=7), render_document(kind, seed=7)
    assert first.pages[0].image.tobytes() == second.pages[0].image.tobytes()
    assert first.text == second.text and first.fields == second.fields
    assert render_document(kind, seed=8).text != first.text


@pytest.mark.parametrize("kind", DOCUMENT_KINDS)
def test_every_kind_renders_its_fields_as_printed(kind: str) -> None:
    for seed in range(5):
        document = render_document(kind, seed=seed)
        assert document.kind == kind
        page = document.pages[0]
        assert page.image.mode == "L" and page.image.info["dpi"] == (300, 300)
        assert np.asarray(page.image).min() == 0  # black text on white paper
        assert all(line and line == unicodedata.normalize("NFC", line) for line in page.lines)
        assert document.text == "\n".join(page.lines)
        assert document.fields and all(document.fields.values())
        for name, value in document.fields.items():
            assert value in flat_text(document), f"{name}={value!r} is not drawn"


def test_application_header_and_fields() -> None:
    document = render_document("don_de_nghi", seed=3)
    lines = document.pages[0].lines
    assert lines[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert lines[2].startswith("ĐƠN ĐỀ NGHỊ")
    expected = {"full_name", "cccd_number", "date_of_birth", "address", "phone", "procedure"}
    assert expected | {"date_signed"} <= document.fields.keys()
    assert document.fields["full_name"] == document.fields["full_name"].upper()
    assert document.fields["phone"].isdigit() and len(document.fields["phone"]) == 10
    dt.datetime.strptime(document.fields["date_of_birth"], "%d/%m/%Y")
    assert document.fields["date_signed"].startswith("ngày ")


@pytest.mark.parametrize("pages", [1, 2, 3])
def test_application_spans_the_pages_asked_for(pages: int) -> None:
    document = render_document("don_de_nghi", seed=4, pages=pages)
    assert len(document.pages) == pages
    assert document.text.count("\n\n") == pages - 1
    if pages > 1:
        assert [page.lines[-1] for page in document.pages][-1] == f"Trang {pages}/{pages}"
    assert any("GIẤY TỜ KÈM THEO" in line for line in document.pages[-1].lines)


def test_page_counts_a_kind_does_not_have_are_refused() -> None:
    with pytest.raises(ValueError):
        render_document("don_de_nghi", seed=1, pages=4)
    with pytest.raises(ValueError):
        render_document("cccd", seed=1, pages=2)
    with pytest.raises(ValueError):
        render_document("passport", seed=1)
    assert len(render_document("dang_ky_doanh_nghiep", seed=1, pages=2).pages) == 2


def test_identity_card_number_matches_birth_date_and_sex() -> None:
    for seed in range(40):
        fields = render_document("cccd", seed=seed).fields
        number, born = fields["cccd_number"], fields["date_of_birth"]
        assert len(number) == 12 and number.isdigit()
        assert number[:3] in CCCD_PROVINCES
        century = int(born[-4:]) // 100 - 19
        assert int(number[3]) == 2 * century + (0 if fields["sex"] == "Nam" else 1)
        assert number[4:6] == born[-2:]


def test_identity_card_is_card_sized_and_in_force() -> None:
    document = render_document("cccd", seed=2)
    width, height = document.pages[0].image.size
    assert (1011, 638) <= (width, height) < (1200, 800)  # 85.6 × 54 mm at 300 dpi plus a border
    assert "CĂN CƯỚC CÔNG DÂN" in document.pages[0].lines
    for seed in range(30):
        expiry = render_document("cccd", seed=seed).fields["date_of_expiry"]
        if expiry != "Không thời hạn":
            assert dt.datetime.strptime(expiry, "%d/%m/%Y").date() > dt.date(2024, 1, 1)


def test_enterprise_codes_have_valid_check_digits() -> None:
    assert tax_code_is_valid("0100109106")  # a real, published code
    assert not tax_code_is_valid("0100109107")
    for seed in range(40):
        fields = render_document("dang_ky_doanh_nghiep", seed=seed).fields
        assert tax_code_is_valid(fields["enterprise_code"]), fields["enterprise_code"]
        assert fields["charter_capital"].endswith(" đồng")
        assert fields["first_registration_date"].startswith("ngày ")


def test_birth_record_names_both_parents() -> None:
    fields = render_document("khai_sinh", seed=9).fields
    assert fields["father_name"] != fields["mother_name"]
    assert fields["full_name"].split()[0] == fields["father_name"].split()[0]
    assert fields["registration_number"].split("/")[1].isdigit()


def test_land_use_certificate_names_its_owners_and_parcel() -> None:
    couples = 0
    for seed in range(30):
        document = render_document("quyen_su_dung_dat", seed=seed)
        fields, lines = document.fields, document.pages[0].lines
        assert "GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT" in lines
        assert re.fullmatch(r"[A-Z]{2} \d{6}", fields["certificate_serial"])
        assert f"Số phát hành: {fields['certificate_serial']}" in lines
        assert f"Thửa đất số: {fields['parcel_number']}" in lines
        assert f"Tờ bản đồ số: {fields['map_sheet_number']}" in lines
        assert re.fullmatch(r"\d{1,3}(\.\d{3})*(,\d)? m²", fields["area"])
        owner = fields["owner_names"]
        assert owner == owner.upper()
        assert f"Ông: {owner}" in lines or f"Bà: {owner}" in lines
        if "co_owner_name" in fields:
            couples += 1
            spouse = fields["co_owner_name"]
            assert f"Và vợ là bà: {spouse}" in lines or f"Và chồng là ông: {spouse}" in lines
            assert (f"Ông: {owner}" in lines) == (f"Và vợ là bà: {spouse}" in lines)
    assert 0 < couples < 30
    with pytest.raises(ValueError):
        render_document("quyen_su_dung_dat", seed=1, pages=2)


def test_areas_are_printed_in_vietnamese_notation() -> None:
    assert area_figure(1255) == "125,5 m²"
    assert area_figure(860) == "86 m²"
    assert area_figure(12_505) == "1.250,5 m²"


def test_a_building_permit_dossier_holds_the_applicants_land_certificate(tmp_path: Path) -> None:
    rng = random.Random("land")
    case = random_case(rng, procedure_for("quyen_su_dung_dat"))
    folder = write_dossier(tmp_path, case, "000.00.01.H01-260101-0001", rng)
    manifest = json.loads((folder / "dossier.json").read_text(encoding="utf-8"))
    documents = {entry["kind"]: entry for entry in manifest["documents"]}
    assert list(documents) == ["don_de_nghi", "cccd", "quyen_su_dung_dat"]
    land = documents["quyen_su_dung_dat"]
    assert land["filename"].endswith(".jpg") and (folder / land["filename"]).is_file()
    assert land["fields"]["owner_names"] == documents["don_de_nghi"]["fields"]["full_name"]


def test_vietnamese_numbers_and_dates() -> None:
    assert number_words(2020) == "hai nghìn không trăm hai mươi"
    assert number_words(1985) == "một nghìn chín trăm tám mươi lăm"
    assert number_words(2005) == "hai nghìn không trăm linh năm"
    assert money_words(1_500_000_000) == "Một tỷ năm trăm triệu đồng"
    assert money_words(1_050_000_000) == "Một tỷ không trăm năm mươi triệu đồng"
    assert date_long(dt.date(2026, 3, 5)) == "ngày 05 tháng 3 năm 2026"
    assert date_long(dt.date(2026, 2, 15)) == "ngày 15 tháng 02 năm 2026"
    assert date_words(dt.date(2021, 4, 21)) == (
        "ngày hai mươi mốt tháng tư năm hai nghìn không trăm hai mươi mốt"
    )


# --- degradations ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def card_image() -> Image.Image:
    return render_document("cccd", seed=1).pages[0].image


@pytest.mark.parametrize("degradation", DEGRADATIONS)
def test_degradation_keeps_mode_size_and_resolution(
    card_image: Image.Image, degradation: str
) -> None:
    original = card_image.tobytes()
    result = degrade(card_image, degradation, seed=3)
    width, height = card_image.size
    if degradation == "dpi200_bilevel":
        assert result.mode == "1" and result.info["dpi"] == (200, 200)
        assert result.size == (round(width * 2 / 3), round(height * 2 / 3))
    else:
        assert result.mode == "L" and result.info["dpi"] == (300, 300)
        swapped = degradation in ("rotate90", "rotate270")
        assert result.size == ((height, width) if swapped else (width, height))
    assert card_image.tobytes() == original
    assert degrade(card_image, degradation, seed=3).tobytes() == result.tobytes()
    if degradation not in ("clean", "dpi200_bilevel"):
        assert result.tobytes() != original


def test_turns_are_counter_clockwise(card_image: Image.Image) -> None:
    turned = degrade(card_image, "rotate90", seed=0)
    assert turned.tobytes() == card_image.transpose(Image.Transpose.ROTATE_90).tobytes()


def test_skew_is_visible_but_small() -> None:
    angles = [skew_angle(seed) for seed in range(50)]
    assert all(1.0 <= abs(angle) <= 5.0 for angle in angles)
    assert min(angles) < 0 < max(angles)


def test_low_contrast_squeezes_the_grey_range(card_image: Image.Image) -> None:
    pixels = np.asarray(degrade(card_image, "low_contrast", seed=1))
    assert 95 <= pixels.min() <= 125 and 185 <= pixels.max() <= 215


def test_scan_is_a_mild_deterministic_mix(card_image: Image.Image) -> None:
    scanned = scan(card_image, seed=4)
    assert scanned.mode == "L" and scanned.size == card_image.size
    assert scanned.info["dpi"] == (300, 300)
    assert scan(card_image, seed=4).tobytes() == scanned.tobytes()
    assert scan(card_image, seed=5).tobytes() != scanned.tobytes()


# --- files -------------------------------------------------------------------------------------


def test_tiff_keeps_every_page_and_its_resolution(tmp_path: Path, card_image: Image.Image) -> None:
    pages = [card_image, degrade(card_image, "noise", 1), degrade(card_image, "blur", 2)]
    save_tiff(pages, tmp_path / "grey.tif")
    bilevel = [degrade(page, "dpi200_bilevel", 0) for page in pages[:2]]
    save_tiff(bilevel, tmp_path / "bilevel.tif")
    with Image.open(tmp_path / "grey.tif") as tiff:
        assert frame_count(tiff) == 3 and tiff.mode == "L"
        assert tiff.info["compression"] == "tiff_lzw" and tiff.info["dpi"] == (300, 300)
        tiff.seek(2)
        assert tiff.tobytes() == pages[2].tobytes()
    with Image.open(tmp_path / "bilevel.tif") as tiff:
        assert frame_count(tiff) == 2 and tiff.mode == "1"
        assert tiff.info["compression"] == "group4" and tiff.info["dpi"] == (200, 200)


def test_pdf_is_image_only_one_page_per_image(tmp_path: Path) -> None:
    document = render_document("don_de_nghi", seed=2, pages=3)
    images = [page.image for page in document.pages]
    save_pdf(images, tmp_path / "form.pdf")
    save_pdf(images, tmp_path / "again.pdf")
    assert (tmp_path / "form.pdf").read_bytes() == (tmp_path / "again.pdf").read_bytes()
    with pikepdf.open(tmp_path / "form.pdf") as pdf:
        assert len(pdf.pages) == 3
        assert "/CreationDate" not in pdf.docinfo
        for page in pdf.pages:
            assert [round(float(v)) for v in page.mediabox] == [0, 0, 595, 842]  # A4 at 300 dpi
            assert "/Font" not in page.resources
            assert len(page.resources.XObject) == 1
            operators = {str(item.operator) for item in pikepdf.parse_content_stream(page)}
            assert "BT" not in operators  # no text object, visible or invisible


def test_single_page_formats_keep_resolution(tmp_path: Path, card_image: Image.Image) -> None:
    save_png([card_image], tmp_path / "card.png")
    save_jpeg([card_image], tmp_path / "card.jpg")
    for name in ("card.png", "card.jpg"):
        with Image.open(tmp_path / name) as image:
            assert image.size == card_image.size
            assert [round(v) for v in image.info["dpi"]] == [300, 300]
    with pytest.raises(ValueError):
        save_png([card_image, card_image], tmp_path / "two.png")


# --- dossiers ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dossiers(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_sample_dossiers(tmp_path_factory.mktemp("dossiers"), seed=0, count=2)


def test_dossiers_hold_every_format_with_ground_truth(dossiers: list[Path]) -> None:
    assert len(dossiers) == 2
    suffixes = set()
    for folder in dossiers:
        manifest = json.loads((folder / "dossier.json").read_text(encoding="utf-8"))
        assert manifest["receipt_code"] == folder.name
        assert manifest["procedure_code"].count(".") == 1
        assert manifest["agency"].startswith("Trung tâm Phục vụ hành chính công")
        documents = {entry["kind"]: entry for entry in manifest["documents"]}
        assert 2 <= len(documents) <= 4
        assert documents["don_de_nghi"]["filename"].endswith(".pdf")
        assert documents["cccd"]["filename"].endswith(".jpg")
        with pikepdf.open(folder / documents["don_de_nghi"]["filename"]) as pdf:
            assert len(pdf.pages) == documents["don_de_nghi"]["pages"] in (2, 3)
        for entry in documents.values():
            assert (folder / entry["filename"]).is_file()
            assert entry["text"] and entry["fields"]
            suffixes.add(Path(entry["filename"]).suffix)
        # The card belongs to the applicant on the form.
        assert (
            documents["cccd"]["fields"]["cccd_number"]
            == (documents["don_de_nghi"]["fields"]["cccd_number"])
        )
    assert suffixes == {".pdf", ".jpg", ".tif", ".png"}
    tiffs = [path for folder in dossiers for path in folder.glob("*.tif")]
    with Image.open(tiffs[0]) as image:
        assert frame_count(image) == 2 and image.mode == "1"


def test_dossiers_are_rewritten_byte_for_byte(
    dossiers: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(tmp_path), "--seed", "0", "--count", "2"]) == 0
    printed = capsys.readouterr().out.split()
    assert [Path(line).name for line in printed] == [folder.name for folder in dossiers]
    for folder in dossiers:
        for path in sorted(folder.iterdir()):
            assert (tmp_path / folder.name / path.name).read_bytes() == path.read_bytes(), path
    other = write_sample_dossiers(tmp_path / "other", seed=1, count=1)
    assert other[0].name != dossiers[0].name


# --- OCR ---------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")
@pytest.mark.parametrize("family", list(FAMILIES["cccd"]))
def test_tesseract_reads_a_clean_card(family: str, tmp_path: Path) -> None:
    document = render_document("cccd", seed=5, family=family)
    save_png([document.pages[0].image], tmp_path / "card.png")
    result = subprocess.run(
        ["tesseract", str(tmp_path / "card.png"), "-", "-l", "vie"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    text = unicodedata.normalize("NFC", result.stdout)
    assert "CỘNG HÒA" in text
    assert document.fields["cccd_number"] in text
    assert document.fields["full_name"] in text
    assert document.fields["date_of_birth"] in text
