"""Papers laid out by other hands, end to end: what is accepted unseen is what was printed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ocr.fields.doctypes import load_document_types
from ocr.fields.extract import check_value
from samples import RenderedDocument, render_document, save_pdf, save_png, scan
from samples.families import FAMILIES

pytestmark = pytest.mark.slow

TYPES = load_document_types()
OTHER_FAMILIES = [
    (kind, family) for kind, families in FAMILIES.items() for family in list(families)[1:]
]


def scanned_file(document: RenderedDocument, folder: Path, seed: int) -> Path:
    """The document as a desk scanner files it: a PNG for one page, a PDF for more."""
    images = [scan(page.image, seed + number) for number, page in enumerate(document.pages)]
    path = folder / f"{document.kind}-{document.family}{'.png' if len(images) == 1 else '.pdf'}"
    (save_png if len(images) == 1 else save_pdf)(images, path)
    return path


def test_every_other_family_is_read_and_only_printed_values_are_accepted(
    client: TestClient, work: Callable[[], None], tmp_path: Path
) -> None:
    documents = {}
    for seed, (kind, family) in enumerate(OTHER_FAMILIES):
        document = render_document(kind, seed=40 + seed, family=family)
        documents[scanned_file(document, tmp_path, seed).name] = document
    files = [("files", (name, (tmp_path / name).read_bytes())) for name in documents]
    form = {"receipt_code": "000.00.12.H56-261202-0001", "procedure_code": "1.001612"}
    accepted = client.post("/v1/dossiers", data={**form, "agency": "PVHCC"}, files=files)
    assert accepted.status_code == 202, accepted.text
    work()
    view = client.get(f"/v1/dossiers/{accepted.json()['dossier_id']}/fields").json()
    names = {d["id"]: d["filename"] for d in client.get(accepted.json()["status_url"]).json()[
        "documents"]}  # fmt: skip
    straight_through = 0
    for read in view["documents"]:
        document = documents[names[read["document_id"]]]
        assert read["document_type"] == document.kind, names[read["document_id"]]
        specs = {spec.name: spec for spec in TYPES[document.kind].fields}
        for field in read["fields"]:
            assert field["reasons"], f"{document.family}.{field['name']} says not why"
            if field["status"] != "auto_accepted":
                continue
            straight_through += 1
            printed = check_value(specs[field["name"]].kind, document.fields[field["name"]])
            assert field["value"] == printed.value, (document.family, field)
    first = view["documents"][0]
    served = client.get(f"/v1/documents/{first['document_id']}/fields").json()
    assert served["fields"] == first["fields"]
    total = sum(len(read["fields"]) for read in view["documents"])
    assert straight_through >= total / 2, (straight_through, total)
