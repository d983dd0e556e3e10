"""Credentials for tests that drive the API over HTTP, made in one place."""

from __future__ import annotations

from ingest.services import Services


def scanner_headers(services: Services) -> dict[str, str]:
    """Headers a reception-desk scanner sends with its requests."""
    return {}
