"""PageText: how words become text, and its confidence."""

from __future__ import annotations

import unicodedata

import pytest

from ocr.words import PageText, Word


def word(text: str, block: int = 1, paragraph: int = 1, line: int = 1) -> Word:
    return Word(text, 90.0, 0, 0, 10, 10, block, paragraph, line)


def test_text_separates_lines_and_paragraphs() -> None:
    page = PageText(
        width=100,
        height=100,
        words=[
            word("Họ"), word("và"), word("tên:"),
            word("Nguyễn", line=2),
            word("Số", paragraph=2),
            word("CCCD", block=2),
        ],
    )  # fmt: skip
    assert page.text == "Họ và tên:\nNguyễn\n\nSố\n\nCCCD"


def test_text_is_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn")
    assert PageText(10, 10, [word(decomposed)]).text == "Nguyễn"


def test_mean_confidence() -> None:
    words = [word("a"), Word("b", 70.0, 0, 0, 1, 1, 1, 1, 1)]
    assert PageText(10, 10, words).mean_confidence == pytest.approx(80.0)
    assert PageText(10, 10, []).mean_confidence is None


def test_words_scaled_to_another_size_keep_their_place_on_the_page() -> None:
    text = PageText(width=1000, height=500, words=[Word("Số", 91.0, 100, 50, 40, 20, 1, 1, 1)])
    scaled = text.scaled_to(2000, 1000)
    assert (scaled.width, scaled.height) == (2000, 1000)
    [word] = scaled.words
    assert (word.text, word.confidence) == ("Số", 91.0)
    assert (word.left, word.top, word.width, word.height) == (200, 100, 80, 40)
    assert text.scaled_to(1000, 500) is text
