"""The same page digitized once: wrong reuses on one template filled in for different people,
re-scans found, and the time saved on a batch where one card is in every dossier.

1. **False matches** (in this process, through the real jobs on embedded defaults, one job at
   a time, so every earlier page is a possible source of every later one): for each layout
   family, ``--people`` generated documents about different people, each scanned and uploaded
   as a dossier of its own, then ``--rescans`` other scans (another seed of the scanner's skew,
   blur, noise and JPEG) of the first. A page of another person that is reused is a false
   match (there must be none); the similar pages (pHash within ``MAX_DISTANCE``, sharing a
   band) the confirmation turned down are counted, and so are the re-scans reused. Beside
   them, the perceptual hashes' distances: between different people of one family, and from
   each re-scan to its first scan.
2. **Time saved** (API and 2 worker processes, ``bench.harness``): ``--dossiers`` dossiers each
   holding the same card scan and an application form of a different person, uploaded at
   once, with reuse and with ``force_ocr``, alternately for ``--rounds`` rounds (each run in
   an agency of its own, so that no run reuses another's pages; after a warm-up batch):
   seconds and pages/minute.
3. The cost a page pays to look: fingerprinting an A4 page and a card.

    .venv/bin/python -m bench.page_reuse [--people 6] [--rescans 3] [--dossiers 10] [--rounds 3]
"""

from __future__ import annotations

import argparse
import io
import logging
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from bench.harness import Batch, digitize_dossiers, running_sohoa
from ingest.intake import IncomingFile, receive_dossier
from ingest.queues import ALL_QUEUES, worker
from ingest.redis_server import ensure_private_redis, stop_private_redis
from ingest.services import Services, use_services
from models.config import Settings
from models.status import TextSource
from ocr.fingerprint import MAX_DISTANCE, fingerprint_page, hash_bands, hash_distance
from samples import render_document, save_png, scan
from samples.families import FAMILIES
from storage import repository
from storage.database import migrate, transaction

AGENCY = "bench"


@dataclass
class FamilyCount:
    documents: int = 0
    wrong_reuses: int = 0
    rescans: int = 0
    rescans_reused: int = 0
    people_candidates: int = 0
    """Pairs of different people of which one would be named a candidate for the other."""
    rescan_candidates: int = 0
    people_distances: list[int] = field(default_factory=list)
    rescan_distances: list[int] = field(default_factory=list)


class Searches(logging.Handler):
    """Counts the similar pages the confirmation turned down and the time spent looking, as the
    page jobs log them."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.rejected = 0
        self.seconds: list[float] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.rejected += int(getattr(record, "similar_rejected", 0))
        self.seconds.append(float(getattr(record, "seconds", 0.0)))


@contextmanager
def embedded_services(folder: Path) -> Iterator[Services]:
    """Services on SQLite, a local store and a private Redis under ``folder``."""
    settings = Settings(
        data_dir=folder, database_url=None, redis_url=None, s3_endpoint=None,
        _env_file=None,  # type: ignore[call-arg]
    )  # fmt: skip
    ensure_private_redis(settings.redis_socket)
    services = Services.from_settings(settings)
    migrate(services.engine)
    use_services(services)
    try:
        yield services
    finally:
        use_services(None)
        services.engine.dispose()
        stop_private_redis(settings.redis_socket)


def digitize_here(services: Services, receipt: str, image: Image.Image) -> TextSource | None:
    """Upload one page as a dossier of its own and read it to the end, as a worker would;
    where its page's words came from."""
    path = services.settings.data_dir / f"{receipt}.png"
    save_png([image], path)
    new = repository.NewDossier(receipt, "1.001612", AGENCY)
    incoming = IncomingFile(path.name, io.BytesIO(path.read_bytes()))
    _, (received,) = receive_dossier(services, new, [incoming])
    worker(ALL_QUEUES, services.redis, services.settings).work(burst=True, logging_level="WARNING")
    with transaction(services.sessions) as session:
        return repository.get_document(session, received.document.id).pages[0].text_source


def false_matches(
    people: int, rescans: int, folder: Path
) -> tuple[dict[str, FamilyCount], Searches]:
    """Per family, what reuse made of different people and of re-scans; and the searches that
    found similar pages, over all families."""
    searches = Searches()
    logging.getLogger("ingest.page_reuse").addHandler(searches)
    logging.getLogger("ingest.page_reuse").setLevel(logging.INFO)
    counts: dict[str, FamilyCount] = {}
    with embedded_services(folder) as services:
        for kind, families in FAMILIES.items():
            for family in families:
                counts[f"{kind}/{family}"] = _family(services, kind, family, people, rescans)
    return counts, searches


def _family(services: Services, kind: str, family: str, people: int, rescans: int) -> FamilyCount:
    count = FamilyCount()
    clean = [
        render_document(kind, seed=700 + n, family=family).pages[0].image for n in range(people)
    ]
    scans = [scan(image, seed=n) for n, image in enumerate(clean)]
    hashes = [fingerprint_page(image).perceptual_hash for image in scans]
    for n, image in enumerate(scans):
        source = digitize_here(services, f"{kind}-{family}-person-{n}", image)
        count.documents += 1
        count.wrong_reuses += source == TextSource.REUSED
    pairs = [(a, b) for i, a in enumerate(hashes) for b in hashes[i + 1 :]]
    count.people_distances = [hash_distance(a, b) for a, b in pairs]
    count.people_candidates = sum(is_candidate(a, b) for a, b in pairs)
    for r in range(rescans):
        image = scan(clean[0], seed=100 + r)
        rescan_hash = fingerprint_page(image).perceptual_hash
        count.rescan_distances.append(hash_distance(rescan_hash, hashes[0]))
        count.rescan_candidates += is_candidate(rescan_hash, hashes[0])
        source = digitize_here(services, f"{kind}-{family}-rescan-{r}", image)
        count.rescans += 1
        count.rescans_reused += source == TextSource.REUSED
    return count


