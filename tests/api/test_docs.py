"""/docs is served whole by the app: its scripts and style sheets come from /docs/static."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from api.app import create_app
from ingest.services import Services


def test_the_docs_page_loads_nothing_from_another_host(services: Services) -> None:
    with TestClient(create_app(services)) as client:
        page = client.get("/docs")
        assert page.status_code == 200
        assets = re.findall(r"""(?:src|href)=['"]([^'"]+)['"]""", page.text)
        assert assets and all(url.startswith("/docs/static/") for url in assets), assets
        for url in assets:
            assert client.get(url).status_code == 200, url
        assert client.get("/openapi.json").status_code == 200
