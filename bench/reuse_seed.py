"""A PostgreSQL database filled as a province's would be after years of digitizing: dossiers of
an identity card and an application form for one citizen, their fields, the citizen linked to
both, and the search index (pages' lines and fields' values) built with the service's own
folding, so that look-ups and searches meet the data they would in production.

Rows go in through COPY; the big tables' secondary indexes are dropped first and built again
afterwards from their own definitions (``pg_get_indexdef``), as a restore does, which is far
faster than keeping a GIN index up to date row by row; nor are foreign keys checked row by row
(the rows are made consistent). A citizen comes back for a later dossier now and then (a
renewed card supersedes the older one), and some lines carry an OCR slip (one letter wrong),
which puts the noise a real index holds among the search terms.
"""

from __future__ import annotations

import datetime as dt
import random
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import psycopg

from models.status import DocumentStatus, DossierStatus, FieldStatus
from samples.content import Person, random_person
from samples.procedures import PROCEDURES
from storage.search_index import TERM
from storage.text_folding import fold

AGENCIES = ("PVHCC-HN", "PVHCC-HCM", "PVHCC-DN", "PVHCC-KH", "PVHCC-NA", "PVHCC-QN")
RETURNING = 0.15
"""Share of dossiers filed by a citizen seen before (whose newer card supersedes the older)."""
OCR_SLIP = 0.03
"""Share of lines read with one letter wrong."""
REVIEWED = 0.08
"""Share of fields sent to review; as many again of those were verified by an operator."""
BIG_TABLES = ("search_entries", "fields", "document_subjects", "documents", "pages")
LETTERS = "abcdeghiklmnopqrstuvxy"
HEADER = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


@dataclass
class Seeded:
    """What the load needs to ask for: citizens known to the database, the words indexed."""

    documents: int = 0
    dossiers: int = 0
    citizens: list[Person] = field(default_factory=list)
    terms: set[str] = field(default_factory=set)
    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass
class _Tables:
    dossiers: list[tuple[object, ...]] = field(default_factory=list)
    documents: list[tuple[object, ...]] = field(default_factory=list)
    pages: list[tuple[object, ...]] = field(default_factory=list)
    fields: list[tuple[object, ...]] = field(default_factory=list)
    subjects: list[tuple[object, ...]] = field(default_factory=list)
    document_subjects: list[tuple[object, ...]] = field(default_factory=list)
    search_entries: list[tuple[object, ...]] = field(default_factory=list)


COLUMNS = {
    "dossiers": "id, receipt_code, procedure_code, agency, status, received_at, updated_at",
    "documents": "id, dossier_id, sha256, filename, media_type, size_bytes, page_count, status, "
    "mean_confidence, document_type, type_score, created_at, updated_at",
    "pages": "document_id, index, width, height, dpi, image_key, words_key, word_count, "
    "ocr_confidence, text_source, status, updated_at",
    "fields": "document_id, document_type, name, raw_text, value, confidence, page, box_left, "
    "box_top, box_width, box_height, source, status, problems, updated_at",
    "subjects": "id, kind, identifier, created_at",
    "document_subjects": "document_id, subject_id, field_name",
    "search_entries": "document_id, kind, page, field_name, box_left, box_top, box_width, "
    "box_height, text, folded",
}


