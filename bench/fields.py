"""Field extraction on generated dossiers: accuracy, straight-through rate, and whether the
confidence can be trusted, per field and overall.

Each generated document (every kind, ``--seeds`` seeds, clean and each listed degradation) is
read by ``read_page`` and ``extract_fields`` in this process. A field is right when its
normalised value equals the normalised printed value. Printed: per field, accuracy, the share
auto-accepted (straight-through) and the precision of what was auto-accepted; overall, the same
plus invalid identifiers accepted and classification accuracy; then a reliability table
(precision per confidence bucket, overall and per kind of value), from which ``accept_at``
thresholds are set, and every wrong value that was accepted, to see what the thresholds let by.

    .venv/bin/python -m bench.fields [--seeds 4] [--degradations clean noise skew ...]
"""

from __future__ import annotations

import argparse
import os
from collections import defaultdict
from dataclasses import dataclass

from PIL import Image

from ocr.engine import make_engine
from ocr.fields.doctypes import ValueKind, load_document_types
from ocr.fields.extract import check_value, extract_fields
from ocr.reading import read_page
from samples import DEGRADATIONS, DOCUMENT_KINDS, degrade, render_document, scan

BUCKETS = (0.0, 0.5, 0.8, 0.85, 0.9, 0.95, 0.98, 1.01)
UPRIGHT = [name for name in DEGRADATIONS if not name.startswith("rotate")]
"""Clean pages and every scanner defect but the turns, which are the OCR benchmark's concern."""


@dataclass
class Tally:
    total: int = 0
    right: int = 0
    accepted: int = 0
    accepted_right: int = 0

    def add(self, right: bool, accepted: bool) -> None:
        self.total += 1
        self.right += right
        self.accepted += accepted
        self.accepted_right += right and accepted

    def row(self, name: str) -> str:
        precision = self.accepted_right / self.accepted if self.accepted else float("nan")
        return (
            f"{name:28} {self.total:5d} {self.right / self.total:9.1%} "
            f"{self.accepted / self.total:9.1%} {precision:10.2%}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=4)
    parser.add_argument("--degradations", nargs="*", default=UPRIGHT)
    args = parser.parse_args()
    os.environ["OMP_THREAD_LIMIT"] = "1"
    engine, types = make_engine(), load_document_types()
    fields: dict[str, Tally] = defaultdict(Tally)
    buckets: dict[tuple[str, int], Tally] = defaultdict(Tally)
    overall, documents, classified, invalid_accepted = Tally(), 0, 0, 0
    wrong_accepted: list[str] = []
    for degradation in args.degradations:
        for kind in DOCUMENT_KINDS:
            for seed in range(args.seeds):
                document = render_document(kind, seed=500 + seed)
                images = [scan(page.image, seed) for page in document.pages]
                if degradation != "clean":
                    images = [degrade(image, degradation, seed) for image in images]
                pages = [read_page(image, _dpi(image), engine).text for image in images]
                extraction = extract_fields(pages, types)
                documents += 1
                classified += extraction.document_type == kind
                specs = {spec.name: spec for spec in types[kind].fields}
                for field in extraction.fields:
                    if field.name not in document.fields:
                        continue
                    value_kind = specs[field.name].kind
                    expected = check_value(value_kind, document.fields[field.name]).value
                    right = field.checked.value == expected
                    fields[f"{kind}.{field.name}"].add(right, field.accepted)
                    overall.add(right, field.accepted)
                    bucket = next(i for i, top in enumerate(BUCKETS[1:]) if field.confidence < top)
                    buckets["all", bucket].add(right, True)
                    buckets[value_kind, bucket].add(right, True)
                    if field.accepted and not right:
                        wrong_accepted.append(
                            f"  {degradation}/{kind}/{seed}.{field.name} at "
                            f"{field.confidence:.2f}: {field.checked.value!r}, not {expected!r}"
                        )
                    identifier = value_kind in (ValueKind.CCCD, ValueKind.TAX_CODE)
                    valid = check_value(value_kind, field.checked.value or "").ok
                    invalid_accepted += identifier and field.accepted and not valid
    print(f"{'field':28} {'n':>5} {'accuracy':>9} {'accepted':>9} {'precision':>10}")
    for name in sorted(fields):
        print(fields[name].row(name))
    print(overall.row("ALL"))
    print(f"classification: {classified}/{documents} = {classified / documents:.1%}")
    print(f"invalid CCCD or tax codes auto-accepted: {invalid_accepted}")
    print("reliability (share right per confidence bucket), overall then per kind of value:")
    for kind in dict.fromkeys(kind for kind, _ in sorted(buckets)):
        print(f"  {kind}")
        for index in sorted(index for named, index in buckets if named == kind):
            tally = buckets[kind, index]
            low, high = BUCKETS[index], min(BUCKETS[index + 1], 1.0)
            share = tally.right / tally.total
            print(f"    [{low:.2f}, {high:.2f})  n={tally.total:5d}  right {share:6.1%}")
    print(f"wrong values auto-accepted: {len(wrong_accepted)}")
    print("\n".join(wrong_accepted))


def _dpi(image: Image.Image) -> int:
    return round(image.info.get("dpi", (300, 300))[0])


if __name__ == "__main__":
    main()
