"""Finding each field's value on the page by its label, before any value is judged.

The page's words are grouped into lines (``ocr.fields.lines``); a label matches the start of a
line, or of the part of a line after another field's value, without diacritics and fuzzily (OCR
slips an accent now and then), and the value is then read after the label, in the table cell
beside it, or under it, and followed down the page while its lines wrap. A pattern, when the
type gives one, picks the value out of that text. Where the value starts and stops is judged
by ``ocr.fields.extent``, and the evidence travels with it. What comes back keeps the words'
confidences and boxes, so that confidence and review can point at the exact place on the scan.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ocr.fields.doctypes import DocumentType, FieldSpec, Position, ValueKind
from ocr.fields.evidence import Reason, against, supporting
from ocr.fields.extent import (
    Span,
    continuation_style,
    in_citation,
    in_signing_block,
    is_full,
    judge_extent,
    opens_paragraph,
)
from ocr.fields.labels import (
    NUMBERING,
    Owner,
    after_colon,
    before_next_label,
    label_owner,
    labelled,
    with_mid_line_labels,
)
from ocr.fields.lines import (
    Line,
    PageGeometry,
    apart,
    centred_pair,
    in_capitals,
    lines_of,
    lines_under,
    page_geometry,
)
from ocr.words import PageText, Word

BELOW_LINES = 3
"""At most this many lines under a label make a ``below`` value (an address wraps to 2-3)."""

"""A colon among this many words after a matched label ends the label, not the value."""

_SEPARATORS = " :;.,-/|"
_TRAILING = " :;,.|-"
_RULES = "|[]"
_IN_WORDS = re.compile(r"\((?:bằng|ghi)\b", re.IGNORECASE)
"""The value spelt out in words after it, in brackets: "(Bằng chữ: ...)", "(Ghi bằng chữ ..."."""
"""What a table's vertical rules are read as."""
"""Left after a value by the line's end: a wrapped value's last comma, a speck read as a colon."""


@dataclass(frozen=True)
class Located:
    """A field's raw value as printed, where it is, and how sure its reading is."""

    name: str
    raw: str
    page: int
    box: tuple[int, int, int, int]  # left, top, width, height in page-image pixels
    word_confidences: tuple[float, ...]
    label_score: float
    evidence: tuple[Reason, ...] = ()  # what the value's place on the page says of its extent


def locate_fields(pages: Sequence[PageText], document_type: DocumentType) -> dict[str, Located]:
    """Each field of ``document_type`` found on ``pages``, by name; missing ones are absent.

    Every line is first given to the one field whose label starts it best (the longer label
    wins a tie, so "Họ, chữ đệm, tên người mẹ" is the mother's, not the child's); each field
    then takes the first of its lines whose value is free of doubt, or else the first that holds
    one.
    """
    lines = with_mid_line_labels(lines_of(pages), document_type)
    owners = [label_owner(line, document_type) for line in lines]
    geometry = page_geometry(lines)
    found: dict[str, tuple[Located, list[str]]] = {}
    for spec in document_type.fields:
        if spec.position == Position.ANYWHERE:
            located = _anywhere(spec, lines)
            if located is not None:
                found[spec.name] = (located, [])
            continue
        value = _first_value(spec, lines, owners, geometry, document_type)
        if value is not None:
            found[spec.name] = value
    return _with_page_convention(found)


def _with_page_convention(found: dict[str, tuple[Located, list[str]]]) -> dict[str, Located]:
    """Each value, doubted where its wrapped lines continue unlike the page's other values do:
    a page's form wraps its values one way, under the value or at the margin."""
    styles: dict[int, list[str]] = {}
    for located, value_styles in found.values():
        styles.setdefault(located.page, []).extend(value_styles)
    result = {}
    for name, (located, value_styles) in found.items():
        page_styles = styles[located.page]
        usual = max(set(page_styles), key=page_styles.count) if page_styles else None
        odd = [style for style in value_styles if style != usual]
        if usual is not None and odd and page_styles.count(usual) > len(value_styles):
            wording = {"margin": "at the left margin", "value": "under the value"}
            reason = against(
                f"continued {wording.get(odd[0], 'indented')}, where this page's values "
                f"continue {wording.get(usual, 'indented')}"
            )
            located = _with_evidence(located, reason)
        result[name] = located
    return result


def _with_evidence(located: Located, *reasons: Reason) -> Located:
    return replace(located, evidence=(*located.evidence, *reasons))


