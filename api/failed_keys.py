"""Keys that fail, counted per client address: an address that keeps presenting keys sohoa did
not issue has its key checks refused (429) for a while, before the next key is checked.

A key's secret is 256 random bits, so guessing one is hopeless; what this stops is one host
spending the API's cores and memory on argon2 checks (64 MiB and tens of milliseconds each),
key after key. What counts is *distinct* failed keys: a desk client left with a mistyped or
old key and retrying it forever counts once (and its repeats are answered from a cache), so
it never locks out the operators behind the same address. A key revoked is a key sohoa issued
and is not counted. Browsers already signed in are not concerned: their cookie checks no key.

The counts live in Redis, so every process of ``sohoa serve --workers N`` shares them. If Redis
cannot be reached, keys are checked as usual: the limit protects capacity, not secrecy. The
client address is the connection's, or the proxy's ``X-Forwarded-For`` where uvicorn trusts
the proxy (on the same host, or named in ``FORWARDED_ALLOW_IPS``).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import Request
from redis.exceptions import RedisError

from ingest.services import Services
from models.errors import AuthenticationError, TooManyAttemptsError
from storage.keys import UNKNOWN_KEY

log = logging.getLogger(__name__)


def _counter(services: Services, address: str) -> str:
    """The Redis set of an address's failed keys, beside the deployment's queues."""
    return f"{services.settings.queue_prefix}sohoa:failed-keys:{address}"


@contextmanager
def counted_key_check(services: Services, request: Request, token: str) -> Iterator[None]:
    """Check a presented key inside this block; refused at once when its address is over the
    limit, and counted when the key turns out not to be one sohoa issued."""
    address = request.client.host if request.client else "unknown"
    _refuse_if_over_limit(services, address)
    try:
        yield
    except AuthenticationError as error:
        if error.code == UNKNOWN_KEY:
            _count(services, address, token)
        raise


def _refuse_if_over_limit(services: Services, address: str) -> None:
    settings = services.settings
    try:
        with services.redis.pipeline(transaction=False) as pipe:
            pipe.scard(_counter(services, address))
            pipe.ttl(_counter(services, address))
            failed, seconds_left = pipe.execute()
    except RedisError as error:
        log.warning("failed keys of %s not checked: %s", address, error)
        return
    if failed >= settings.failed_keys_per_address:
        wait = max(int(seconds_left), 1)
        raise TooManyAttemptsError(
            f"{failed} different keys that sohoa did not issue came from this address "
            f"({address}) in the last {settings.failed_keys_window_seconds // 60 or 1} minutes; "
            f"no key from it is checked for {wait} more seconds. Use the key an administrator "
            "gave you (sohoa keys list shows which are live)",
            retry_after=wait,
        )


def _count(services: Services, address: str, token: str) -> None:
    digest = hashlib.sha256(token.encode()).hexdigest()[:32]
    name = _counter(services, address)
    window = services.settings.failed_keys_window_seconds
    try:
        with services.redis.pipeline(transaction=True) as pipe:
            pipe.sadd(name, digest)
            pipe.expire(name, window, nx=True)
            pipe.scard(name)
            _, _, failed = pipe.execute()
    except RedisError as error:
        log.warning("a failed key from %s not counted: %s", address, error)
        return
    if failed == services.settings.failed_keys_per_address:
        log.warning(
            "%s presented %d keys sohoa did not issue within %d s: its key checks are refused "
            "until the window ends",
            address,
            failed,
            window,
        )
