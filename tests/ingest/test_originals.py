"""The originals a host keeps for its page jobs: fetched once, kept within their budget."""

from __future__ import annotations

import os
import time
from typing import Any

import pytest

from ingest import originals
from ingest.originals import local_original
from ingest.services import Services
from storage.objects import ObjectStore, original_key


class CountingStore:
    """The real store, counting the originals fetched from it."""

    def __init__(self, store: ObjectStore) -> None:
        self.store = store
        self.downloads = 0

    def download(self, key: str, path: Any) -> None:
        self.downloads += 1
        self.store.download(key, path)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


def test_an_original_is_fetched_once_per_host(services: Services) -> None:
    store = CountingStore(services.store)
    services.store = store  # type: ignore[assignment]
    services.store.put_bytes(original_key("a" * 64), b"%PDF-1.7 scan")
    first = local_original(services, "a" * 64)
    again = local_original(services, "a" * 64)
    assert first == again and first.read_bytes() == b"%PDF-1.7 scan"
    assert store.downloads == 1
    assert [p.name for p in first.parent.iterdir()] == ["a" * 64]  # no partial copy left


def test_the_copies_used_least_recently_go_first_but_never_one_in_use(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(originals, "KEPT_MIB", 1)
    half = b"x" * (600 * 1024)
    names = ["1" * 64, "2" * 64, "3" * 64]
    for name in names:
        services.store.put_bytes(original_key(name), half)
    old = local_original(services, names[0])
    long_ago = time.time() - originals.IN_USE_SECONDS - 60
    os.utime(old, (long_ago, long_ago))
    local_original(services, names[1])  # over budget: the idle copy goes
    assert not old.exists()
    local_original(services, names[2])  # over budget, but both copies are in use
    assert sorted(p.name for p in old.parent.iterdir()) == names[1:]
