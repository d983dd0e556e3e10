"""How a job that raised ends: retried when the error is transient, its document failed when not.

The error decides the retry (``SohoaError.retryable``): an unreachable database, object store or
queue may come back, so rq retries the job with backoff; anything else is permanent (a file
Pillow refuses as a decompression bomb, a bug, a parser giving up) and fails the document at
once, with a reason a person can act on, so that no document waits for ever. A transient error
that outlasts every retry fails the document too, from rq's failure callback. The detail of an
unexpected error goes to the log, not to the reason, which callers see: it may name paths.
"""

from __future__ import annotations

import logging

from PIL import Image
from rq.timeouts import JobTimeoutException

from models.errors import SohoaError

log = logging.getLogger(__name__)

PROCESSING_FAILED = "processing_failed"
IMAGE_BOMB = "image_bomb"
INCOMPLETE = "processing_incomplete"


def is_transient(error: BaseException) -> bool:
    """Worth another attempt: a part that may come back, or a job that ran out of time."""
    return (isinstance(error, SohoaError) and error.retryable) or isinstance(
        error, JobTimeoutException
    )


def permanent_failure(error: BaseException, stage: str) -> tuple[str, str]:
    """The code and the reason a document is failed with for ``error`` raised in ``stage``."""
    if isinstance(error, Image.DecompressionBombError):
        return IMAGE_BOMB, (
            "an image in this file declares more pixels than can be decoded safely; "
            "scan it again at a normal resolution"
        )
    if isinstance(error, SohoaError):
        return error.code, error.message
    log.error("%s failed for good", stage, exc_info=error)
    return PROCESSING_FAILED, (
        f"this file could not be processed ({stage} stopped on {type(error).__name__}); "
        "the original is kept: send it again, or a new scan of it"
    )


def exhausted(stage: str, attempts: int) -> tuple[str, str]:
    """The code and the reason for a transient error that outlasted every attempt."""
    return INCOMPLETE, (
        f"{stage} did not complete after {attempts} attempts: a part it needs (database, "
        "object store or queue) stayed unreachable or the work ran out of time; the original "
        "is kept, and the document can be sent again"
    )
