"""Uploads per second from many desks at once: 1,000 small one-page scans (distinct bytes
each) from 20 concurrent clients against a real API process, no workers running.

Every upload must be answered 202 and recorded; the script prints the rate, the answers and
what the database and the queue hold afterwards. Run with ``python -m bench.concurrent_uploads
[--uploads N] [--clients N]``.
"""

from __future__ import annotations

import argparse
import io
import sqlite3
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from PIL import Image, ImageDraw

from bench.harness import FORM, Sohoa, running_sohoa


def small_scan(number: int) -> bytes:
    """A small one-page PNG whose bytes no other upload shares."""
    image = Image.new("L", (320, 120), 255)
    ImageDraw.Draw(image).text((10, 50), f"GIAY BIEN NHAN SO {number:06d}", fill=0)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def upload_share(sohoa: Sohoa, numbers: range) -> list[int]:
    """One desk's uploads, one after another on one connection; their status codes (0: no
    answer)."""
    codes = []
    with sohoa.client() as client:
        for number in numbers:
            data = {**FORM, "receipt_code": f"LOAD-{number:06d}"}
            files = {"files": (f"scan-{number}.png", small_scan(number))}
            try:
                codes.append(client.post("/v1/dossiers", data=data, files=files).status_code)
            except httpx.TransportError:
                codes.append(0)
    return codes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sohoa-bench-") as folder:
        data_dir = Path(folder) / "data"
        with running_sohoa(data_dir, workers=0) as sohoa:
            shares = [range(n, args.uploads, args.clients) for n in range(args.clients)]
            began = time.monotonic()
            with ThreadPoolExecutor(args.clients) as pool:
                answers = Counter(
                    code for codes in pool.map(lambda s: upload_share(sohoa, s), shares)
                    for code in codes
                )  # fmt: skip
            elapsed = time.monotonic() - began
            with sqlite3.connect(data_dir / "sohoa.db") as db:
                (dossiers,) = db.execute("SELECT count(*) FROM dossiers").fetchone()
                (documents,) = db.execute("SELECT count(*) FROM documents").fetchone()
    print(f"{args.uploads} uploads from {args.clients} clients in {elapsed:.1f} s: "
          f"{args.uploads / elapsed:.1f} uploads/s")  # fmt: skip
    print(f"answers: {dict(sorted(answers.items()))}; stored: {dossiers} dossiers, "
          f"{documents} documents; lost: {args.uploads - dossiers}")  # fmt: skip


if __name__ == "__main__":
    main()
