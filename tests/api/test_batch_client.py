"""The scanner-side batch client against the real API (in-process), resumable by hash."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ingest.client import UploadError, find_dossiers, upload_batch
from models.access import Role
from samples import write_sample_dossiers
from tests.api.conftest import KeyFor


def test_a_batch_uploads_once_and_resumes_by_hash(client: TestClient, tmp_path: Path) -> None:
    [folder] = write_sample_dossiers(tmp_path / "batch", seed=3, count=1)
    manifest = json.loads((folder / "dossier.json").read_text())
    manifest["due_date"] = "2026-12-18"  # the receipt's appointment for the result
    result = manifest["documents"][-1]["filename"]
    manifest["results"] = [result]  # the agency's result, filed with the dossier
    (folder / "dossier.json").write_text(json.dumps(manifest))
    (folder / "ghi-chu.pdf").write_text("không phải bản quét")
    dossiers = find_dossiers(tmp_path / "batch", procedure_code="x", agency="y")
    assert [d.receipt_code for d in dossiers] == [manifest["receipt_code"]]
    files = dossiers[0].files
    assert len(files) == len(manifest["documents"]) + 1

    seen: list[Path] = []
    first = upload_batch(client, dossiers, on_file=seen.append)
    assert sorted(first.uploaded) == sorted(files)
    assert seen == files
    assert list(first.rejected) == [folder / "ghi-chu.pdf"]
    assert "text" in first.rejected[folder / "ghi-chu.pdf"].lower()
    assert not first.failed

    again = upload_batch(client, dossiers)
    assert again.uploaded == []
    assert sorted(again.skipped) == sorted(files)
    assert again.dossier_ids == first.dossier_ids
    view = client.get(f"/v1/dossiers/{first.dossier_ids[manifest['receipt_code']]}").json()
    assert (view["procedure_code"], view["due_on"]) == (manifest["procedure_code"], "2026-12-18")
    assert len(view["documents"]) == len(files)
    assert {d["filename"] for d in view["documents"] if d["result"]} == {result}


def test_a_batch_with_a_key_that_may_not_upload_stops_with_the_reason(
    client: TestClient, key_for: KeyFor, tmp_path: Path
) -> None:
    folder = tmp_path / "KEY-1"
    folder.mkdir()
    (folder / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    client.headers["Authorization"] = f"Bearer {key_for(Role.PROCESSOR)}"
    dossiers = find_dossiers(tmp_path, "1.001612", "PVHCC")
    with pytest.raises(UploadError, match="refused the key"):
        upload_batch(client, dossiers)
