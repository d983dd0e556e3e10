"""What intake keeps of a file's name: its own name, printable, composed, bounded."""

from __future__ import annotations

import pytest

from ingest.intake import clean_filename


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\scans\\hồ sơ.pdf", "hồ sơ.pdf"),
        ("scan\x00\x07 1.png", "scan 1.png"),  # a NUL would reach SQL
        ("\udcff\udcfe.png", ".png"),  # non-UTF-8 bytes, as the server decodes them
        ("ho\u0301 so\u031b.pdf", "hó sơ.pdf"),  # decomposed marks, composed
        ("", "unnamed"),
        ("\x00", "unnamed"),
    ],
)
def test_a_file_name_is_cleaned(sent: str, kept: str) -> None:
    assert clean_filename(sent) == kept


def test_a_long_file_name_is_cut_to_255_characters() -> None:
    assert len(clean_filename("x" * 300 + ".pdf")) == 255
