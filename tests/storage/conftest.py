"""Fixtures for the object store contract: every test runs against ``LocalStore`` and ``S3Store``.

The S3 side talks real HTTP to moto's S3 server in a thread of the test process: no MinIO
binary can be installed on the machines these tests run on, and moto needs nothing but pip.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from moto.server import ThreadedMotoServer

from storage.local import LocalStore
from storage.objects import MEBIBYTE, ObjectStore
from storage.s3 import S3Store

# The smallest part S3 allows, so that the ~12 MiB test upload takes several parts.
TEST_PART_SIZE = 5 * MEBIBYTE


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """host:port of a moto S3 server on a free port of 127.0.0.1, for the whole session."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"{host}:{port}"
    server.stop()


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ObjectStore]:
    if request.param == "local":
        yield LocalStore(tmp_path / "objects")
        return
    endpoint = request.getfixturevalue("s3_endpoint")
    # A fresh bucket per test, created by the store on first use.
    bucket = f"test-{uuid.uuid4().hex[:16]}"
    yield S3Store(endpoint, "testing", "testing", bucket, part_size=TEST_PART_SIZE)
    # Moto's reset empties and removes every bucket; the tests never share one.
    httpx.post(f"http://{endpoint}/moto-api/reset").raise_for_status()
