"""Sample dossiers as the one-stop desk's scanner would deliver them, with their ground truth.

A dossier folder is named by its receipt code and holds the application form as a multi-page PDF,
the applicant's identity card as a JPEG, and, when the procedure needs one, a supporting document
(a business certificate as a 200 dpi Group 4 TIFF, a birth record as a PNG, a land-use
certificate as a JPEG), every page passed through ``scan``. ``dossier.json`` beside them records
what each file shows. The first dossiers cycle through the procedures with supporting documents
so that any set of two or more holds every file format.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PIL import Image

from samples.degrade import degrade, scan
from samples.files import save_jpeg, save_pdf, save_png, save_tiff
from samples.procedures import (
    PROCEDURES,
    Case,
    procedure_for,
    random_case,
    receipt_code,
)
from samples.render import RenderedDocument, compose_document

Saver = Callable[[Sequence[Image.Image], Path], None]
# How each kind is filed: file suffix, writer, page count, and whether it is scanned bilevel.
_FILING: dict[str, tuple[str, Saver, int, bool]] = {
    "don_de_nghi": (".pdf", save_pdf, 0, False),  # 0: two or three pages, drawn per dossier
    "cccd": (".jpg", save_jpeg, 1, False),
    "dang_ky_doanh_nghiep": (".tif", save_tiff, 2, True),
    "khai_sinh": (".png", save_png, 1, False),
    "quyen_su_dung_dat": (".jpg", save_jpeg, 1, False),
}
_FIRST_PROCEDURES = ("dang_ky_doanh_nghiep", "khai_sinh")


def write_sample_dossiers(out_dir: Path, seed: int = 0, count: int = 3) -> list[Path]:
    """Write ``count`` dossier folders under ``out_dir`` and return them in order.

    Running it again with the same seed rewrites the same bytes, so tests and demos can regenerate
    their inputs instead of storing them.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    folders = []
    for index in range(count):
        rng = random.Random(f"dossier/{seed}/{index}")
        if index < len(_FIRST_PROCEDURES):
            procedure = procedure_for(_FIRST_PROCEDURES[index])
        else:
            procedure = rng.choice(PROCEDURES)
        case = random_case(rng, procedure)
        folders.append(write_dossier(out_dir, case, receipt_code(case, index + 1), rng))
    return folders


def write_dossier(out_dir: Path, case: Case, code: str, rng: random.Random) -> Path:
    """One dossier folder named ``code``: its document files and ``dossier.json``."""
    folder = out_dir / code
    folder.mkdir(parents=True, exist_ok=True)
    kinds = ["don_de_nghi", "cccd"]
    if case.procedure.supporting is not None:
        kinds.append(case.procedure.supporting)
    documents = []
    for number, kind in enumerate(kinds, start=1):
        suffix, save, pages, bilevel = _FILING[kind]
        document = compose_document(kind, rng, case, pages or rng.choice((2, 3)))
        filename = f"{number:02d}_{kind}{suffix}"
        save(_scanned(document, rng.randrange(2**31), bilevel), folder / filename)
        documents.append(_describe(document, filename))
    manifest = {
        "receipt_code": code,
        "procedure_code": case.procedure.code,
        "procedure_name": case.procedure.name,
        "agency": case.agency,
        "received_on": case.filed_on.isoformat(),
        "documents": documents,
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    (folder / "dossier.json").write_text(text, encoding="utf-8")
    return folder


def _scanned(document: RenderedDocument, seed: int, bilevel: bool) -> list[Image.Image]:
    """The document's pages as the scanner saw them; ``bilevel`` for a black-and-white scan."""
    images = [scan(page.image, seed + number) for number, page in enumerate(document.pages)]
    if bilevel:
        images = [degrade(image, "dpi200_bilevel", seed) for image in images]
    return images


def _describe(document: RenderedDocument, filename: str) -> dict[str, Any]:
    """The ground-truth entry of one file in ``dossier.json``."""
    return {
        "filename": filename,
        "kind": document.kind,
        "pages": len(document.pages),
        "text": document.text,
        "fields": document.fields,
    }
