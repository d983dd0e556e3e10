"""The review desk's API: the queue of fields sent to review, leases, decisions, groups.

The review page (``/review``) uses only these routes. Every decision goes into the field's
history (``GET /v1/fields/{id}/history``) and the audit trail.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Query, Request, status
from fastapi import Path as PathParam
from fastapi.responses import Response
from sqlalchemy.orm import Session

from api.audit_trail import note_document
from api.auth import Caller, CallerDep
from api.deps import ServicesDep, SessionDep
from api.field_crops import crop_around
from ingest import review as desk
from ingest.page_images import page_image, prune_page_images
from ingest.services import Services
from ingest.signed_copies import enqueue_signing
from models.errors import ConflictError, NotFoundError
from models.review_schemas import (
    ROW_ID_MAX,
    AgeBand,
    FieldChangePublic,
    GroupClaimed,
    GroupDecision,
    GroupOutcome,
    OperatorToday,
    QueueCount,
    ReviewDecision,
    ReviewGroupPublic,
    ReviewOutcome,
    ReviewQueue,
    ReviewTaskList,
    ReviewTaskPublic,
)
from models.status import Resolution
from models.tables import ReviewTask
from ocr.fields.doctypes import SUBJECT_IDENTIFIERS
from storage import repository, review, review_queue

router = APIRouter(prefix="/v1/review", tags=["review"])
fields_router = APIRouter(prefix="/v1/fields", tags=["review"])

GROUP_SIZE = 30
TaskId = Annotated[int, PathParam(ge=1, le=ROW_ID_MAX, description="a review task's id")]
FieldId = Annotated[int, PathParam(ge=1, le=ROW_ID_MAX, description="a field's id")]


def task_view(services: Services, task: ReviewTask, caller: Caller) -> ReviewTaskPublic:
    types = services.document_types
    document_type = types.get(task.document_type)
    field = task.field
    box = (field.box_left, field.box_top, field.box_width, field.box_height)
    kind = desk.field_kind(types, task.document_type, task.field_name)
    return ReviewTaskPublic(
        id=task.id,
        field_id=task.field_id,
        document_id=task.document_id,
        dossier_id=task.dossier_id,
        receipt_code=task.dossier.receipt_code,
        agency=task.dossier.agency,
        received_at=task.dossier.received_at,
        due_on=task.dossier.due_on,
        document_type=task.document_type,
        document_title=document_type.title if document_type else task.document_type,
        field_name=task.field_name,
        field_label=_label(services, task.document_type, task.field_name),
        kind=kind,
        value=field.value,
        raw_text=field.raw_text,
        confidence=field.confidence,
        page=field.page,
        box=None if None in box else box,  # type: ignore[arg-type]
        problems=field.problems,  # type: ignore[arg-type]
        reasons=field.reasons,  # type: ignore[arg-type]
        keyed_twice=kind in SUBJECT_IDENTIFIERS,
        awaiting_second_keying=task.first_keying is not None,
        claimed_by_me=task.claimed_by == caller.key_id,
        lease_until=task.lease_until if task.claimed_by == caller.key_id else None,
    )


def _lease(services: Services) -> timedelta:
    return timedelta(seconds=services.settings.review_lease_seconds)


@router.get("/tasks", response_model=ReviewTaskList)
def list_review_tasks(
    caller: CallerDep,
    session: SessionDep,
    services: ServicesDep,
    agency: str | None = None,
    document_type: str | None = None,
    field: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> ReviewTaskList:
    """The tasks the caller may take: open and not held by another operator; oldest dossier
    first."""
    task_filter = review.TaskFilter(agency, document_type, field)
    tasks, total = review.list_tasks(
        session, caller.key_id, task_filter, agencies=caller.agencies, limit=limit, offset=offset
    )
    items = [task_view(services, task, caller) for task in tasks]
    return ReviewTaskList(items=items, total=total, limit=limit, offset=offset)


@router.get("/queue", response_model=ReviewQueue)
def get_review_queue(caller: CallerDep, session: SessionDep, services: ServicesDep) -> ReviewQueue:
    """The queue as it stands: open tasks by document type, field and age, and what the
    caller closed today (from midnight in ``SOHOA_LOCAL_TIMEZONE``)."""
    waiting = review_queue.open_tasks(session, caller.key_id, caller.agencies)
    types = services.document_types

    def title(document_type: str) -> str:
        found = types.get(document_type)
        return found.title if found else document_type

    by_type = sorted(waiting.by_document_type().items(), key=lambda item: (-item[1], item[0]))
    by_field = sorted(waiting.by_field.items(), key=lambda item: (-item[1], item[0]))
    zone = services.settings.zone
    since = datetime.combine(datetime.now(zone).date(), time(), zone)
    mine = review_queue.closed_by(session, caller.key_id, since)
    return ReviewQueue(
        total=waiting.total,
        held_by_others=waiting.held_by_others,
        oldest=waiting.oldest,
        by_document_type=[
            QueueCount(document_type=name, document_title=title(name), field_name=None,
                       field_label=None, tasks=count)
            for name, count in by_type
        ],
        by_field=[
            QueueCount(document_type=name, document_title=title(name), field_name=field_name,
                       field_label=_label(services, name, field_name), tasks=count)
            for (name, field_name), count in by_field
        ],
        by_age=[age_band(index, count) for index, count in enumerate(waiting.by_age)],
        mine_today=OperatorToday(
            since=since,
            closed=mine.closed,
            accepted=mine.by_resolution.get(Resolution.ACCEPTED, 0),
            corrected=mine.by_resolution.get(Resolution.CORRECTED, 0),
            absent=mine.by_resolution.get(Resolution.ABSENT, 0),
            first_at=mine.first_at,
            last_at=mine.last_at,
            per_hour=mine.per_hour,
        ),
    )  # fmt: skip


def age_band(index: int, tasks: int) -> AgeBand:
    bounds = [0, *(bound.days for bound in review_queue.AGE_BOUNDS)]
    start = bounds[index]
    end = bounds[index + 1] if index + 1 < len(bounds) else None
    if start == 0:
        label = f"Dưới {end} ngày"
    elif end is None:
        label = f"Từ {start} ngày trở lên"
    else:
        label = f"Từ {start} đến {end} ngày"
    return AgeBand(label=label, from_days=start, to_days=end, tasks=tasks)


@router.post("/tasks/{task_id}/claim", response_model=ReviewTaskPublic)
def claim_review_task(
    request: Request, task_id: TaskId, caller: CallerDep, session: SessionDep, services: ServicesDep
) -> ReviewTaskPublic:
    """Hold the task for the lease's time (claiming it again renews the lease); 409 when
    another operator holds it or it was closed."""
    task = review.get_task(session, task_id, caller.agencies)
    note_document(request.state, task.document_id, task.dossier_id)
    if not review.claim(session, [task_id], caller.key_id, _lease(services)):
        code = "task_closed" if task.closed else "task_claimed"
        raise ConflictError(f"review task {task_id} is taken: {code}", code=code)
    session.refresh(task)
    return task_view(services, task, caller)


@router.post("/tasks/{task_id}/release", status_code=status.HTTP_204_NO_CONTENT)
def release_review_task(
    request: Request, task_id: TaskId, caller: CallerDep, session: SessionDep
) -> Response:
    """Give the task back to the queue, for another operator (a keying made stays)."""
    task = review.get_task(session, task_id, caller.agencies)
    note_document(request.state, task.document_id, task.dossier_id)
    if not review.release(session, task_id, caller.key_id):
        raise ConflictError(f"review task {task_id} is not held by this key", code="not_held")
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/tasks/{task_id}/resolve", response_model=ReviewOutcome)
def resolve_review_task(
    request: Request,
    task_id: TaskId,
    body: ReviewDecision,
    caller: CallerDep,
    session: SessionDep,
    services: ServicesDep,
    background: BackgroundTasks,
) -> ReviewOutcome:
    """Accept the value, correct it, or mark the field absent or unreadable. A corrected
    identifier is saved only when two keyings agree; a value its validators fault needs an
    ``override_reason``."""
    task = review.get_task(session, task_id, caller.agencies)
    note_document(request.state, task.document_id, task.dossier_id)
    decision = desk.Decision(body.resolution, body.value, body.override_reason, body.reason)
    outcome = desk.resolve(session, services.document_types, task, caller.key_id, decision)
    _after_verification(background, services, session, [task.document_id])
    return ReviewOutcome(
        task_id=task_id, outcome=outcome, field_status=task.field.status, value=task.field.value
    )


@router.get("/tasks/{task_id}/crop", response_class=Response)
def get_review_crop(
    request: Request, task_id: TaskId, caller: CallerDep, session: SessionDep, services: ServicesDep
) -> Response:
    """PNG: the page around the field's box, with margin, scaled for reading."""
    task = review.get_task(session, task_id, caller.agencies)
    note_document(request.state, task.document_id, task.dossier_id)
    field = task.field
    box = (field.box_left, field.box_top, field.box_width, field.box_height)
    if field.page is None or None in box:
        raise NotFoundError(
            f"the field of review task {task_id} was not found on a page: see the whole pages",
            code="field_not_located",
        )
    page = repository.get_page(session, task.document_id, field.page, caller.agencies)
    image = crop_around(page_image(services, page).data, box)  # type: ignore[arg-type]
    return Response(
        image, media_type="image/png", headers={"Cache-Control": "private, max-age=300"}
    )


