"""The sandbox turns every way a reader can stop into its own error, and lives through them."""

from __future__ import annotations

import ctypes
import time

import pytest

from ingest.sandbox import Channel, Limits, Sandbox
from models.errors import ReadAbortedError, RejectedFileError

LIMITS = Limits(memory_mib=512, seconds=2)


def answer(channel: Channel, value: int) -> None:
    channel.send(value)
    channel.send(value + 1)


def segfault(channel: Channel) -> None:
    ctypes.string_at(0)


def hang(channel: Channel) -> None:
    channel.send("started")
    while True:
        time.sleep(0.01)


def spin(channel: Channel) -> None:
    while True:
        pass


def allocate(channel: Channel) -> None:
    channel.send(len(bytearray(2048 * 1024 * 1024)))


def refuse(channel: Channel) -> None:
    raise RejectedFileError("not a scan", code="corrupt_pdf")


def run(step: object, *args: object, limits: Limits = LIMITS) -> list[object]:
    with Sandbox(step, args, limits, reader="the PDF reader") as sandbox:  # type: ignore[arg-type]
        return [sandbox.receive(), sandbox.receive()]


def test_a_child_answers_step_by_step() -> None:
    assert run(answer, 41) == [41, 42]


@pytest.mark.parametrize(
    ("step", "code", "words"),
    [
        (segfault, "parse_crashed", "The PDF reader crashed on this file (SIGSEGV)"),
        (hang, "parse_timeout", "could not be read within 2 s"),
        (spin, "parse_timeout", "could not be read within 2 s"),
        (allocate, "parse_memory", "needed more than 512 MiB"),
    ],
)
def test_each_way_of_stopping_has_its_code(step: object, code: str, words: str) -> None:
    started = time.monotonic()
    with pytest.raises(ReadAbortedError) as caught:
        run(step)
    assert caught.value.code == code
    assert words in caught.value.message
    assert not caught.value.retryable
    assert time.monotonic() - started < 10
    assert run(answer, 1) == [1, 2]  # and the next child is fine


def test_an_error_raised_on_purpose_arrives_as_it_was() -> None:
    with pytest.raises(RejectedFileError) as caught:
        run(refuse)
    assert caught.value.code == "corrupt_pdf"
    assert caught.value.message == "not a scan"
