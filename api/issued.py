"""Which paper a result document is: the number and date of issue its type's fields give."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TypedDict

from models.tables import Document
from ocr.fields.doctypes import DocumentType


class Issued(TypedDict, total=False):
    issued_number: str | None
    issued_on: date | None


def issued(document: Document, types: Mapping[str, DocumentType]) -> Issued:
    """``issued_number`` and ``issued_on`` of a result whose type names them and whose fields
    were read; nothing for the papers handed in."""
    known = types.get(document.document_type or "")
    if not document.is_result or known is None or known.issued is None:
        return Issued()
    values = {field.name: field.value for field in document.fields if field.value}
    day = values.get(known.issued.date or "")
    try:
        issued_on = date.fromisoformat(day) if day else None
    except ValueError:  # a value an operator has not yet made a date
        issued_on = None
    return Issued(issued_number=values.get(known.issued.number), issued_on=issued_on)
