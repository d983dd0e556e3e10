from __future__ import annotations

import pytest

from models.errors import InvalidTransitionError
from models.status import (
    DocumentStatus,
    DossierStatus,
    check_document_move,
    check_dossier_move,
    document_sources,
    document_when_read,
    dossier_sources,
    dossier_when_settled,
)


def test_documents_move_forward_only() -> None:
    check_document_move(DocumentStatus.RECEIVED, DocumentStatus.PREPARING)
    check_document_move(DocumentStatus.RECOGNIZING, DocumentStatus.DIGITIZED)
    with pytest.raises(InvalidTransitionError):
        check_document_move(DocumentStatus.DIGITIZED, DocumentStatus.RECOGNIZING)
    with pytest.raises(InvalidTransitionError):
        check_document_move(DocumentStatus.RECEIVED, DocumentStatus.DIGITIZED)
    with pytest.raises(InvalidTransitionError):
        check_document_move(DocumentStatus.FAILED, DocumentStatus.RECEIVED)


def test_staying_put_is_allowed() -> None:
    for status in DocumentStatus:
        check_document_move(status, status)


def test_any_unfinished_document_can_fail() -> None:
    assert document_sources(DocumentStatus.FAILED) == {
        DocumentStatus.RECEIVED,
        DocumentStatus.PREPARING,
        DocumentStatus.RECOGNIZING,
    }


def test_a_settled_dossier_reopens_for_new_documents() -> None:
    check_dossier_move(DossierStatus.DIGITIZED, DossierStatus.PROCESSING)
    assert dossier_sources(DossierStatus.DIGITIZED) == {DossierStatus.PROCESSING}
    with pytest.raises(InvalidTransitionError):
        check_dossier_move(DossierStatus.RECEIVED, DossierStatus.DIGITIZED)


def test_a_read_document_waits_for_review_then_is_verified() -> None:
    assert document_when_read(open_tasks=2) == DocumentStatus.NEEDS_REVIEW
    assert document_when_read(open_tasks=0) == DocumentStatus.DIGITIZED
    check_document_move(DocumentStatus.NEEDS_REVIEW, DocumentStatus.VERIFIED)
    for done in (DocumentStatus.DIGITIZED, DocumentStatus.VERIFIED):
        with pytest.raises(InvalidTransitionError):
            check_document_move(done, DocumentStatus.NEEDS_REVIEW)


def test_a_dossier_settles_from_its_documents() -> None:
    read, waiting = DocumentStatus.DIGITIZED, DocumentStatus.NEEDS_REVIEW
    assert dossier_when_settled([read, DocumentStatus.RECOGNIZING]) is None
    assert dossier_when_settled([read, read]) == DossierStatus.DIGITIZED
    assert dossier_when_settled([read, waiting]) == DossierStatus.NEEDS_REVIEW
    assert dossier_when_settled([DocumentStatus.VERIFIED, DocumentStatus.FAILED]) == (
        DossierStatus.NEEDS_REVIEW
    )
    assert dossier_when_settled([read, DocumentStatus.VERIFIED]) == DossierStatus.VERIFIED
    check_dossier_move(DossierStatus.NEEDS_REVIEW, DossierStatus.VERIFIED)
    check_dossier_move(DossierStatus.VERIFIED, DossierStatus.PROCESSING)
