"""What anyone may read without a key: a dossier's progress by its receipt code.

Receipt codes are printed on the citizen's receipt and can be guessed, so this says nothing
that names a person, an enterprise, a procedure or a document: the stage, the progress and
when things happened.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from models.status import DossierStatus


class PublicStage(StrEnum):
    """A dossier's stage as a citizen would ask after it."""

    RECEIVED = "received"  # Đã tiếp nhận
    DIGITIZING = "digitizing"  # Đang số hóa
    CHECKING = "checking"  # Đang kiểm tra: an officer checks what was read, or a paper again
    DIGITIZED = "digitized"  # Đã số hóa xong


STAGE_OF = {
    DossierStatus.RECEIVED: PublicStage.RECEIVED,
    DossierStatus.PROCESSING: PublicStage.DIGITIZING,
    DossierStatus.NEEDS_REVIEW: PublicStage.CHECKING,
    DossierStatus.DIGITIZED: PublicStage.DIGITIZED,
    DossierStatus.VERIFIED: PublicStage.DIGITIZED,
}

STAGE_LABELS = {
    PublicStage.RECEIVED: "Đã tiếp nhận",
    PublicStage.DIGITIZING: "Đang số hóa",
    PublicStage.CHECKING: "Đang kiểm tra",
    PublicStage.DIGITIZED: "Đã số hóa xong",
}


class PublicStatus(BaseModel):
    receipt_code: str
    stage: PublicStage
    stage_label: str = Field(description="the stage in Vietnamese, as the status page shows it")
    pages_done: int
    pages_total: int
    received_at: datetime
    updated_at: datetime = Field(description="when the dossier last moved")
    due_on: date | None = Field(description="the day the receipt promises the result")
