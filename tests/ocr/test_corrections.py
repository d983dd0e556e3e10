"""An operator's correction laid into a page's words: the words in the field's box give way to
the keyed value, on their line, spread over the box; nothing else moves."""

from __future__ import annotations

from ocr.corrections import Correction, with_corrections
from ocr.words import PageText, Word


def word(text: str, left: int, line: int, width: int = 100) -> Word:
    return Word(text, 90.0, left, 100 * line, width, 40, 1, 1, line)


PAGE = PageText(
    width=1200,
    height=800,
    words=[
        word("Họ", 100, 1), word("tên:", 220, 1),
        word("NGUYỄN", 100, 2, 180), word("VĂN", 300, 2), word("AM", 420, 2, 60),
        word("Ngày", 100, 3),
    ],
)  # fmt: skip


def test_the_words_in_the_box_give_way_to_the_keyed_value_on_their_line() -> None:
    corrected = with_corrections(PAGE, [Correction((90, 190, 400, 60), "Nguyễn Văn An")])
    assert corrected.text == "Họ tên:\nNguyễn Văn An\nNgày"
    new = [w for w in corrected.words if w.line == 2]
    assert [w.text for w in new] == ["Nguyễn", "Văn", "An"]
    assert new[0].left == 90 and new[-1].left + new[-1].width <= 490
    assert all(w.confidence == 100.0 and (w.top, w.height) == (190, 60) for w in new)
    assert [w.left for w in new] == sorted(w.left for w in new)
    assert corrected.words[:2] == PAGE.words[:2] and corrected.words[-1] == PAGE.words[-1]


def test_a_value_where_nothing_was_read_is_a_line_of_its_own() -> None:
    corrected = with_corrections(PAGE, [Correction((700, 500, 200, 40), "001203290578")])
    assert corrected.words[:-1] == PAGE.words
    assert corrected.words[-1].text == "001203290578" and corrected.words[-1].block == 2
    assert corrected.text.endswith("Ngày\n\n001203290578")


def test_no_corrections_leave_the_page_as_read() -> None:
    assert with_corrections(PAGE, []) == PAGE
