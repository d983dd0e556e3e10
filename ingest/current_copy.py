"""A document's searchable PDF as it stands: the original's pages with the words read under
them, each field an operator corrected laid in (``ocr.corrections``). It is drawn from the
original and the stored words whenever it is wanted (``GET /v1/documents/{id}/pdf``, a signed
version), so that no second copy of the pages is kept beside the original.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from ingest.assembly import carries_own_layer, draw_searchable_pdf, invisible_words, page_text
from ingest.services import Services
from models.tables import Document, Page
from ocr.corrections import Correction, with_corrections
from ocr.words import PageText
from storage import signed_copies


@dataclass(frozen=True)
class CurrentCopy:
    """What the copy is drawn from, read in one transaction."""

    pages: list[Page]
    sha256: str
    media_type: str
    corrections: dict[int, list[Correction]]

    def words(self, services: Services) -> list[PageText]:
        """The words laid under each page."""
        return [
            laid_words(services, page, self.corrections.get(page.index, [])) for page in self.pages
        ]


def current_copy(session: Session, document: Document) -> CurrentCopy:
    """What ``document``'s copy is drawn from now: its pages and the corrections on each."""
    by_page: defaultdict[int, list[Correction]] = defaultdict(list)
    for field in signed_copies.corrected_fields(session, document.id):
        box = (field.box_left, field.box_top, field.box_width, field.box_height)
        if field.page is None or field.value is None or any(v is None for v in box):
            continue
        by_page[field.page].append(Correction(box=box, value=field.value))  # type: ignore[arg-type]
    return CurrentCopy(
        list(document.pages), document.sha256, document.media_type or "", dict(by_page)
    )


def laid_words(services: Services, page: Page, corrections: list[Correction]) -> PageText:
    """The words laid under a page in the copy: those read, with the page's corrections. A page
    whose text is the original's own layer gets none: that layer stays as the sender made it,
    and a correction of a value read from it is in the fields, not laid over it."""
    words = invisible_words(page, page_text(services, page))
    return words if carries_own_layer(page) else with_corrections(words, corrections)


def draw_copy(services: Services, copy: CurrentCopy, words: list[PageText], out: Path) -> None:
    """Write the searchable PDF to ``out`` (the original is fetched beside it)."""
    draw_searchable_pdf(services, copy.pages, words, copy.sha256, copy.media_type, out)