@router.get("/groups", response_model=list[ReviewGroupPublic])
def list_review_groups(
    caller: CallerDep, session: SessionDep, services: ServicesDep
) -> list[ReviewGroupPublic]:
    """Fields of one kind across documents that can be confirmed together (identifiers are
    always reviewed one at a time)."""
    types = services.document_types
    groups = review.list_groups(
        session, caller.key_id, caller.agencies, desk.identifier_fields(types)
    )
    return [
        ReviewGroupPublic(
            id=group.id,
            document_type=group.document_type,
            field_name=group.field_name,
            field_label=_label(services, group.document_type, group.field_name),
            tasks=group.tasks,
            oldest=group.oldest,
        )
        for group in groups
    ]


def _label(services: Services, document_type: str, field_name: str) -> str:
    spec = desk.field_spec(services.document_types, document_type, field_name)
    return spec.labels[0].split(" / ")[0] if spec and spec.labels else field_name


@router.post("/groups/{group_id}/claim", response_model=GroupClaimed)
def claim_review_group(
    group_id: str,
    caller: CallerDep,
    session: SessionDep,
    services: ServicesDep,
    size: Annotated[int, Query(ge=1, le=200)] = GROUP_SIZE,
) -> GroupClaimed:
    """Hold up to ``size`` tasks of the group at once, oldest first."""
    if (tuple(group_id.partition(".")[::2])) in desk.identifier_fields(services.document_types):
        raise ConflictError("identifiers are reviewed one at a time", code="not_groupable")
    ids = review.group_candidates(session, caller.key_id, group_id, caller.agencies, size)
    held = review.claim(session, ids, caller.key_id, _lease(services)) if ids else []
    tasks = [review.get_task(session, task_id, caller.agencies) for task_id in held]
    for task in tasks:
        session.refresh(task)
    return GroupClaimed(id=group_id, items=[task_view(services, t, caller) for t in tasks])


