"""Request counts summed over every process of ``sohoa serve --workers N``.

Each process counts the requests it answers. With more than one, prometheus-client's
multiprocess mode keeps the counts in files of a folder the processes share (its
``PROMETHEUS_MULTIPROC_DIR``, set by ``serve`` before they start), and a scrape, whichever
process answers it, sums them; the queue and database figures are read at the scrape anyway.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from prometheus_client import CollectorRegistry
from prometheus_client.multiprocess import MultiProcessCollector

MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"


def share_request_metrics(folder: Path) -> None:
    """Make the processes started after this count into ``folder``, emptied first (counts of
    an earlier run would be summed in)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    os.environ[MULTIPROCESS_ENV] = str(folder)


def metrics_registries() -> tuple[CollectorRegistry, CollectorRegistry | None]:
    """The registry a scrape reads, and the one the request counters register in: the same
    for one process; none when the counts are shared, as the scrape reads them from the files."""
    registry = CollectorRegistry()
    if MULTIPROCESS_ENV not in os.environ:
        return registry, registry
    MultiProcessCollector(registry)
    return registry, None
