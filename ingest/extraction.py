"""Storing what field extraction read from a document: its type, its fields, its subjects.

Runs in ``finalize`` (queue ``extract``) once all pages are read. A CCCD number or enterprise
code that was accepted (valid, and read surely enough) links the document to its citizen or
enterprise, created on first sight, so a later application can find everything already
digitized about them. A number sent to review links nothing: a CCCD number has no check digit,
and one misread digit would file the papers under somebody else. Nor does one read from a
scan's text layer that OCR of the scan does not confirm: the layer may say anything.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from ingest.services import Services
from models.status import FieldStatus, SubjectKind, TextSource
from models.tables import ExtractedField
from ocr.fields.crosscheck import check_against_image
from ocr.fields.doctypes import ValueKind
from ocr.fields.extract import Extraction, FieldReading, extract_fields
from ocr.words import PageText
from storage import repository
from storage.database import transaction

SUBJECT_KINDS = {ValueKind.CCCD: SubjectKind.CITIZEN, ValueKind.TAX_CODE: SubjectKind.ENTERPRISE}


def store_fields(
    services: Services,
    document_id: str,
    pages: Sequence[PageText],
    sources: Sequence[TextSource],
    image_readings: Sequence[PageText | None] = (),
) -> Extraction:
    """Extract and store the document's fields; ``sources`` says where each page's words came
    from, which becomes each field's source. ``image_readings`` holds OCR of the page image of
    each page read from a scan's text layer (None for the others): a value taken from such a
    layer is accepted only where OCR reads the same (``ocr.fields.crosscheck``)."""
    extraction = extract_fields(pages, services.document_types)
    kinds = {}
    if extraction.document_type in services.document_types:
        document_type = services.document_types[extraction.document_type]
        kinds = {spec.name: spec.kind for spec in document_type.fields}
    if any(reading is not None for reading in image_readings):
        extraction = check_against_image(extraction, kinds, pages, image_readings)
    rows = [
        _row(document_id, extraction.document_type, field, sources) for field in extraction.fields
    ]
    with transaction(services.sessions) as session:
        document = repository.get_document(session, document_id)
        document.document_type = extraction.document_type
        document.type_score = extraction.type_score
        repository.replace_fields(session, document_id, rows)
        for field in extraction.fields:
            subject_kind = SUBJECT_KINDS.get(kinds.get(field.name, ValueKind.TEXT))
            if subject_kind is not None and field.accepted and field.checked.value:
                repository.link_subject(
                    session, document_id, subject_kind, field.checked.value, field.name
                )
    return extraction


def _row(
    document_id: str, document_type: str, field: FieldReading, sources: Sequence[TextSource]
) -> ExtractedField:
    located = field.located
    page = located.page if located else None
    box = located.box if located else (None, None, None, None)
    return ExtractedField(
        document_id=document_id,
        document_type=document_type,
        name=field.name,
        raw_text=field.raw,
        value=field.checked.value,
        confidence=field.confidence,
        page=page,
        box_left=box[0],
        box_top=box[1],
        box_width=box[2],
        box_height=box[3],
        source=sources[page - 1] if page else TextSource.OCR,
        status=FieldStatus.AUTO_ACCEPTED if field.accepted else FieldStatus.NEEDS_REVIEW,
        problems=json.dumps(list(field.checked.problems), ensure_ascii=False),
        reasons=json.dumps(
            [{"text": reason.text, "supports": reason.supports} for reason in field.reasons],
            ensure_ascii=False,
        ),
        details=json.dumps(field.checked.details, ensure_ascii=False),
    )
