"""``/stats``: the dashboard of an administrator or a manager, drawn on the server.

Documents received and digitized per day, the digitization, reuse and straight-through rates,
the review backlog by age, how long each stage's jobs run (p50/p95 of the last hour's), and
per procedure the dossiers done by their due date. Counts and rates only: nothing that names a
person. A browser that is not signed in is sent to sign in (``api.errors``) and back.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from statistics import quantiles
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from api import charts
from api.auth import CallerDep
from api.deps import ServicesDep, SessionDep
from api.routes.pages import PAGE_HEADERS, STATIC_URL, templates
from api.routes.review import age_band
from ingest.services import Services
from ingest.stage_times import stage_durations
from storage import reuse, review_queue, stats

router = APIRouter(include_in_schema=False)


@router.get("/stats", response_class=HTMLResponse)
def stats_page(
    request: Request,
    caller: CallerDep,
    session: SessionDep,
    services: ServicesDep,
    days: Annotated[int, Query(ge=1, le=366)] = 30,
) -> HTMLResponse:
    zone = services.settings.zone
    last_day = datetime.now(zone).date()
    first_day = last_day - timedelta(days=days - 1)
    figures = stats.figures(session, first_day, last_day, zone)
    since = datetime.combine(first_day, time(), zone)
    reused = reuse.reuse_rate(session, since, datetime.now(UTC))
    backlog = review_queue.open_tasks(session, caller.key_id, caller.agencies)
    per_day = charts.columns(
        [(f"{d.day:%d/%m}", (float(d.received), float(d.digitized))) for d in figures.days],
        label_every=max(1, len(figures.days) // 10),
    )
    bands = [age_band(index, count) for index, count in enumerate(backlog.by_age)]
    ages = charts.columns([(band.label, (float(band.tasks),)) for band in bands], width=360)
    context = {
        "static": STATIC_URL,
        "who": caller.name,
        "first_day": first_day,
        "last_day": last_day,
        "figures": figures,
        "per_day": per_day,
        "rates": [
            (
                "digitization",
                "Tỉ lệ số hóa",
                figures.digitization_rate,
                f"{figures.read} / {figures.read + figures.failed} tài liệu",
            ),
            (
                "reuse",
                "Tỉ lệ tái sử dụng",
                reused.rate,
                f"{reused.documents_reused} / {reused.documents_digitized} tài liệu",
            ),
            (
                "straight-through",
                "Tỉ lệ không cần kiểm tra",
                figures.straight_through_rate,
                f"{figures.straight_through} / {figures.read} tài liệu",
            ),
            (
                "results",
                "Kết quả giải quyết đã số hóa",
                figures.results_rate,
                f"{figures.results_read} / {figures.results_received} kết quả",
            ),
        ],
        "backlog": backlog,
        "ages": ages,
        "stages": _stage_table(services),
    }
    return templates.TemplateResponse(request, "stats.html", context, headers=PAGE_HEADERS)


STAGE_LABELS = {"prepare": "Chuẩn bị trang", "ocr_page": "Nhận dạng một trang",
                "extract": "Trích xuất trường"}  # fmt: skip


StageRow = tuple[str, int, float | None, float | None]


def _stage_table(services: Services) -> list[StageRow]:
    """Per stage: jobs finished in the last hour, and their p50 and p95 in seconds."""
    rows: list[StageRow] = []
    for stage, durations in stage_durations(services.redis, services.settings).items():
        p50: float | None
        p95: float | None
        if len(durations) >= 2:
            cuts = quantiles(durations, n=100, method="inclusive")
            p50, p95 = cuts[49], cuts[94]
        else:
            p50 = p95 = durations[0] if durations else None
        rows.append((STAGE_LABELS[stage], len(durations), p50, p95))
    return rows