def _first_value(
    spec: FieldSpec,
    lines: list[Line],
    owners: list[Owner | None],
    geometry: dict[int, PageGeometry],
    document_type: DocumentType,
) -> tuple[Located, list[str]] | None:
    """The first of the field's labelled lines whose value's extent is free of doubt, or else
    the first that holds a value, with the value's evidence and how its wrapped lines continue:
    "Địa chỉ thường trú" in a table's row starts with "Địa chỉ" too, and its "thường trú" is
    the tail of a label, not the parcel's address further down."""
    doubtful: tuple[Located, list[str]] | None = None
    for index, owner in enumerate(owners):
        if owner is None or owner[0].name != spec.name:
            continue
        page = geometry[lines[index].page]
        span = _value_span(spec, lines, owners, index, owner[2], page, document_type)
        words = [word for part in span.lines for word in part]
        located = _pick(spec, words, lines[index].page, owner[1])
        if located is None or _not_a_name(spec, located.raw):
            continue
        evidence = judge_extent(span, spec.kind, located.raw)
        value_x = span.starts[0] if span.lines else 0.0
        found = _with_evidence(located, *evidence), continuation_style(span, value_x)
        if all(reason.supports for reason in evidence):
            return found
        doubtful = doubtful or found
    return doubtful


def _anywhere(spec: FieldSpec, lines: list[Line]) -> Located | None:
    """A value known by its shape alone (the signing date in "Hà Nội, ngày 5 tháng 3 năm 2021").

    A date in a signing block (a place, a comma, the date) wins over any other; a date inside a
    citation of a law or decree is the instrument's, never the value."""
    fallback: Located | None = None
    for line in lines:
        text = line.text
        assert spec.pattern is not None  # a field found anywhere has one (FieldSpec checks it)
        for match in re.finditer(spec.pattern, text):
            if in_citation(text, match.start()):
                continue
            words = _words_in(list(line.words), match.start(), match.end())
            located = _pick(spec, words, line.page, 100.0)
            if located is None:
                continue
            if in_signing_block(text, match.start()):
                return _with_evidence(located, supporting("in a signing block (place, date)"))
            fallback = fallback or _with_evidence(located, against("not in a signing block"))
    return fallback


def _value_span(
    spec: FieldSpec,
    lines: list[Line],
    owners: list[Owner | None],
    index: int,
    label_words: int,
    page: PageGeometry,
    document_type: DocumentType,
) -> Span:
    """The value after the label, with the lines that continue it, and how it ended.

    The value starts after the label on its line; where nothing follows the label there, in the
    table cell to its right, or on the line under it. A value in a table's row (beside its label,
    or after a label without a colon) never continues on a line that starts left of it: that is
    the next row. It continues on
    the lines under it only while the line above ran to the page's edge or ended in a comma (a
    line that stops short ended where its writer ended it) and did not end a sentence, up to a
    line another label owns, one that reads like "Label: value", or a blank; lines are taken in
    the page's top-down order. ``next_line`` values are one line, ``below`` ones at most
    ``BELOW_LINES``.
    """
    line = lines[index]
    first = before_next_label(after_colon(list(line.words[label_words:])), spec, document_type)
    while first and first[0].text.strip(_SEPARATORS) == "":
        first = first[1:]
    beside, first_line = False, line
    below, stopper = _following(lines, owners, index)
    if not first and not in_capitals(line):  # a heading in capitals has no cell beside it
        cell = _cell_beside(lines, owners, index, page)
        if cell is not None:
            first, beside, first_line = list(lines[cell].words), True, lines[cell]
            below, stopper = _following(lines, owners, cell)
            next_row = _next_row(lines, owners, index, page)
            below = [later for later in below if page.row_offset(line, later) < next_row]
    parts: list[Line] = []
    if first:
        parts.append(first_line if beside else line.part(first))
    elif below:  # the label stands alone on its line: its value is under it
        parts.append(below.pop(0))
    limit = {Position.NEXT_LINE: 1, Position.BELOW: BELOW_LINES}.get(spec.position, len(below) + 1)
    taken = 0
    previous = line if first else (parts[0] if parts else line)
    row = beside or (bool(first) and _cell_gap(line, label_words, parts[0]))
    while (
        parts
        and taken < len(below)
        and len(parts) < limit
        and not (row and below[taken].x0 < parts[0].x0 - 1.5 * line.height)
        and _continues(parts[-1], previous, below[taken], page)
    ):
        parts.append(below[taken])
        previous = below[taken]
        taken += 1
    # Ended by what follows: a line that is no continuation (a numbered item, a heading, the
    # next row, or after a line that stopped short), or another label; not by a blank.
    next_item = taken < len(below) and len(parts) < limit
    stopped_at_label = next_item or (taken == len(below) and stopper is not None)
    return Span(
        lines=tuple(part.words for part in parts),
        starts=tuple(part.x0 for part in parts),
        ends=tuple(part.x1 for part in parts),
        heights=tuple(part.height for part in parts),
        right_edge=page.right,
        label_x=line.x0,
        stopped_at_label=stopped_at_label,
        beside_label=beside,
    )


def _following(
    lines: list[Line], owners: list[Owner | None], index: int
) -> tuple[list[Line], Line | None]:
    """The lines under ``lines[index]`` before the next label, "Label: value" line or blank,
    and the labelled line that ended them (None when a blank or the page's end did)."""
    following: list[Line] = []
    for under in lines_under(lines, index):
        above = following[-1] if following else lines[index]
        if apart(above, lines[under]):
            return following, None
        if owners[under] is not None or labelled(lines[under]):
            return following, lines[under]
        following.append(lines[under])
    return following, None


