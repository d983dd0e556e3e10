"""A worker says it is alive while it runs a job: its key never outlives a beat by more than
``worker_alive_seconds``, and a job longer than that does not let it expire."""

from __future__ import annotations

import threading
import time

from ingest import queues
from ingest.services import Services


def test_a_running_worker_keeps_a_short_lived_key_alive(services: Services) -> None:
    settings = services.settings.model_copy(update={"worker_alive_seconds": 2})
    ingest = queues.queue(queues.INGEST, services.redis, settings)
    ingest.enqueue(time.sleep, 4)  # twice as long as the key lives between beats
    worker = queues.worker([queues.INGEST], services.redis, settings)
    ttls: list[int] = []
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.2):
            if worker.get_state() == "busy":
                ttls.append(services.redis.ttl(worker.key))

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        worker.work(burst=True)
    finally:
        done.set()
        watcher.join()
    assert len(ttls) >= 10, ttls
    assert -2 not in ttls, ttls  # the key never expired while the job ran
    # The first and last samples may fall between rq's own idle heartbeat and the job's.
    assert all(0 < ttl <= 2 for ttl in ttls[1:-1]), ttls
