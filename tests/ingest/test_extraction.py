"""Storing a document's fields: a CCCD number links its citizen only once it is accepted."""

from __future__ import annotations

from sqlalchemy import select

from ingest.extraction import store_fields
from ingest.services import Services
from models.status import FieldStatus, PageStatus, TextSource
from models.tables import DocumentSubject, Subject
from ocr.words import PageText, Word
from storage import repository
from storage.database import transaction
from tests.ingest.test_jobs import document_with_pages

CARD_LINES = (
    "CĂN CƯỚC CÔNG DÂN",
    "Số / No.: 001185111376",
    "Họ và tên / Full name:",
    "NGUYỄN VĂN AN",
    "Ngày sinh / Date of birth: 11/04/1985",
    "Giới tính / Sex: Nữ",
)


def card(number_confidence: float) -> PageText:
    words = []
    for number, text in enumerate(CARD_LINES, start=1):
        for position, piece in enumerate(text.split()):
            confidence = number_confidence if piece.isdigit() and len(piece) == 12 else 97.0
            words.append(
                Word(piece, confidence, 100 + 90 * position, 80 * number, 80, 50, 1, number, 1)
            )
    return PageText(2000, 1000, words)


def test_an_accepted_cccd_number_links_the_citizen(services: Services) -> None:
    document_id = document_with_pages(services, [PageStatus.RECOGNIZED])
    extraction = store_fields(services, document_id, [card(96.0)], [TextSource.OCR])
    assert extraction.document_type == "cccd"
    with transaction(services.sessions) as session:
        subject = session.scalars(select(Subject)).one()
        assert (subject.kind, subject.identifier) == ("citizen", "001185111376")
        fields = {f.name: f for f in repository.document_fields(session, document_id)}
        assert fields["cccd_number"].status == FieldStatus.AUTO_ACCEPTED


def test_a_cccd_number_sent_to_review_links_nobody(services: Services) -> None:
    document_id = document_with_pages(services, [PageStatus.RECOGNIZED])
    store_fields(services, document_id, [card(70.0)], [TextSource.OCR])
    with transaction(services.sessions) as session:
        fields = {f.name: f for f in repository.document_fields(session, document_id)}
        assert fields["cccd_number"].status == FieldStatus.NEEDS_REVIEW
        assert fields["cccd_number"].value == "001185111376"
        assert session.scalars(select(Subject)).all() == []
        assert session.scalars(select(DocumentSubject)).all() == []
