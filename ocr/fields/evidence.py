"""Why a field's value was trusted or sent to review: the evidence for and against it.

A value's confidence says how sure the reading is; its reasons say why, in words an operator and
a processing system can read beside it ("label 97", "least sure word 91", "ran past a sentence
end", "ward and province found and nested"). Each reason either supports the value or counts
against it; the ones against it are what lowered its confidence or kept it from being accepted.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reason:
    """One piece of evidence about a value."""

    text: str
    supports: bool  # True: evidence for the value; False: against it


def supporting(text: str) -> Reason:
    return Reason(text, True)


def against(text: str) -> Reason:
    return Reason(text, False)
