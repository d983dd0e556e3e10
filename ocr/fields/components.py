"""The papers a dossier holds against those its procedure asks for, once its documents are typed.

The procedure's ``components`` (``procedures.yaml``) name the document types its dossier must
hold. A document still being read is pending: until none is, a paper not yet seen may be among
them, so the answer says how many are pending rather than calling the paper missing too early.
A document that could not be read, or that is a result the agency issued, answers for no paper.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ocr.fields.procedure import Component, load_catalogue


@dataclass(frozen=True)
class TypedDocument:
    id: str
    document_type: str | None
    pending: bool
    """Not yet classified, and still being read (not failed)."""


@dataclass(frozen=True)
class ComponentFound:
    component: Component
    document_ids: tuple[str, ...]

    @property
    def missing(self) -> bool:
        return not self.document_ids

    @property
    def repeated(self) -> bool:
        return len(self.document_ids) > self.component.copies


@dataclass(frozen=True)
class ComponentCheck:
    procedure_code: str
    components: tuple[ComponentFound, ...]
    pending: int

    @property
    def missing(self) -> list[Component]:
        return [found.component for found in self.components if found.missing]

    @property
    def repeated(self) -> list[Component]:
        return [found.component for found in self.components if found.repeated]


def check_components(
    procedure_code: str, documents: Iterable[TypedDocument]
) -> ComponentCheck | None:
    """Each component of the procedure with the documents that are it; None when the catalogue
    lists no components for ``procedure_code`` (or does not know it)."""
    procedure = load_catalogue().find(procedure_code)
    if procedure is None or not procedure.components:
        return None
    documents = list(documents)
    found = tuple(
        ComponentFound(
            component,
            tuple(d.id for d in documents if d.document_type == component.document_type),
        )
        for component in procedure.components
    )
    return ComponentCheck(procedure.code, found, sum(d.pending for d in documents))
