"""Who may do what: the roles an API key carries, and what the audit trail records.

A key carries one or more roles; each route of the API admits some of them (``api/access.py``).
The roles follow the people sohoa serves, so that a desk scanner's key never reads a citizen's
data and a processing system's key never writes::

    scanner    uploads dossiers and follows their status (its agencies' only, when scoped)
    processor  reads what was extracted: documents, fields, subjects, search
    operator   reviews the fields sent to review
    admin      manages keys and reads the audit trail
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    SCANNER = "scanner"
    PROCESSOR = "processor"
    OPERATOR = "operator"
    ADMIN = "admin"
    MANAGER = "manager"  # reads the dashboard: counts and rates, no personal data


class AuditKind(StrEnum):
    """A read of personal data, or a write of anything."""

    READ = "read"
    WRITE = "write"
