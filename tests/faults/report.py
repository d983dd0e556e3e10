"""What each fault test measured, printed as one table at the end of the session."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Measure:
    fault: str
    happened: str
    recovery_seconds: float
    documents_lost: int


MEASURES: list[Measure] = []


def record(fault: str, happened: str, recovery_seconds: float, documents_lost: int) -> None:
    MEASURES.append(Measure(fault, happened, recovery_seconds, documents_lost))


def table() -> list[str]:
    lines = [
        "| fault | what happened | time to recover | documents lost |",
        "| --- | --- | --- | --- |",
    ]
    lines += [
        f"| {m.fault} | {m.happened} | {m.recovery_seconds:.1f} s | {m.documents_lost} |"
        for m in MEASURES
    ]
    return lines
