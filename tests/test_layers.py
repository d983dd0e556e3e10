"""Design rules: imports flow one way (api → ingest → ocr, storage → models), and the sample
generator stands apart: it imports nothing of the service, and the service needs it only for
the demo and the ``sohoa samples`` command."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("models", "storage", "ingest", "ocr", "api", "samples")
SERVICE = {"models", "storage", "ingest", "ocr", "api"}

FORBIDDEN = {
    "models": {"storage", "ingest", "ocr", "api", "samples", "redis", "rq", "minio", "fastapi"},
    "storage": {"ingest", "ocr", "api", "samples", "fastapi", "pytesseract", "rq"},
    "ocr": {"storage", "ingest", "api", "samples", "rq", "redis", "sqlalchemy", "fastapi", "httpx"},
    "ingest": {"api", "fastapi", "samples"},
    "api": set(),
    "samples": SERVICE,
}
ONLY_IN = {
    "minio": {"storage/s3.py"},
    "pytesseract": {"ocr/tesseract_cli.py"},
    "tesserocr": {"ocr/tesseract_api.py"},
    "samples": {"api/cli.py", "api/demo.py"},
}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def sources(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", PACKAGES)
def test_imports_flow_one_way(package: str) -> None:
    for path in sources(package):
        wrong = imports_of(path) & FORBIDDEN[package]
        assert not wrong, f"{path.relative_to(ROOT)} imports {sorted(wrong)}"


@pytest.mark.parametrize("library", sorted(ONLY_IN))
def test_adapters_are_the_only_importers(library: str) -> None:
    for package in PACKAGES:
        for path in sources(package):
            relative = path.relative_to(ROOT).as_posix()
            if library in imports_of(path) and package != library:
                assert relative in ONLY_IN[library], f"{relative} imports {library}"
