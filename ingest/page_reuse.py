"""The same page digitized once: a page already read in another dossier is found, confirmed,
and its words copied instead of reading the page again.

A page job fingerprints the page it drew (``ocr.fingerprint``) and looks for a source among the
pages read before in its agency (``storage.page_hashes``):

1. a page of exactly the same pixels at the same resolution: it reads exactly as its twin did,
   so it is reused as it is;
2. otherwise, pages whose perceptual hash is within ``MAX_DISTANCE`` bits, nearest first, at
   most ``MAX_CANDIDATES``: such a page is reused only when every identifying value its
   document read on it (``ocr.fields.reread.CONFIRMING_KINDS``) is read again, exactly, by OCR
   of a crop of the new page at the same place. A candidate without such values on that page
   is not reused: nothing then tells a re-scan from the same form filled in for another person.

A reused page's words are the source's, their boxes scaled to the new page's size, stored
under the new page's own key (each document's objects stand alone, so that no other
document's changes reach them); its text source is ``reused`` and it links the source page.
Its document's fields are then extracted from them as from any page, so they are the source's.
``force_ocr`` reads every page by OCR.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ingest.page_image import PageImage
from ingest.review import field_kind
from ingest.services import Services
from models.tables import Page
from ocr.fields.reread import CONFIRMING_KINDS, Candidate, KnownValue, first_confirmed
from ocr.fingerprint import MAX_DISTANCE, PageFingerprint, hash_distance
from ocr.words import PageText
from storage import page_hashes, repository
from storage.database import transaction

log = logging.getLogger(__name__)

MAX_CANDIDATES = 8
"""Similar pages weighed for one page at most: a popular form shares its hash with thousands
of pages filled in for other people, and each candidate may cost crops read by OCR."""


@dataclass(frozen=True)
class Reuse:
    source: Page
    text: PageText
    """The source's words, in the new page's pixels."""


@dataclass(frozen=True)
class ReuseSearch:
    """What looking for a page's source found: the reuse, if any, and how many similar pages
    the confirmation turned down."""

    reuse: Reuse | None
    rejected: int


def find_reuse(
    services: Services, document_id: str, page: PageImage, fingerprint: PageFingerprint
) -> ReuseSearch:
    """A page read before that ``page`` (of ``document_id``) may take its words from. What
    was found is logged, with the similar pages turned down (``similar_rejected``) and the
    seconds spent looking (``seconds``)."""
    started = time.perf_counter()
    search = _search(services, document_id, page, fingerprint)
    seconds = time.perf_counter() - started
    if search.reuse is not None or search.rejected:
        found = "no page to reuse"
        if search.reuse is not None:
            source = search.reuse.source
            found = f"reused page {source.index} of document {source.document_id}"
        log.info(
            "page %d of document %s: %s; %d similar page(s) turned down, %.2f s",
            page.index, document_id, found, search.rejected, seconds,
            extra={"similar_rejected": search.rejected, "seconds": seconds},
        )  # fmt: skip
    return search


def _search(
    services: Services, document_id: str, page: PageImage, fingerprint: PageFingerprint
) -> ReuseSearch:
    with transaction(services.sessions) as session:
        agency = page_hashes.document_agency(session, document_id)
        twin = page_hashes.identical_page(session, fingerprint.pixels_sha256, page.dpi, agency)
        candidates = [] if twin is not None else _candidates(services, session, agency, fingerprint)
    if twin is not None:
        return _found(services, page, twin, 0)
    weighed = [confirmable for _, confirmable in candidates]
    confirmed = first_confirmed(page.image, services.ocr, page.dpi, weighed)
    if confirmed is not None:
        return _found(services, page, candidates[confirmed][0], confirmed)
    return ReuseSearch(None, len(candidates))


def _candidates(
    services: Services, session: Session, agency: str, fingerprint: PageFingerprint
) -> list[tuple[Page, Candidate]]:
    """Similar pages within ``MAX_DISTANCE``, nearest first, each as the confirmation weighs
    it."""
    similar = page_hashes.similar_pages(session, fingerprint.bands, agency, limit=MAX_CANDIDATES)
    near = [(distance(page, fingerprint), page) for page in similar]
    near.sort(key=lambda pair: (pair[0], pair[1].id))
    return [(page, _weighed(services, session, page)) for d, page in near if d <= MAX_DISTANCE]


def _weighed(services: Services, session: Session, page: Page) -> Candidate:
    values = known_values(services, session, page)
    return Candidate((page.width, page.height), page.rotation or 0, values)


def distance(page: Page, fingerprint: PageFingerprint) -> int:
    """Bits between a stored page's perceptual hash and ``fingerprint``'s."""
    return hash_distance(page.perceptual_hash or "0", fingerprint.perceptual_hash)


def known_values(services: Services, session: Session, page: Page) -> tuple[KnownValue, ...]:
    """The identifying values ``page``'s document read on it, with their boxes."""
    values = []
    for field in repository.document_fields(session, page.document_id):
        kind = field_kind(services.document_types, field.document_type, field.name)
        left, top, width, height = field.box_left, field.box_top, field.box_width, field.box_height
        if field.page != page.index or kind not in CONFIRMING_KINDS or not field.value:
            continue
        if left is not None and top is not None and width and height:
            box = (left, top, width, height)
            values.append(KnownValue(field.name, kind, field.value, field.raw_text, box))
    return tuple(values)


def _found(services: Services, page: PageImage, source: Page, rejected: int) -> ReuseSearch:
    assert source.words_key is not None  # a page read has its words stored
    words = PageText.from_json(json.loads(services.store.get_bytes(source.words_key)))
    text = words.scaled_to(page.image.width, page.image.height)
    return ReuseSearch(Reuse(source, text), rejected)
