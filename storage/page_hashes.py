"""Pages by their fingerprints: the bands of each page's perceptual hash, and the pages read
before that a new page may reuse.

A page may be a source only once it is read, by OCR or by reuse (never a page that failed, nor
one whose words came from a text layer), and only within the new page's agency: a key scoped
to agencies finds no other agency's document, so a link to one would point at a row it may not
see. A pixel-identical page is found through the index on ``pages.pixels_sha256``; similar ones
through ``page_hash_bands``' index on (band, value), best first by how many bands they share,
and, as they are confirmed by their document's fields, only from documents read to the end.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from models.status import DOCUMENT_READ, PageStatus, TextSource
from models.tables import Document, Dossier, Page, PageHashBand

SOURCE_TEXT = (TextSource.OCR, TextSource.REUSED)
"""Where a source page's words may have come from."""


def index_bands(session: Session, document_id: str, index: int, bands: Sequence[int]) -> None:
    """Index the bands of a page's perceptual hash (once, as the page is first read)."""
    page_id = session.scalar(
        select(Page.id).where(Page.document_id == document_id, Page.index == index)
    )
    session.add_all(
        PageHashBand(page_id=page_id, band=band, value=value) for band, value in enumerate(bands)
    )


def document_agency(session: Session, document_id: str) -> str:
    query = select(Dossier.agency).join(Document).where(Document.id == document_id)
    return session.scalars(query).one()


def _sources(agency: str) -> list[ColumnElement[bool]]:
    return [
        Page.status == PageStatus.RECOGNIZED,
        Page.text_source.in_(SOURCE_TEXT),
        Dossier.agency == agency,
    ]


def identical_page(
    session: Session, pixels_sha256: str, dpi: int | None, agency: str
) -> Page | None:
    """The first page read with exactly these pixels at this resolution, if any."""
    query = (
        select(Page)
        .join(Document, Document.id == Page.document_id)
        .join(Dossier, Dossier.id == Document.dossier_id)
        .where(Page.pixels_sha256 == pixels_sha256, Page.dpi.is_not_distinct_from(dpi))
        .where(*_sources(agency))
        .order_by(Page.id)
        .limit(1)
    )
    return session.scalars(query).one_or_none()


def similar_pages(session: Session, bands: Sequence[int], agency: str, *, limit: int) -> list[Page]:
    """Up to ``limit`` pages of documents read to the end that share a band of their perceptual
    hash with ``bands``, those sharing the most first."""
    shared = (
        select(PageHashBand.page_id, func.count().label("bands"))
        .where(
            or_(
                *(
                    and_(PageHashBand.band == band, PageHashBand.value == value)
                    for band, value in enumerate(bands)
                )
            )
        )
        .group_by(PageHashBand.page_id)
        .subquery()
    )
    query = (
        select(Page)
        .join(shared, shared.c.page_id == Page.id)
        .join(Document, Document.id == Page.document_id)
        .join(Dossier, Dossier.id == Document.dossier_id)
        .where(*_sources(agency), Document.status.in_(DOCUMENT_READ))
        .order_by(shared.c.bands.desc(), Page.id)
        .limit(limit)
    )
    return list(session.scalars(query))
