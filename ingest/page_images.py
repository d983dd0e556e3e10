"""Page images: kept while the review desk needs them, drawn again from the original otherwise.

A page image holds as many bytes as the original's page does. So a read document keeps the
images of the pages that fields waiting for review are on (the desk crops them, and must do it
at once), drops the others, and drops the rest once its review is done. An image asked for that
is not kept is drawn from the original, in a sandboxed child as the page jobs draw it, at the
same resolution, so the words' boxes fit it the same.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from sqlalchemy import select

from ingest.originals import local_original
from ingest.page_image import EncodedPage
from ingest.page_store import encoded_page
from ingest.pages import PageImage, draw_sandboxed
from ingest.sandbox import Limits
from ingest.services import Services
from models.errors import NotFoundError
from models.tables import ExtractedField, Page, ReviewTask
from storage.database import transaction


def prune_page_images(services: Services, document_id: str) -> int:
    """Delete the stored images of the document's pages no open review task's field is on;
    returns how many went."""
    with transaction(services.sessions) as session:
        pages = session.execute(
            select(Page.index, Page.image_key).where(Page.document_id == document_id)
        ).all()
        in_review = set(session.scalars(
            select(ExtractedField.page)
            .join(ReviewTask, ReviewTask.field_id == ExtractedField.id)
            .where(ReviewTask.document_id == document_id, ~ReviewTask.closed)
        ))  # fmt: skip
    gone = [key for index, key in pages if index not in in_review and services.store.exists(key)]
    for key in gone:
        services.store.delete(key)
    return len(gone)


def page_image(services: Services, page: Page) -> EncodedPage:
    """The page image the words' boxes refer to: the one kept, or one drawn from the original."""
    try:
        media_type = services.store.stat(page.image_key).content_type
        kept = services.store.get_bytes(page.image_key)
    except NotFoundError:  # not kept, or pruned meanwhile
        document = page.document
        drawn = draw_page(services, document.sha256, document.media_type or "", page.index)
        return encoded_page(drawn)
    return EncodedPage(kept, media_type, "")


def draw_page(services: Services, sha256: str, media_type: str, index: int) -> PageImage:
    """Draw one page of the original on this host, in a sandboxed child."""
    settings = services.settings
    path = local_original(services, sha256)
    limits = Limits.from_settings(settings)
    with tempfile.TemporaryDirectory(prefix="sohoa-page-") as folder:
        return draw_sandboxed(path, Path(folder), media_type, index, settings.rasterize_dpi, limits)
