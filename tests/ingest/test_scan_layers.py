"""A scan's text layer is checked against OCR of the scan; a born-digital one is trusted as is.

The PDFs are made here: a generated CCCD card scanned to an image-only PDF, then given an
invisible text layer the way sohoa's own searchable PDF is written (``ocr.searchable_pdf``):
an honest layer of what OCR reads on the card, or a forged one in which the holder's name,
number and address say somebody else. The born-digital card draws the same lines as text.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image

from ingest.intake import IncomingFile, receive_dossier
from ingest.queues import ALL_QUEUES, worker
from ingest.services import Services
from models.config import Settings
from models.errors import NotFoundError
from models.status import DOCUMENT_READ, FieldStatus, SubjectKind, TextSource
from models.tables import ExtractedField
from ocr.engine import OcrEngine, OrientationGuess, make_engine
from ocr.fields.crosscheck import AGREES, NO_OCR_TEXT
from ocr.fields.doctypes import load_document_types, subject_fields
from ocr.fields.extract import extract_fields
from ocr.reading import read_page
from ocr.searchable_pdf import PageLayer, write_searchable_pdf
from ocr.text_layer import read_text_layer
from ocr.words import PageText
from samples import RenderedDocument, render_document, save_pdf
from storage import repository
from storage.database import transaction
from storage.objects import page_image_words_key, page_layer_words_key
from storage.subjects import find_subject, known_values

pytestmark = pytest.mark.slow

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FORGED_NAME = "TRẦN THỊ BÌNH"
FORGED_FIELDS = ("full_name", "cccd_number", "place_of_residence")


@dataclass(frozen=True)
class Card:
    """A card, the image-only PDF of its scan, and OCR's words on that scan."""

    document: RenderedDocument
    scan: Path
    words: PageText

    def value(self, name: str) -> str:
        return self.document.fields[name]


@pytest.fixture(scope="module")
def card(tmp_path_factory: pytest.TempPathFactory) -> Card:
    document = render_document("cccd", seed=12)
    path = tmp_path_factory.mktemp("card") / "scan.pdf"
    save_pdf([document.pages[0].image], path)
    engine = make_engine(Settings(_env_file=None).ocr_languages)  # type: ignore[call-arg]
    words = read_page(document.pages[0].image, 300, engine).text
    return Card(document, path, words)


def with_layer(card: Card, words: PageText, path: Path) -> Path:
    """The card's scan with ``words`` laid over it as an invisible text layer."""
    layers = [PageLayer(text=words, rotation=0)]
    write_searchable_pdf(card.scan, "application/pdf", layers, path, image_dpi=[None])
    return path


def forged_words(card: Card, values: dict[str, str]) -> PageText:
    """OCR's words on the card, with the words of each field in ``values`` replaced by one word
    carrying the forged value over the same place."""
    located = {
        f.name: f.located for f in extract_fields([card.words], load_document_types()).fields
    }
    words = list(card.words.words)
    for name, value in values.items():
        box = located[name]
        assert box is not None
        left, top, width, height = box.box
        inside = [w for w in words if left <= w.left + w.width / 2 <= left + width
                  and top <= w.top + w.height / 2 <= top + height]  # fmt: skip
        first = inside[0]
        words = [w for w in words if w not in inside[1:]]
        right = max(w.left + w.width for w in inside if w.line == first.line)
        words[words.index(first)] = replace(first, text=value, width=right - first.left)
    return PageText(width=card.words.width, height=card.words.height, words=words)


def other_values(card: Card) -> dict[str, str]:
    """Another citizen's name and address, and a number of the same structure as the card's
    (another province's code), so that every check but OCR's would pass them."""
    other = render_document("cccd", seed=13)
    return {
        "full_name": FORGED_NAME,
        "cccd_number": "001" + card.value("cccd_number")[3:],
        "place_of_residence": other.fields["place_of_residence"],
    }


def born_digital(card: Card, path: Path) -> Path:
    """The card's lines drawn as text on an A6 page, as an agency's software would export it."""
    pdf = FPDF(unit="pt", format=(420, 298))
    pdf.add_font("dejavu", fname=FONT)
    pdf.set_font("dejavu", size=9)
    pdf.add_page()
    for number, line in enumerate(card.document.pages[0].lines):
        pdf.text(20, 24 + 14 * number, line)
    pdf.output(str(path))
    return path


class CountingEngine:
    """The real engine, counting the pages it is given."""

    def __init__(self, engine: OcrEngine) -> None:
        self.engine, self.pages = engine, 0

    def recognize(self, image: Image.Image, *, dpi: int | None = None) -> PageText:
        self.pages += 1
        return self.engine.recognize(image, dpi=dpi)

    def detect_orientation(self, image: Image.Image) -> OrientationGuess:
        return self.engine.detect_orientation(image)


@pytest.fixture
def counting(services: Services) -> Iterator[CountingEngine]:
    engine = CountingEngine(services.ocr)
    services.ocr = engine
    yield engine


def digitize(services: Services, path: Path, receipt_code: str) -> str:
    """Receive ``path`` as a one-file dossier, run every job to the end; the document's id."""
    new = repository.NewDossier(receipt_code, "1.001612", "PVHCC")
    incoming = IncomingFile(path.name, io.BytesIO(path.read_bytes()))
    _, (received,) = receive_dossier(services, new, [incoming])
    worker(ALL_QUEUES, services.redis, services.settings).work(burst=True)
    return received.document.id