@router.post("/groups/{group_id}/resolve", response_model=GroupOutcome)
def resolve_review_group(
    group_id: str,
    body: GroupDecision,
    caller: CallerDep,
    session: SessionDep,
    services: ServicesDep,
    background: BackgroundTasks,
) -> GroupOutcome:
    """Accept every task shown but the odd ones out, which stay held, to open one at a time."""
    odd = set(body.odd)
    tasks = [review.get_task(session, task_id, caller.agencies) for task_id in body.task_ids]
    if any(f"{t.document_type}.{t.field_name}" != group_id for t in tasks):
        raise ConflictError(f"a task listed is not of group {group_id}", code="not_in_group")
    desk.accept_group(
        session, services.document_types, [t for t in tasks if t.id not in odd], caller.key_id
    )
    kept = review.claim(session, sorted(odd), caller.key_id, _lease(services)) if odd else []
    _after_verification(background, services, session, [t.document_id for t in tasks])
    return GroupOutcome(accepted=len(tasks) - len(odd & set(body.task_ids)), odd=kept)


def _after_verification(
    background: BackgroundTasks, services: Services, session: Session, document_ids: list[str]
) -> None:
    """Queue the signing of a new version of each document whose last review task closed in
    this request, and drop the page images its review needed; background tasks run once the
    request's transaction has committed, so the job reads the corrections."""
    for document_id in sorted(set(document_ids)):
        if repository.open_task_count(session, document_id) == 0:
            background.add_task(enqueue_signing, services, document_id, "review")
            background.add_task(prune_page_images, services, document_id)


@fields_router.get("/{field_id}/history", response_model=list[FieldChangePublic])
def get_field_history(
    field_id: FieldId, caller: CallerDep, session: SessionDep
) -> list[FieldChangePublic]:
    """Every review step of the field, oldest first: who, when, from what to what, and why."""
    changes = review.field_history(session, field_id, caller.agencies)
    return [FieldChangePublic.model_validate(change) for change in changes]
