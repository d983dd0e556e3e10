"""Rendering a sample document of a given kind from a seed.

``render_document`` is what tests and benchmarks call; ``compose_document`` lets the dossier
writer render several documents of one case (same applicant, same procedure).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from samples.card import build_identity_card
from samples.forms import build_application, build_birth_record, build_business_certificate
from samples.land import build_land_use_certificate
from samples.layout import Built, RenderedPage
from samples.procedures import Case, procedure_for, random_case

DOCUMENT_KINDS: tuple[str, ...] = (
    "don_de_nghi",
    "cccd",
    "dang_ky_doanh_nghiep",
    "khai_sinh",
    "quyen_su_dung_dat",
)

_BUILDERS: dict[str, Callable[[random.Random, Case, int], Built]] = {
    "don_de_nghi": build_application,
    "cccd": build_identity_card,
    "dang_ky_doanh_nghiep": build_business_certificate,
    "khai_sinh": build_birth_record,
    "quyen_su_dung_dat": build_land_use_certificate,
}


@dataclass(frozen=True)
class RenderedDocument:
    """A document's page images with its ground truth: the drawn text and the printed fields."""

    kind: str
    pages: list[RenderedPage]
    fields: dict[str, str]

    @property
    def text(self) -> str:
        """All lines, one per line, with a blank line between pages."""
        return "\n\n".join("\n".join(page.lines) for page in self.pages)


def compose_document(kind: str, rng: random.Random, case: Case, pages: int = 1) -> RenderedDocument:
    """Render a document of ``kind`` about ``case``.

    ValueError for an unknown kind, a page count the kind does not have, or a case that lacks
    what the kind describes (a child for a birth record, a company for a business certificate).
    """
    if kind not in _BUILDERS:
        raise ValueError(f"unknown document kind {kind!r}; expected one of {DOCUMENT_KINDS}")
    rendered_pages, fields = _BUILDERS[kind](rng, case, pages)
    return RenderedDocument(kind, rendered_pages, fields)


def render_document(kind: str, seed: int, pages: int = 1) -> RenderedDocument:
    """A document of ``kind`` about a random case; the same seed gives the same pixels.

    ``pages`` may be 1 to 3 for "don_de_nghi", 1 or 2 for "dang_ky_doanh_nghiep" and only 1 for
    the others.
    """
    if kind not in _BUILDERS:
        raise ValueError(f"unknown document kind {kind!r}; expected one of {DOCUMENT_KINDS}")
    rng = random.Random(f"{kind}/{seed}")
    case = random_case(rng, procedure_for(kind))
    return compose_document(kind, rng, case, pages)
