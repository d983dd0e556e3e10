from __future__ import annotations

import pytest

from models.errors import InvalidTransitionError
from models.status import (
    DocumentStatus,
    DossierStatus,
    check_document_move,
    check_dossier_move,
    document_sources,
    dossier_sources,
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
