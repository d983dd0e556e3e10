"""The one exception tree of sohoa.

Every layer raises these, converting lower-level errors at its boundary (``raise ... from e``).
``retryable`` tells job code whether to retry with backoff (the part may come back) or to mark
the work failed for good; ``http_status`` and ``code`` tell the API how to answer::

    SohoaError
    ├── InputError                 400, the caller sent something we cannot use
    │   ├── RejectedFileError      422, a file is empty, not a document, corrupt, encrypted, too big
    │   │   └── ReadAbortedError   reading it was stopped: its reader crashed, or ran out of time
    │   │                          or memory (``ingest.sandbox``)
    │   └── InvalidValueError      422, a value an operator keyed fails its field's validators
    ├── AuthenticationError        401, no API key, or one that is unknown or revoked
    ├── ForbiddenError             403, the key's roles or agencies do not cover the request
    ├── NotFoundError              404
    ├── ConflictError              409
    │   └── InvalidTransitionError a status may not move that way
    ├── TooManyAttemptsError       429, a client that keeps presenting keys sohoa did not issue
    ├── UnavailableError           503, retryable: object store, database, queue or timestamp
    │                              authority unreachable
    ├── EngineError                500, the OCR engine failed on a page
    └── ConfigurationError         500, a setting names a file or a key that cannot be used
"""

from __future__ import annotations


class SohoaError(Exception):
    """Base of every error sohoa raises on purpose."""

    code: str = "internal_error"
    http_status: int = 500
    retryable: bool = False

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class InputError(SohoaError):
    code = "invalid_input"
    http_status = 400


class RejectedFileError(InputError):
    """A file that can never be processed as it is; the reason is shown to the scanner operator."""

    code = "rejected_file"
    http_status = 422


class ReadAbortedError(RejectedFileError):
    """Reading a file was stopped from outside its reader (a crash, a time or memory limit);
    permanent, as the same file would stop it the same way again."""

    code = "parse_crashed"


class InvalidValueError(InputError):
    """A value keyed in review that its field's normaliser or validators refuse."""

    code = "value_invalid"
    http_status = 422


class AuthenticationError(SohoaError):
    code = "unauthenticated"
    http_status = 401


class ForbiddenError(SohoaError):
    code = "forbidden"
    http_status = 403


class NotFoundError(SohoaError):
    code = "not_found"
    http_status = 404


class ConflictError(SohoaError):
    code = "conflict"
    http_status = 409


class InvalidTransitionError(ConflictError):
    code = "invalid_transition"


class TooManyAttemptsError(SohoaError):
    """A client refused for a while for what it keeps doing; ``retry_after`` is how long, in
    seconds."""

    code = "too_many_attempts"
    http_status = 429

    def __init__(self, message: str, *, retry_after: int, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.retry_after = retry_after


class UnavailableError(SohoaError):
    code = "unavailable"
    http_status = 503
    retryable = True


class EngineError(SohoaError):
    code = "ocr_engine_error"
    http_status = 500


class ConfigurationError(SohoaError):
    """A setting that cannot work as given (a signing key that does not open, say): the process
    stops at start with it, naming the setting."""

    code = "misconfigured"
    http_status = 500
