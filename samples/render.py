"""Rendering a sample document of a given kind from a seed.

``render_document`` is what tests and benchmarks call; ``compose_document`` lets the dossier
writer render several documents of one case (same applicant, same procedure).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from samples.families import FAMILIES, builder, family_names
from samples.layout import RenderedPage
from samples.procedures import Case, procedure_for, random_case

DOCUMENT_KINDS: tuple[str, ...] = tuple(FAMILIES)


@dataclass(frozen=True)
class RenderedDocument:
    """A document's page images with its ground truth: the drawn text and the printed fields."""

    kind: str
    pages: list[RenderedPage]
    fields: dict[str, str]
    family: str

    @property
    def text(self) -> str:
        """All lines, one per line, with a blank line between pages."""
        return "\n\n".join("\n".join(page.lines) for page in self.pages)


def compose_document(
    kind: str, rng: random.Random, case: Case, pages: int = 1, family: str | None = None
) -> RenderedDocument:
    """Render a document of ``kind`` about ``case`` in ``family`` (the kind's default if None).

    ValueError for an unknown kind or family, a page count the family does not have, or a case
    that lacks what the kind describes (a child for a birth record, a company for a business
    certificate).
    """
    name, build = builder(kind, family)
    rendered_pages, fields = build(rng, case, pages)
    return RenderedDocument(kind, rendered_pages, fields, name)


def render_document(
    kind: str, seed: int, pages: int = 1, family: str | None = None
) -> RenderedDocument:
    """A document of ``kind`` about a random case; the same seed gives the same pixels.

    ``pages`` may be 1 to 3 for the default "don_de_nghi", 1 or 2 for the default
    "dang_ky_doanh_nghiep" and only 1 for the others.
    """
    name, _ = builder(kind, family)
    # The default family keeps the seeds it always had, so its pages stay as they were.
    salt = kind if name == family_names(kind)[0] else f"{kind}/{name}"
    rng = random.Random(f"{salt}/{seed}")
    case = random_case(rng, procedure_for(kind))
    return compose_document(kind, rng, case, pages, name)