def _not_a_name(spec: FieldSpec, raw: str) -> bool:
    """A person's name starts with a capital: "của doanh nghiệp" after a heading's label is not
    one, and the field's next labelled line is tried."""
    return spec.kind == ValueKind.NAME and raw[:1].islower()


def _continues(value: Line, above: Line, below: Line, page: PageGeometry) -> bool:
    """Whether the value, whose last part is ``value`` on the page line ``above``, goes on on
    ``below``: after a comma, a line that wrapped or a centred line with a centred line under
    it, unless ``below`` opens a numbered item or a paragraph of the form's prose ("Căn cứ
    ...") or is a heading in capitals under a value that is not."""
    if (
        NUMBERING.fullmatch(below.words[0].text)
        or (in_capitals(below) and not in_capitals(value))
        or opens_paragraph(below.text)
    ):
        return False
    last = value.words[-1].text
    if last.endswith(","):
        return True
    if last.endswith((".", ";", ":")) and not last.endswith("TP."):
        return False
    return _wrapped(value, below, page) or centred_pair(above, below, page.left)


def _wrapped(value: Line, below: Line, page: PageGeometry) -> bool:
    """``below``'s first word would not have fitted at the end of ``value``'s line: the line
    broke because it was full, the way a writer's or a typesetter's line wraps."""
    left, right = below.spans[0] if below.spans else (below.x0, below.x0 + below.words[0].width)
    space = 0.3 * value.height
    return value.x1 + space + (right - left) > page.right or is_full(
        value.x1, value.height, page.right
    )


def _cell_beside(
    lines: list[Line],
    owners: list[Owner | None],
    index: int,
    page: PageGeometry,
) -> int | None:
    """The line right of a label that stands alone in its row: a ruled table's value cell."""
    line = lines[index]
    beside = [
        other
        for other, candidate in enumerate(lines)
        if candidate.page == line.page
        and other != index
        and owners[other] is None
        and abs(page.row_offset(line, candidate)) <= 0.6 * max(line.height, candidate.height)
        and candidate.x0 > line.x1
    ]
    return min(beside, key=lambda other: lines[other].x0) if beside else None


def _cell_gap(line: Line, label_words: int, value: Line) -> bool:
    """The value stands apart from its label by more than a space and no colon between: the
    label's and the value's cells of a table's row ("Nơi sinh      Bệnh viện ..."), not a line
    whose colon OCR lost ("tiếng Việt CÔNG TY ...")."""
    label = line.words[:label_words]
    if not label or not line.spans or label[-1].text.endswith(":"):
        return False
    label_end = line.spans[min(label_words, len(line.spans)) - 1][1]
    return value.x0 - label_end > 2 * line.height


def _next_row(
    lines: list[Line],
    owners: list[Owner | None],
    index: int,
    page: PageGeometry,
) -> float:
    """How far under ``lines[index]`` the next labelled line starts, the page's lean taken out:
    a table cell's value does not run into the next row's."""
    line = lines[index]
    offsets = (
        page.row_offset(line, other) - other.height / 2
        for other, owner in zip(lines, owners, strict=True)
        if owner is not None and other.page == line.page
    )
    return min((offset for offset in offsets if offset > line.height / 2), default=float("inf"))


def _pick(spec: FieldSpec, words: list[Word], page: int, score: float) -> Located | None:
    """The value among ``words``: all of them (separators and a table's rules read as "|"
    trimmed, and up to the value in words that may follow it), or the pattern's match."""
    words = [word for word in words if word.text.strip(_RULES)]
    for position, word in enumerate(words[1:], start=1):
        if _IN_WORDS.match(word.text):  # "143,2 m² (Bằng chữ: một trăm ...)"
            words = words[:position]
            break
    while words and words[0].text.strip(_SEPARATORS) == "":
        words = words[1:]
    if not words:
        return None
    text = " ".join(word.text for word in words)
    raw = text.lstrip(_SEPARATORS).rstrip(_TRAILING)
    chosen = words
    if spec.pattern is not None:
        match = re.search(spec.pattern, text)
        if match is None:
            return None
        raw, chosen = match.group(0), _words_in(words, match.start(), match.end())
    left = min(word.left for word in chosen)
    top = min(word.top for word in chosen)
    right = max(word.left + word.width for word in chosen)
    bottom = max(word.top + word.height for word in chosen)
    confidences = tuple(word.confidence for word in chosen)
    return Located(
        spec.name, raw, page, (left, top, right - left, bottom - top), confidences, score
    )


def _words_in(words: list[Word], start: int, end: int) -> list[Word]:
    """The words whose characters overlap ``start``..``end`` of the space-joined text."""
    chosen, position = [], 0
    for word in words:
        if position < end and position + len(word.text) > start:
            chosen.append(word)
        position += len(word.text) + 1
    return chosen
