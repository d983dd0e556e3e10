"""A subject's documents and known values, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from ingest.services import Services
from models.errors import NotFoundError
from models.status import FieldStatus, SubjectKind, TextSource
from models.tables import Document, ExtractedField
from ocr.fields.doctypes import load_document_types, subject_fields
from storage import repository, subjects
from storage.database import transaction

CCCD = "001203290578"
CODE = "0100109106"
DAY_ONE = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
DESCRIBING = subject_fields(load_document_types())


def add_document(session: Session, document_type: str, day: int, receipt: str = "R-1") -> str:
    dossier = repository.get_or_create_dossier(
        session, repository.NewDossier(receipt, "1.001612", "PVHCC")
    )
    document, _ = repository.add_document(
        session,
        Document(
            dossier_id=dossier.id,
            sha256=f"{document_type}-{day}".ljust(64, "0"),
            filename=f"{document_type}.jpg",
            size_bytes=1,
            document_type=document_type,
            created_at=DAY_ONE + timedelta(days=day),
        ),
    )
    return document.id


def add_field(
    session: Session,
    document_id: str,
    name: str,
    value: str | None,
    status: FieldStatus = FieldStatus.AUTO_ACCEPTED,
    source: TextSource = TextSource.OCR,
) -> None:
    document = session.get_one(Document, document_id)
    session.add(
        ExtractedField(
            document_id=document_id, document_type=document.document_type, name=name,
            raw_text=value or "?", value=value, confidence=0.9, source=source, status=status,
        )
    )  # fmt: skip
    session.flush()


def citizen_values(services: Services) -> dict[str, tuple[str, FieldStatus, str]]:
    with transaction(services.sessions) as session:
        subject = subjects.find_subject(session, SubjectKind.CITIZEN, CCCD)
        best = subjects.known_values(session, subject.id, DESCRIBING)
        return {name: (f.value or "", f.status, f.document_id) for name, f in best.items()}


def test_an_accepted_value_beats_a_later_one_waiting_for_review(services: Services) -> None:
    with transaction(services.sessions) as session:
        card = add_document(session, "cccd", day=0)
        form = add_document(session, "don_de_nghi", day=5)
        for document_id in (card, form):
            repository.link_subject(session, document_id, SubjectKind.CITIZEN, CCCD, "cccd_number")
        add_field(session, card, "full_name", "Lê Công Đạt")
        add_field(session, form, "full_name", "Lẽ Công Đạt", FieldStatus.NEEDS_REVIEW)
        add_field(session, form, "phone", "0901234567", FieldStatus.NEEDS_REVIEW)
    values = citizen_values(services)
    assert values["full_name"] == ("Lê Công Đạt", FieldStatus.AUTO_ACCEPTED, card)
    # with nothing better, a value waiting for review is shown as such
    assert values["phone"] == ("0901234567", FieldStatus.NEEDS_REVIEW, form)


def test_among_usable_values_the_latest_document_wins(services: Services) -> None:
    with transaction(services.sessions) as session:
        first, second, third = (add_document(session, "don_de_nghi", day=d) for d in (0, 3, 9))
        for document_id in (first, second, third):
            repository.link_subject(session, document_id, SubjectKind.CITIZEN, CCCD, "cccd_number")
        add_field(session, first, "address", "Số 1 Tràng Tiền")
        add_field(session, second, "address", "Số 8 Hàng Bài")
        add_field(session, third, "address", "Số 9 Hàng Bài", FieldStatus.NEEDS_REVIEW)
        # an operator's value beats one accepted unseen, even from a later document
        add_field(session, first, "sex", "Nữ", FieldStatus.VERIFIED, TextSource.OPERATOR)
        add_field(session, third, "sex", "Nam")
        add_field(session, third, "date_of_birth", None, FieldStatus.NEEDS_REVIEW)
    values = citizen_values(services)
    assert values["address"] == ("Số 8 Hàng Bài", FieldStatus.AUTO_ACCEPTED, second)
    assert values["sex"] == ("Nữ", FieldStatus.VERIFIED, first)
    assert "date_of_birth" not in values  # a value nobody could read is no value


def test_only_the_fields_about_a_subject_become_its_values(services: Services) -> None:
    with transaction(services.sessions) as session:
        card = add_document(session, "cccd", day=0)
        form = add_document(session, "don_de_nghi", day=1)
        certificate = add_document(session, "dang_ky_doanh_nghiep", day=2, receipt="R-2")
        for document_id in (card, form):
            repository.link_subject(session, document_id, SubjectKind.CITIZEN, CCCD, "cccd_number")
        repository.link_subject(
            session, certificate, SubjectKind.CITIZEN, CCCD, "legal_representative_cccd"
        )
        repository.link_subject(
            session, certificate, SubjectKind.ENTERPRISE, CODE, "enterprise_code"
        )
        add_field(session, card, "place_of_residence", "Hà Nội")
        add_field(session, form, "procedure", "Đăng ký thường trú")
        add_field(session, form, "full_name", "NGUYỄN VĂN AN")
        add_field(session, certificate, "enterprise_name", "CÔNG TY TNHH AN PHÁT")
        add_field(session, certificate, "head_office", "Hà Nội")
        add_field(session, certificate, "legal_representative", "NGUYỄN VĂN AN")
    assert set(citizen_values(services)) == {"place_of_residence", "full_name"}
    with transaction(services.sessions) as session:
        enterprise = subjects.find_subject(session, SubjectKind.ENTERPRISE, CODE)
        values = subjects.known_values(session, enterprise.id, DESCRIBING)
        assert set(values) == {"enterprise_name", "head_office", "legal_representative"}
        citizen = subjects.find_subject(session, SubjectKind.CITIZEN, CCCD)
        mentions = subjects.subject_mentions(session, citizen.id)
    assert [(m.document.id, m.receipt_code, m.field_name) for m in mentions] == [
        (card, "R-1", "cccd_number"),
        (form, "R-1", "cccd_number"),
        (certificate, "R-2", "legal_representative_cccd"),
    ]


def test_a_subject_never_read_is_not_found(services: Services) -> None:
    with transaction(services.sessions) as session:
        repository.link_subject(
            session, add_document(session, "cccd", 0), SubjectKind.CITIZEN, CCCD, "cccd_number"
        )
    with transaction(services.sessions) as session, pytest.raises(NotFoundError) as caught:
        subjects.find_subject(session, SubjectKind.ENTERPRISE, CCCD)
    assert caught.value.code == "enterprise_not_found"


def test_the_type_files_say_which_fields_describe_whom() -> None:
    assert set(DESCRIBING) == {
        ("cccd", "cccd_number"),
        ("don_de_nghi", "cccd_number"),
        ("dang_ky_doanh_nghiep", "enterprise_code"),
    }
    assert "procedure" not in DESCRIBING["don_de_nghi", "cccd_number"]


def test_without_a_rule_nothing_is_known(services: Services) -> None:
    with transaction(services.sessions) as session:
        card = add_document(session, "cccd", day=0)
        repository.link_subject(session, card, SubjectKind.CITIZEN, CCCD, "cccd_number")
        add_field(session, card, "full_name", "NGUYỄN VĂN AN")
        subject = subjects.find_subject(session, SubjectKind.CITIZEN, CCCD)
        assert subjects.known_values(session, subject.id, {}) == {}
