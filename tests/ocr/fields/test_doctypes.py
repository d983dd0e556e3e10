"""Document types as data: the shipped files load, match the generator, and bad files say why."""

from __future__ import annotations

from pathlib import Path

import pytest

from ocr.fields.doctypes import (
    DocumentTypeError,
    Position,
    ValueKind,
    load_document_type,
    load_document_types,
)
from samples import DOCUMENT_KINDS, render_document

GOOD = """\
name: giay_to
title: Giấy tờ
phrases: [GIẤY TỜ]
fields:
  - name: so
    labels: ["Số"]
"""


def test_the_shipped_types_load() -> None:
    types = load_document_types()
    assert set(types) == {
        "cccd", "don_de_nghi", "dang_ky_doanh_nghiep", "khai_sinh", "quyen_su_dung_dat",
    }  # fmt: skip
    cccd = {spec.name: spec for spec in types["cccd"].fields}["cccd_number"]
    assert (cccd.kind, cccd.position, cccd.accept_at) == (ValueKind.CCCD, Position.SAME_LINE, 0.95)


@pytest.mark.parametrize("kind", DOCUMENT_KINDS)
def test_every_field_the_generator_prints_has_a_spec(kind: str) -> None:
    printed = set(render_document(kind, seed=1).fields)
    specified = {spec.name for spec in load_document_types()[kind].fields}
    assert printed <= specified


def test_a_good_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "giay_to.yaml"
    path.write_text(GOOD, encoding="utf-8")
    loaded = load_document_types(tmp_path)["giay_to"]
    assert loaded.fields[0].kind == ValueKind.TEXT and loaded.fields[0].required


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (("kind: text", "kind: colour"), "fields.0.kind"),
        (('labels: ["Số"]', "labels: []"), "fields.0: Value error, labels"),
        (("kind: text", "kind: text\n    position: anywhere"), "needs a pattern"),
        (('labels: ["Số"]', "labels: [\"Số\"]\n    pattern: '(\\d'"), "fields.0.pattern"),
        (("phrases: [GIẤY TỜ]", "phrases: []"), "phrases"),
        (("title: Giấy tờ", "title: Giấy tờ\ncolour: red"), "colour"),
        (('    labels: ["Số"]', '    labels: ["Số"]\n  - name: so\n    labels: ["S"]'), "fields"),
        (("kind: text", "kind: text\n    describes: [so]"), "only a CCCD number or an enterprise"),
        (("kind: text", "kind: cccd\n    describes: [ten]"), "so.describes: no such fields: ten"),
    ],
)
def test_a_malformed_file_names_itself_and_the_key(
    tmp_path: Path, change: tuple[str, str], named: str
) -> None:
    text = GOOD.replace('labels: ["Số"]', 'labels: ["Số"]\n    kind: text', 1)
    path = tmp_path / "giay_to.yaml"
    path.write_text(text.replace(*change), encoding="utf-8")
    with pytest.raises(DocumentTypeError) as caught:
        load_document_type(path)
    assert str(path) in str(caught.value)
    assert named in str(caught.value)


def test_file_and_type_names_must_agree(tmp_path: Path) -> None:
    (tmp_path / "other.yaml").write_text(GOOD, encoding="utf-8")
    with pytest.raises(DocumentTypeError, match="differs from the file name"):
        load_document_types(tmp_path)


def test_broken_yaml_and_empty_folders_are_errors(tmp_path: Path) -> None:
    with pytest.raises(DocumentTypeError, match="no document type files"):
        load_document_types(tmp_path)
    (tmp_path / "giay_to.yaml").write_text("name: [unclosed", encoding="utf-8")
    with pytest.raises(DocumentTypeError, match="not valid YAML"):
        load_document_types(tmp_path)