def stored_fields(services: Services, document_id: str) -> dict[str, ExtractedField]:
    with transaction(services.sessions) as session:
        document = repository.get_document(session, document_id)
        assert document.status in DOCUMENT_READ, document.error_reason
        return {f.name: f for f in repository.document_fields(session, document_id)}


def page_source(services: Services, document_id: str) -> TextSource | None:
    with transaction(services.sessions) as session:
        return repository.get_document(session, document_id).pages[0].text_source


def reasons(field: ExtractedField) -> list[str]:
    return [reason["text"] for reason in json.loads(field.reasons or "[]")]


def citizen_values(services: Services, number: str) -> dict[str, str | None]:
    with transaction(services.sessions) as session:
        subject = find_subject(session, SubjectKind.CITIZEN, number)
        known = known_values(session, subject.id, subject_fields(services.document_types))
        return {name: field.value for name, field in known.items()}


def test_a_forged_layer_over_a_scan_sends_its_values_to_review(
    services: Services, card: Card, counting: CountingEngine, tmp_path: Path
) -> None:
    forged = other_values(card)
    layer = forged_words(card, forged)
    path = with_layer(card, layer, tmp_path / "forged.pdf")
    # the layer alone would have had every forged value accepted
    alone = read_text_layer(path, 1, dpi=300, width=layer.width, height=layer.height).page
    assert alone is not None
    trusted = {f.name: f for f in extract_fields([alone], services.document_types).fields}
    assert all(trusted[name].accepted for name in FORGED_FIELDS)

    document_id = digitize(services, path, "FORGED-1")
    assert page_source(services, document_id) == TextSource.SCAN_TEXT_LAYER
    assert counting.pages == 1
    fields = stored_fields(services, document_id)
    for name in FORGED_FIELDS:
        assert fields[name].status == FieldStatus.NEEDS_REVIEW, name
        assert fields[name].value == trusted[name].checked.value  # kept for the operator to see
        assert fields[name].source == TextSource.SCAN_TEXT_LAYER
    (said,) = [r for r in reasons(fields["full_name"]) if r.startswith("the PDF's text layer")]
    assert said == (
        f"the PDF's text layer says '{FORGED_NAME}'; OCR of the page image reads "
        f"'{card.value('full_name')}'"
    )
    assert fields["date_of_birth"].status == FieldStatus.AUTO_ACCEPTED
    assert AGREES in reasons(fields["date_of_birth"])
    with transaction(services.sessions) as session, pytest.raises(NotFoundError):
        find_subject(session, SubjectKind.CITIZEN, forged["cccd_number"])


def test_a_forged_name_and_address_leave_the_citizens_known_values_alone(
    services: Services, card: Card, tmp_path: Path
) -> None:
    honest = digitize(services, with_layer(card, card.words, tmp_path / "honest.pdf"), "HONEST-1")
    assert stored_fields(services, honest)["full_name"].status == FieldStatus.AUTO_ACCEPTED
    forged = {k: v for k, v in other_values(card).items() if k != "cccd_number"}
    path = with_layer(card, forged_words(card, forged), tmp_path / "forged.pdf")
    document_id = digitize(services, path, "FORGED-2")
    fields = stored_fields(services, document_id)
    assert fields["cccd_number"].status == FieldStatus.AUTO_ACCEPTED  # the true number
    assert fields["full_name"].status == FieldStatus.NEEDS_REVIEW
    known = citizen_values(services, card.value("cccd_number"))
    assert known["full_name"] == stored_fields(services, honest)["full_name"].value
    assert known["place_of_residence"] == card.value("place_of_residence")
    assert FORGED_NAME not in known.values()


def test_an_honest_layer_over_a_scan_is_accepted_as_before(
    services: Services, card: Card, counting: CountingEngine, tmp_path: Path
) -> None:
    path = with_layer(card, card.words, tmp_path / "honest.pdf")
    alone = read_text_layer(path, 1, dpi=300, width=card.words.width, height=card.words.height)
    assert alone.page is not None
    before = {
        f.name: f.accepted for f in extract_fields([alone.page], services.document_types).fields
    }
    document_id = digitize(services, path, "HONEST-2")
    assert page_source(services, document_id) == TextSource.SCAN_TEXT_LAYER
    assert counting.pages == 1
    fields = stored_fields(services, document_id)
    assert {name: f.status == FieldStatus.AUTO_ACCEPTED for name, f in fields.items()} == before
    assert all(before[name] for name in FORGED_FIELDS)
    assert all(AGREES in reasons(field) for field in fields.values())
    assert citizen_values(services, card.value("cccd_number"))["full_name"] is not None


def test_a_born_digital_card_is_not_ocred_and_trusted_as_before(
    services: Services, card: Card, counting: CountingEngine, tmp_path: Path
) -> None:
    path = born_digital(card, tmp_path / "card.pdf")
    document_id = digitize(services, path, "DIGITAL-1")
    assert page_source(services, document_id) == TextSource.TEXT_LAYER
    assert counting.pages == 0
    for key in (page_layer_words_key(document_id, 1), page_image_words_key(document_id, 1)):
        assert not services.store.exists(key)
    fields = stored_fields(services, document_id)
    assert fields["cccd_number"].value == card.value("cccd_number")
    assert fields["cccd_number"].status == FieldStatus.AUTO_ACCEPTED
    assert all(field.source == TextSource.TEXT_LAYER for field in fields.values())
    assert not any(AGREES in reasons(f) or NO_OCR_TEXT in reasons(f) for f in fields.values())
