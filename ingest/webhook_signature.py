"""The signature on a webhook delivery, and how a receiver checks it.

``Sohoa-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" under the secret>``.
A receiver recomputes the HMAC over the timestamp and the raw body it received, compares in
constant time, and refuses a timestamp more than ``TOLERANCE_SECONDS`` from its clock, so that
a captured delivery cannot be replayed later. Several ``v1`` entries may appear (one per secret
while a secret is being replaced); one that matches is enough.
"""

from __future__ import annotations

import hashlib
import hmac

HEADER = "Sohoa-Signature"
TOLERANCE_SECONDS = 300


class SignatureError(ValueError):
    """A delivery whose signature is missing, malformed, wrong or too old."""


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """The header's value for ``body`` sent at ``timestamp``."""
    return f"t={timestamp},v1={_digest(secret, body, timestamp)}"


def verify(
    secret: str, header: str, body: bytes, now: float, tolerance: float = TOLERANCE_SECONDS
) -> int:
    """Check a received delivery; its timestamp when the signature holds, else SignatureError."""
    parts = [part.strip().partition("=") for part in header.split(",")]
    stamps = [value for name, _, value in parts if name == "t"]
    signatures = [value for name, _, value in parts if name == "v1"]
    if len(stamps) != 1 or not stamps[0].isdigit() or not signatures:
        raise SignatureError(f"{HEADER} must read t=<unix seconds>,v1=<hex>: got {header!r}")
    timestamp = int(stamps[0])
    if abs(now - timestamp) > tolerance:
        raise SignatureError(
            f"the delivery was signed {now - timestamp:.0f} s from now, beyond {tolerance:.0f} s"
        )
    expected = _digest(secret, body, timestamp)
    if not any(hmac.compare_digest(expected, signature) for signature in signatures):
        raise SignatureError("the signature does not match the body under this secret")
    return timestamp


def _digest(secret: str, body: bytes, timestamp: int) -> str:
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
