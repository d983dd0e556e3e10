"""The access log never shows a citizen's or an enterprise's identifier.

Look-ups take identifiers in their bodies, but a query string can still carry one (an audit
inquiry by subject, a caller's mistake). Every run of nine digits or more in a logged request
line is masked: CCCD numbers have 12, enterprise codes 10 (13 with a branch); ids of ours are
UUIDs, whose digit runs are shorter, and page numbers and limits are shorter still.
"""

from __future__ import annotations

import logging
import re

IDENTIFIER = re.compile(r"\d(?:[\s.\-]?\d){8,}")
MASK = "[redacted]"


class RedactIdentifiers(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                IDENTIFIER.sub(MASK, arg) if isinstance(arg, str) else arg for arg in record.args
            )
        record.msg = IDENTIFIER.sub(MASK, str(record.msg))
        return True


def redact_access_log() -> None:
    logging.getLogger("uvicorn.access").addFilter(RedactIdentifiers())
