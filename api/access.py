"""Which roles each route admits, and which routes the audit trail records: all in one table.

``create_app`` refuses to start when a route is missing here, so a new route is closed until
someone decides who may call it. Routes that return personal data (names, numbers, addresses,
page images, text) are recorded as reads; every route that changes something, as a write.
Status views (how far a dossier is, how many fields wait) carry no personal data and are not
recorded, so that a scanner polling its uploads does not flood the trail.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.access import AuditKind, Role


@dataclass(frozen=True)
class Access:
    roles: frozenset[Role]
    """Empty: the route is open to anyone (health checks, and sign-in, which takes a key)."""
    audit: AuditKind | None = None


def allow(*roles: Role, audit: AuditKind | None = None) -> Access:
    return Access(frozenset(roles), audit)


OPEN = Access(frozenset())
READ, WRITE = AuditKind.READ, AuditKind.WRITE
SCANNER, PROCESSOR, OPERATOR, ADMIN = Role.SCANNER, Role.PROCESSOR, Role.OPERATOR, Role.ADMIN
MANAGER = Role.MANAGER

ROUTES: dict[str, Access] = {
    # health
    "healthz": OPEN,
    "readyz": OPEN,
    "metrics": OPEN,  # counts only (see api.metrics)
    # sign-in: open, since the key is in the body; recorded once the key is known
    "sign_in": Access(frozenset(), audit=WRITE),
    "get_sign_in": allow(*Role),
    "sign_out": allow(*Role),
    # pages: shells that hold no data; their scripts call the routes above and below
    "review_page": OPEN,
    # the dashboard: counts and rates only, not recorded
    "stats_page": allow(ADMIN, MANAGER),
    # a dossier's progress by its receipt code: nothing the receipt does not say (see
    # models.public_schemas); not recorded, like the other status views
    "get_public_status": OPEN,
    "public_status_form": OPEN,
    "public_status_page": OPEN,
    # dossiers
    "upload_dossier": allow(SCANNER, audit=WRITE),
    "list_dossiers": allow(SCANNER, PROCESSOR, OPERATOR),
    "get_dossier": allow(SCANNER, PROCESSOR, OPERATOR),
    "get_dossier_fields": allow(PROCESSOR, audit=READ),
    # documents
    "get_document": allow(SCANNER, PROCESSOR, OPERATOR),
    "get_document_fields": allow(PROCESSOR, OPERATOR, audit=READ),
    "get_document_text": allow(PROCESSOR, audit=READ),
    "get_document_original": allow(PROCESSOR, OPERATOR, audit=READ),
    "get_searchable_pdf": allow(PROCESSOR, audit=READ),
    "get_signed_copy": allow(PROCESSOR, audit=READ),
    # signed copies: the verdict ties a file to a document, a dossier and its receipt code, so
    # it is for the systems that process dossiers and for administrators, not the public (who
    # can check the PAdES signature in any PDF reader against the agency's certificate)
    "verify_signed_copy": allow(PROCESSOR, ADMIN, audit=READ),
    "get_page_words": allow(PROCESSOR, OPERATOR, audit=READ),
    "get_page_hocr": allow(PROCESSOR, audit=READ),
    "get_page_image": allow(PROCESSOR, OPERATOR, audit=READ),
    # status changes as they happen: ids and statuses only, not recorded (a status view)
    "stream_events": allow(PROCESSOR),
    # webhooks: a key's own; registering and redelivering change something
    "register_webhook": allow(PROCESSOR, audit=WRITE),
    "list_webhooks": allow(PROCESSOR),
    "remove_webhook": allow(PROCESSOR, audit=WRITE),
    "list_deliveries": allow(PROCESSOR),
    "redeliver": allow(PROCESSOR, audit=WRITE),
    # reuse: recorded by processing systems; the rate is counts only
    "record_reuse": allow(PROCESSOR, audit=WRITE),
    "get_reuse_rate": allow(PROCESSOR, ADMIN),
    # search: lines and values with their documents
    "search_documents": allow(PROCESSOR, audit=READ),
    # subjects
    "look_up_citizen": allow(PROCESSOR, audit=READ),
    "look_up_enterprise": allow(PROCESSOR, audit=READ),
    # review desk
    "list_review_tasks": allow(OPERATOR, audit=READ),
    "claim_review_task": allow(OPERATOR, audit=WRITE),
    "release_review_task": allow(OPERATOR, audit=WRITE),
    "resolve_review_task": allow(OPERATOR, audit=WRITE),
    "get_review_crop": allow(OPERATOR, audit=READ),
    "list_review_groups": allow(OPERATOR),
    "get_review_queue": allow(OPERATOR),  # counts only: a status view
    "claim_review_group": allow(OPERATOR, audit=WRITE),
    "resolve_review_group": allow(OPERATOR, audit=WRITE),
    "get_field_history": allow(OPERATOR, ADMIN, audit=READ),
    # administration
    "create_key": allow(ADMIN, audit=WRITE),
    "list_keys": allow(ADMIN),
    "revoke_key": allow(ADMIN, audit=WRITE),
    "list_audit_events": allow(ADMIN, audit=READ),
}