def seed(url: str, documents: int, seed: int = 14) -> Seeded:
    """Fill the migrated, empty database at ``url`` with about ``documents`` documents."""
    rng = random.Random(seed)
    result = Seeded()
    began = time.monotonic()
    tables = _generate(rng, documents // 2, result)
    result.seconds["generate"] = time.monotonic() - began
    with psycopg.connect(url, autocommit=True) as connection:
        indexes = _drop_indexes(connection)
        began = time.monotonic()
        connection.execute("SET session_replication_role = replica")  # no foreign-key triggers
        for table, column_list in COLUMNS.items():
            rows = getattr(tables, table)
            _copy(connection, table, column_list, rows)
            result.rows[table] = len(rows)
        terms = sorted(result.terms)
        _copy(connection, "search_terms", "term, length", ((t, len(t)) for t in terms))
        result.rows["search_terms"] = len(terms)
        connection.execute("SET session_replication_role = DEFAULT")
        result.seconds["copy"] = time.monotonic() - began
        began = time.monotonic()
        connection.execute("SET maintenance_work_mem = '256MB'")
        for definition in indexes:
            connection.execute(definition)
        result.seconds["indexes"] = time.monotonic() - began
        began = time.monotonic()
        connection.execute("VACUUM ANALYZE")
        result.seconds["analyze"] = time.monotonic() - began
    return result


def _drop_indexes(connection: psycopg.Connection) -> list[str]:
    """The big tables' secondary indexes dropped, and how to build each again."""
    found = connection.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisprimary AND NOT i.indisunique",
        [list(BIG_TABLES)],
    ).fetchall()
    for name, _ in found:
        connection.execute(f"DROP INDEX {name}")
    return [definition for _, definition in found]


def _copy(connection: psycopg.Connection, table: str, columns: str, rows: object) -> None:
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:  # type: ignore[attr-defined]
            copy.write_row(row)


def _ids(rng: random.Random) -> Iterator[str]:
    while True:
        yield str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _generate(rng: random.Random, dossiers: int, result: Seeded) -> _Tables:
    tables = _Tables()
    ids = _ids(rng)
    today = dt.date(2026, 12, 1)
    start = dt.datetime(2024, 12, 1, tzinfo=dt.UTC)
    span = (dt.datetime(2026, 12, 1, tzinfo=dt.UTC) - start).total_seconds()
    moments = sorted(start + dt.timedelta(seconds=rng.random() * span) for _ in range(dossiers))
    subject_of: dict[str, str] = {}
    for number, received in enumerate(moments):
        if result.citizens and rng.random() < RETURNING:
            person = rng.choice(result.citizens)
        else:
            person = random_person(rng, today=today)
            result.citizens.append(person)
        subject_id = subject_of.get(person.cccd_number)
        if subject_id is None:
            subject_id = subject_of[person.cccd_number] = next(ids)
            tables.subjects.append((subject_id, "citizen", person.cccd_number, received))
        procedure = rng.choice(PROCEDURES)
        dossier_id = next(ids)
        agency = rng.choice(AGENCIES)
        receipt = f"{agency[-2:]}-{received:%y%m%d}-{number:06d}"
        statuses = [_document(rng, tables, ids, dossier_id, kind, person, procedure.name,
                              received + dt.timedelta(seconds=n), subject_id, result.terms)
                    for n, kind in enumerate(("cccd", "don_de_nghi"))]  # fmt: skip
        status = DossierStatus.DIGITIZED
        if DocumentStatus.NEEDS_REVIEW in statuses:
            status = DossierStatus.NEEDS_REVIEW
        tables.dossiers.append(
            (dossier_id, receipt, procedure.code, agency, status, received, received)
        )
    result.dossiers = dossiers
    result.documents = len(tables.documents)
    return tables


def _document(
    rng: random.Random,
    tables: _Tables,
    ids: Iterator[str],
    dossier_id: str,
    kind: str,
    person: Person,
    procedure: str,
    received: dt.datetime,
    subject_id: str,
    terms: set[str],
) -> str:
    document_id = next(ids)
    values = _values(rng, kind, person, procedure, received)
    statuses = [_field_status(rng) for _ in values]
    status = DocumentStatus.NEEDS_REVIEW if FieldStatus.NEEDS_REVIEW in statuses else "digitized"
    sha = uuid.UUID(int=rng.getrandbits(128)).hex * 2
    tables.documents.append(
        (document_id, dossier_id, sha, f"{kind}.jpg", "image/jpeg", rng.randint(90_000, 900_000),
         1, status, round(rng.uniform(0.85, 0.97), 3), kind, 0.9, received, received)
    )  # fmt: skip
    tables.pages.append(
        (document_id, 0, 2480, 3508, 300, f"documents/{document_id}/pages/0.jpg",
         f"documents/{document_id}/ocr/0.json", 180, 91.0, "ocr", "done", received)
    )  # fmt: skip
    tables.document_subjects.append((document_id, subject_id, "cccd_number"))
    top = 400
    for (name, value), field_status in zip(values.items(), statuses, strict=True):
        top += 90
        box = (300, top, 40 * min(len(value), 40), 60)
        tables.fields.append(
            (document_id, kind, name, value, value, _confidence(rng, field_status), 0, *box,
             "operator" if field_status == FieldStatus.VERIFIED else "ocr", field_status,
             "[]", received)
        )  # fmt: skip
        _index(tables, terms, document_id, "field", name, box, value)
    for n, line in enumerate(_lines(rng, kind, person, procedure)):
        _index(tables, terms, document_id, "line", None, (200, 150 + 70 * n, 1800, 55), line)
    return status


