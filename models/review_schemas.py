"""API schemas of the review desk: tasks, decisions, groups and a field's history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field

from models.schemas import FieldReason, StoredJson
from models.status import FieldStatus, Resolution, TextSource

ROW_ID_MAX = 2**31 - 1
"""The largest id an ``Integer`` column holds on both databases."""
RowId = Annotated[int, Field(ge=1, le=ROW_ID_MAX)]


class ReviewTaskPublic(BaseModel):
    id: int
    field_id: int
    document_id: str
    dossier_id: str
    receipt_code: str
    agency: str
    received_at: datetime = Field(description="when the dossier was received: the queue's order")
    due_on: date | None = Field(description="the day the receipt promises the result")
    document_type: str
    document_title: str = Field(description="the document type's name in Vietnamese")
    field_name: str
    field_label: str = Field(description="the field's name in Vietnamese, as printed on the paper")
    kind: str = Field(description="the kind of value, which decides its normaliser and checks")
    value: str | None = Field(description="the value as read and normalised; None: unreadable")
    raw_text: str
    confidence: float
    page: int | None
    box: tuple[int, int, int, int] | None = Field(description="left, top, width, height (pixels)")
    problems: Annotated[list[str], StoredJson]
    reasons: Annotated[list[FieldReason], StoredJson] = Field(
        description="why it was sent to review: the evidence for and against the value"
    )
    keyed_twice: bool = Field(description="a correction needs two keyings that agree")
    awaiting_second_keying: bool = Field(
        description="one keying was made; the next must agree with it (it is never shown)"
    )
    claimed_by_me: bool
    lease_until: datetime | None


class ReviewTaskList(BaseModel):
    items: list[ReviewTaskPublic]
    total: int
    limit: int
    offset: int


class ReviewDecision(BaseModel):
    resolution: Resolution
    value: str | None = Field(default=None, max_length=2000, description="for corrected")
    override_reason: str | None = Field(
        default=None, max_length=1000, description="keeps a value its validators fault"
    )
    reason: str | None = Field(default=None, max_length=1000, description="a note for history")


class ReviewOutcome(BaseModel):
    task_id: int
    outcome: str = Field(
        description="closed; awaiting_second_keying (key the same value again, or another "
        "operator will); keyings_disagreed (both keyings were discarded: key it twice again)"
    )
    field_status: FieldStatus
    value: str | None


class ReviewGroupPublic(BaseModel):
    id: str = Field(description="document_type.field_name")
    document_type: str
    field_name: str
    field_label: str
    tasks: int
    oldest: datetime


class GroupClaimed(BaseModel):
    id: str
    items: list[ReviewTaskPublic]


class GroupDecision(BaseModel):
    task_ids: list[RowId] = Field(min_length=1, max_length=200, description="the tasks shown")
    odd: list[RowId] = Field(
        default=[], max_length=200, description="the ones marked wrong: kept, to open singly"
    )


class GroupOutcome(BaseModel):
    accepted: int
    odd: list[int] = Field(description="still held by the caller, to review one at a time")


class FieldChangePublic(BaseModel):
    model_config = {"from_attributes": True}

    at: datetime
    key_id: str
    action: str
    old_value: str | None
    new_value: str | None
    old_status: FieldStatus
    new_status: FieldStatus
    old_source: TextSource
    reason: str | None


class QueueCount(BaseModel):
    document_type: str
    document_title: str
    field_name: str | None = Field(description="None in the counts by document type")
    field_label: str | None
    tasks: int


class AgeBand(BaseModel):
    label: str = Field(description="the band in Vietnamese, e.g. 'Từ 1 đến 3 ngày'")
    from_days: int
    to_days: int | None = Field(description="None for the oldest band")
    tasks: int


class OperatorToday(BaseModel):
    since: datetime = Field(description="the start of the operator's day (local midnight)")
    closed: int
    accepted: int
    corrected: int
    absent: int
    first_at: datetime | None
    last_at: datetime | None
    per_hour: float | None = Field(
        description="tasks closed per hour between the first and the last (from 10 tasks and "
        "5 minutes on)"
    )


class ReviewQueue(BaseModel):
    total: int = Field(description="open tasks the caller's agencies reach")
    held_by_others: int = Field(description="of those, held by another operator right now")
    oldest: datetime | None = Field(description="the receipt time of the oldest dossier waiting")
    by_document_type: list[QueueCount]
    by_field: list[QueueCount]
    by_age: list[AgeBand]
    mine_today: OperatorToday
