"""/docs in a real browser with no internet: Swagger UI renders every operation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page

METHODS = {"get", "post", "put", "patch", "delete"}


def test_the_api_docs_render_every_operation_without_the_internet(
    browser_page: Page, outside_requests: list[str], shot: Callable[[str], Path]
) -> None:
    paths = browser_page.request.get("/openapi.json").json()["paths"]
    operations = sum(len(METHODS & set(item)) for item in paths.values())
    browser_page.goto("/docs")
    browser_page.locator(".opblock").first.wait_for(timeout=15_000)
    assert browser_page.locator(".opblock").count() == operations > 10
    assert outside_requests == []
    assert shot("docs").stat().st_size > 0
