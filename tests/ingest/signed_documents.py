"""A read card waiting for review, stored as the pipeline stores one, for the signing tests.

The original is a scanned one-page PDF (a JPEG page) carrying a script and an attachment, as
some senders' files do; its words are where they are drawn on the page, and its name was misread
("NGUYỄN VĂN AM"), so that an operator's correction has something to change.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from PIL import Image, ImageDraw, ImageFont

from ingest.services import Services
from models.status import DocumentStatus, DossierStatus, FieldStatus, PageStatus, TextSource
from models.tables import Document, ExtractedField, Page
from ocr.words import PageText, Word
from samples import save_pdf
from storage import repository
from storage.database import transaction
from storage.objects import original_key, page_image_key, page_words_key

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
PRINTED = [("Họ", "và", "tên:"), ("NGUYỄN", "VĂN", "AN")]
"""Two lines of the card: a label, and the name, which OCR misread as AM."""
MISREAD = "NGUYỄN VĂN AM"
RIGHT = "NGUYỄN VĂN AN"


@dataclass(frozen=True)
class ReadCard:
    document_id: str
    dossier_id: str
    receipt_code: str
    original: bytes


def scanned_card_pdf(path: Path) -> list[Word]:
    """Write the card as a scanned PDF with a script and an attachment; its words' boxes."""
    image = Image.new("L", (1240, 620), 255)
    draw, font = ImageDraw.Draw(image), ImageFont.truetype(FONT, 44)
    words = []
    for line, texts in enumerate(PRINTED, start=1):
        x, y = 120, 140 + 160 * (line - 1)
        for text in texts:
            left, top, right, bottom = draw.textbbox((x, y), text, font=font)
            draw.text((x, y), text, fill=0, font=font)
            read = "AM" if text == "AN" else text
            words.append(Word.from_edges(read, 91.0, (left, top, right, bottom), (1, 1, line)))
            x = right + 24
    image.info["dpi"] = (300, 300)
    plain = path.with_suffix(".plain.pdf")
    save_pdf([image], plain)
    with pikepdf.open(plain) as pdf:
        script = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
        pdf.Root.OpenAction = pdf.make_indirect(script)
        pdf.attachments["payload.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ not a scan")
        pdf.save(path)
    return words


def add_read_card(services: Services, folder: Path, receipt_code: str = "SIGN-1") -> ReadCard:
    """The card stored and read, its name waiting for review."""
    path = folder / "card.pdf"
    words = scanned_card_pdf(path)
    data = path.read_bytes()
    sha256 = hashlib.sha256(data).hexdigest()
    services.store.put_bytes(original_key(sha256), data, "application/pdf")
    text = PageText(width=1240, height=620, words=words)
    with transaction(services.sessions) as session:
        dossier = repository.get_or_create_dossier(
            session, repository.NewDossier(receipt_code, "1.001612", "PVHCC")
        )
        dossier.status = DossierStatus.PROCESSING
        document, _ = repository.add_document(
            session,
            Document(
                dossier_id=dossier.id, sha256=sha256, filename="card.pdf", size_bytes=len(data),
                media_type="application/pdf", page_count=1, document_type="cccd",
                status=DocumentStatus.RECOGNIZING,
            ),
        )  # fmt: skip
        words_key = page_words_key(document.id, 1)
        services.store.put_bytes(words_key, json.dumps(text.to_json()).encode())
        services.store.put_bytes(page_image_key(document.id, 1), _png(), "image/png")
        page = Page(
            document_id=document.id, index=1, width=1240, height=620, dpi=300,
            image_key=page_image_key(document.id, 1), words_key=words_key,
            status=PageStatus.RECOGNIZED, text_source=TextSource.OCR, rotation=0,
        )  # fmt: skip
        session.add(page)
        name = [w for w in words if w.line == 2]
        left, top = min(w.left for w in name), min(w.top for w in name)
        right, bottom = max(w.left + w.width for w in name), max(w.top + w.height for w in name)
        field = ExtractedField(
            document_id=document.id, document_type="cccd", name="full_name", raw_text=MISREAD,
            value=MISREAD, confidence=0.6, page=1, box_left=left, box_top=top,
            box_width=right - left, box_height=bottom - top, source=TextSource.OCR,
            status=FieldStatus.NEEDS_REVIEW,
        )  # fmt: skip
        repository.replace_fields(session, document.id, [field])
        session.flush()
        document_id, dossier_id = document.id, dossier.id
    with transaction(services.sessions) as session:
        repository.move_document(session, document_id, DocumentStatus.NEEDS_REVIEW)
        repository.settle_dossier(session, dossier_id)
    return ReadCard(document_id, dossier_id, receipt_code, data)


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("L", (1240, 620), 255).save(out, format="PNG")
    return out.getvalue()