def is_candidate(first: str, second: str) -> bool:
    """Whether the database would name one page a candidate for the other: they share a band
    and are within ``MAX_DISTANCE``."""
    shared = any(a == b for a, b in zip(hash_bands(first), hash_bands(second), strict=True))
    return shared and hash_distance(first, second) <= MAX_DISTANCE


def batch_files(dossiers: int, folder: Path) -> list[list[Path]]:
    """Each dossier: the same card scan, and an application form of a different person."""
    folder.mkdir(parents=True)
    card = folder / "card.png"
    save_png([scan(render_document("cccd", seed=500).pages[0].image, seed=1)], card)
    batch = []
    for n in range(dossiers):
        form = folder / f"form-{n}.png"
        save_png([scan(render_document("don_de_nghi", seed=600 + n).pages[0].image, seed=n)], form)
        batch.append([card, form])
    return batch


def reused_pages(batch: Batch) -> Counter[str]:
    """Pages of the batch by where their words came from."""
    return Counter(
        page["text_source"]
        for dossier in batch.dossiers
        for document in dossier["documents"]
        for page in document["pages"]
    )


def time_saved(dossiers: int, rounds: int, folder: Path) -> list[tuple[str, Batch]]:
    files = batch_files(dossiers, folder / "files")
    runs = []
    with running_sohoa(folder / "data", workers=2) as sohoa:
        # The workers' first documents start their fork servers and load their models.
        digitize_dossiers(sohoa, files[:2], agency="bench-warm-up", receipt_prefix="warm-up")
        for n in range(rounds):
            for mode in ("reuse", "force_ocr"):
                batch = digitize_dossiers(
                    sohoa, files, force_ocr=mode == "force_ocr",
                    agency=f"bench-{mode}-{n}", receipt_prefix=f"{mode}-{n}",
                )  # fmt: skip
                runs.append((mode, batch))
    return runs


def fingerprint_seconds() -> dict[str, float]:
    """Seconds to fingerprint one page, the mean of 10."""
    pages = {
        "A4 page": scan(render_document("don_de_nghi", seed=1).pages[0].image, seed=1),
        "card": scan(render_document("cccd", seed=1).pages[0].image, seed=1),
    }
    seconds = {}
    for name, image in pages.items():
        started = time.perf_counter()
        for _ in range(10):
            fingerprint_page(image)
        seconds[name] = (time.perf_counter() - started) / 10
    return seconds


def print_false_matches(counts: dict[str, FamilyCount], searches: Searches) -> None:
    print(f"false matches: different people per family, pHash within {MAX_DISTANCE} bits")
    print(f"  {'family':<42} {'docs':>4} {'wrong':>5} {'people dist min/median':>23} "
          f"{'rescans reused':>14} {'rescan dist max':>15}")  # fmt: skip
    for name, count in counts.items():
        people = count.people_distances
        print(
            f"  {name:<42} {count.documents:>4} {count.wrong_reuses:>5} "
            f"{min(people):>11}/{statistics.median(people):<11} "
            f"{count.rescans_reused:>8}/{count.rescans:<5} {max(count.rescan_distances):>15}"
        )
    documents = sum(c.documents for c in counts.values())
    wrong = sum(c.wrong_reuses for c in counts.values())
    near = sum(c.people_candidates for c in counts.values())
    pairs = sum(len(c.people_distances) for c in counts.values())
    rescans_near = sum(c.rescan_candidates for c in counts.values())
    found = sum(c.rescans_reused for c in counts.values())
    total = sum(c.rescans for c in counts.values())
    print(f"  pages of other people reused (false matches): {wrong} of {documents}")
    print(f"  pairs of different people that are candidates (a band shared, within the"
          f" distance): {near} of {pairs}")  # fmt: skip
    print(f"  similar pages the confirmation turned down: {searches.rejected}")
    if searches.seconds:
        print(
            f"  seconds spent looking, on the {len(searches.seconds)} pages that had similar ones:"
            f" median {statistics.median(searches.seconds):.3f}, max {max(searches.seconds):.3f}"
        )
    print(f"  re-scans that are candidates: {rescans_near} of {total}; reused: {found} of {total}")


def print_time_saved(runs: list[tuple[str, Batch]]) -> None:
    print("time saved: every dossier holds the same card and a different application form")
    for mode, batch in runs:
        sources = reused_pages(batch)
        pages = sum(sources.values())
        rate = 60 * pages / batch.seconds
        print(
            f"  {mode:<10} {pages} pages {batch.seconds:6.1f} s {rate:6.1f} pages/min  "
            f"(reused {sources.get('reused', 0)}, OCR {sources.get('ocr', 0)})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=6)
    parser.add_argument("--rescans", type=int, default=3)
    parser.add_argument("--dossiers", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip-false-matches", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sohoa-bench-") as folder:
        root = Path(folder)
        if not args.skip_false_matches:
            counts, searches = false_matches(args.people, args.rescans, root / "matches")
            print_false_matches(counts, searches)
        print_time_saved(time_saved(args.dossiers, args.rounds, root / "batch"))
    print("seconds to fingerprint a page:")
    for name, seconds in fingerprint_seconds().items():
        print(f"  {name:<10} {seconds:.3f}")


if __name__ == "__main__":
    main()