def _index(
    tables: _Tables,
    terms: set[str],
    document_id: str,
    kind: str,
    name: str | None,
    box: tuple[int, int, int, int],
    text: str,
) -> None:
    folded = fold(text)
    tables.search_entries.append((document_id, kind, 0, name, *box, text, folded))
    terms.update(TERM.findall(folded))


def _values(
    rng: random.Random, kind: str, person: Person, procedure: str, received: dt.datetime
) -> dict[str, str]:
    born = person.date_of_birth.isoformat()
    if kind == "cccd":
        expiry = person.card_expiry
        if "/" in expiry:
            expiry = dt.datetime.strptime(expiry, "%d/%m/%Y").date().isoformat()
        return {
            "cccd_number": person.cccd_number, "full_name": person.full_name,
            "date_of_birth": born, "sex": person.sex, "nationality": "Việt Nam",
            "place_of_origin": person.origin, "place_of_residence": person.address.text,
            "date_of_expiry": expiry,
        }  # fmt: skip
    return {
        "recipient": f"Ủy ban nhân dân {person.address.ward}", "full_name": person.full_name,
        "sex": person.sex, "date_of_birth": born, "cccd_number": person.cccd_number,
        "address": person.address.text, "phone": person.phone, "procedure": procedure,
        "date_signed": received.date().isoformat(),
    }  # fmt: skip


def _lines(rng: random.Random, kind: str, person: Person, procedure: str) -> list[str]:
    born = person.date_of_birth.strftime("%d/%m/%Y")
    if kind == "cccd":
        lines = [
            *HEADER, "CĂN CƯỚC CÔNG DÂN", f"Số / No.: {person.cccd_number}",
            "Họ và tên / Full name:", person.full_name.upper(),
            f"Ngày sinh / Date of birth: {born}   Giới tính / Sex: {person.sex}",
            f"Nơi thường trú / Place of residence: {person.address.text}",
        ]  # fmt: skip
    else:
        lines = [
            *HEADER, f"ĐƠN ĐỀ NGHỊ {procedure.upper()}", f"Họ và tên: {person.full_name}",
            f"Số định danh cá nhân: {person.cccd_number}   Số điện thoại: {person.phone}",
            f"Nơi thường trú: {person.address.text}",
        ]  # fmt: skip
    return [_slip(rng, line) if rng.random() < OCR_SLIP else line for line in lines]


def _slip(rng: random.Random, line: str) -> str:
    """``line`` with one letter of one word misread."""
    words = line.split(" ")
    long = [n for n, word in enumerate(words) if len(word) >= 3 and word.isalpha()]
    if not long:
        return line
    n = rng.choice(long)
    at = rng.randrange(len(words[n]))
    words[n] = words[n][:at] + rng.choice(LETTERS) + words[n][at + 1 :]
    return " ".join(words)


def _field_status(rng: random.Random) -> FieldStatus:
    draw = rng.random()
    if draw < REVIEWED / 2:
        return FieldStatus.VERIFIED
    if draw < REVIEWED:
        return FieldStatus.NEEDS_REVIEW
    return FieldStatus.AUTO_ACCEPTED


def _confidence(rng: random.Random, status: FieldStatus) -> float:
    if status == FieldStatus.NEEDS_REVIEW:
        return round(rng.uniform(0.4, 0.84), 3)
    return round(rng.uniform(0.86, 0.99), 3)
