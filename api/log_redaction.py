"""The access log never shows a citizen's or an enterprise's identifier.

Look-ups take identifiers in their bodies, but a query string can still carry one (an audit
inquiry by subject, a caller's mistake). Every run of nine digits or more in a logged request
line is masked: CCCD numbers have 12, enterprise codes 10 (13 with a branch); ids of ours are
UUIDs, whose digit runs are shorter, and page numbers and limits are shorter still.

The mask is part of the logging configuration uvicorn is given, so that every process of
``sohoa serve --workers N`` applies it, not only the one that parsed the command.
"""

from __future__ import annotations

import copy
import logging
import re
from typing import Any

from uvicorn.config import LOGGING_CONFIG

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


def redacted_log_config() -> dict[str, Any]:
    """uvicorn's logging configuration, with identifiers masked in the access log."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"redact_identifiers": {"()": f"{__name__}.RedactIdentifiers"}}
    config["handlers"]["access"]["filters"] = ["redact_identifiers"]
    return config
