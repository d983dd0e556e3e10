"""One folding of Vietnamese text, for the search index and for queries alike.

Folded text is lower case without tone or vowel marks: NFD, combining marks dropped, and ``đ``
mapped to ``d``, which Unicode decomposition does not do (``đ`` is a letter of its own, not a
``d`` with a mark; SQLite's ``remove_diacritics`` keeps it too), so ``nguyen van dung`` finds
``Nguyễn Văn Dũng`` and ``Đặng`` is found by ``dang``. Tokens are runs of letters and digits.
"""

from __future__ import annotations

import re
import unicodedata

_NOT_FOLDED_BY_NFD = str.maketrans("đĐðÐ", "dddd")
_TOKEN = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """``text`` lower-cased, without marks, ``đ`` as ``d``, whitespace collapsed."""
    decomposed = unicodedata.normalize("NFD", text.translate(_NOT_FOLDED_BY_NFD))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.lower().split())


def folded_tokens(text: str) -> list[str]:
    return _TOKEN.findall(fold(text))


def exact_tokens(text: str) -> list[str]:
    """The words as written (NFC, lower case), marks kept: to rank an exact spelling first."""
    return _TOKEN.findall(unicodedata.normalize("NFC", text).lower())
