"""API schemas of reuse: records of digitized documents used again, and the reuse rate."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

FieldName = Annotated[str, StringConstraints(min_length=1, max_length=64)]


class ReuseCreate(BaseModel):
    document_id: str = Field(
        max_length=36, description="the document reused, of an earlier dossier"
    )
    field_names: list[FieldName] = Field(
        default_factory=list, max_length=50, description="the fields reused; empty: the document"
    )
    purpose: str = Field(min_length=3, max_length=500, description="what it was reused for")


class ReusePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    dossier_id: str = Field(description="the new dossier the reuse served")
    document_id: str
    field_name: str | None = Field(description="None: the whole document")
    purpose: str
    key_id: str = Field(description="who reused it")
    created_at: datetime

    @field_validator("field_name", mode="before")
    @classmethod
    def _whole_document(cls, name: str | None) -> str | None:
        return name or None


class ReuseRatePublic(BaseModel):
    since: datetime
    until: datetime
    documents_digitized: int = Field(description="documents read to the end in the period")
    documents_reused: int = Field(description="of those, the ones some dossier reused")
    reuse_rate: float | None = Field(description="reused / digitized; None without documents")
    records: int = Field(description="reuse records made in the period")
    dossiers_served: int = Field(description="dossiers that reused something in the period")
