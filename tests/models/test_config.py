"""Settings that contradict each other stop the process at start, saying which and why."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from models.config import Settings


def test_events_are_kept_longer_than_their_deliveries_are_tried() -> None:
    with pytest.raises(ValidationError, match="SOHOA_EVENTS_RETENTION_DAYS"):
        Settings(events_retention_days=2, webhook_retry_hours=72, _env_file=None)  # type: ignore[call-arg]
    kept = Settings(events_retention_days=4, webhook_retry_hours=72, _env_file=None)  # type: ignore[call-arg]
    assert kept.events_retention_days * 24 > kept.webhook_retry_hours
