"""Field extraction on generated dossiers, measured where it was not tuned: leave one layout
family out.

Each generated document (every kind, every layout family, ``--seeds`` seeds, clean and each
listed scanner defect) is read by ``read_page`` and ``extract_fields``. A field is right when its
normalised value equals the normalised printed value; a printed field not found counts as wrong
and not accepted, a value read for a field the paper does not print as wrong.

Two sets of figures:
- **held out**: for each layout family in turn, the acceptance threshold of each kind of value
  is tuned on every *other* family (the lowest confidence from which ``--target`` of the values
  tuned on were right, and no identifier wrong) and the family is scored at those thresholds;
  the headline is the sum over families, each scored where it was not tuned;
- **in family**: the thresholds the document types ship with (tuned on all families), scored on
  the same pages.
Then the share right per confidence bucket (overall and per kind of value) and every wrong value
that was accepted, with its reasons.

    .venv/bin/python -m bench.fields [--seeds 4] [--first-seed 0] [--degradations clean ...]
        [--families ward_form ...] [--cache DIR]
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from bench.field_readings import Outcome, Reading, Sample, read_samples
from ocr.fields.doctypes import ValueKind, load_document_types
from samples import DEGRADATIONS
from samples.families import FAMILIES

BUCKETS = (0.0, 0.5, 0.8, 0.85, 0.9, 0.95, 0.98, 1.01)
UPRIGHT = [name for name in DEGRADATIONS if not name.startswith("rotate")]
"""Clean pages and every scanner defect but the turns, which are the OCR benchmark's concern."""
LOWEST_THRESHOLD = 0.8
"""No kind of value is accepted unseen below this, whatever the tuning pages say."""
NEVER = 1.01


@dataclass
class Tally:
    total: int = 0
    right: int = 0
    accepted: int = 0
    accepted_right: int = 0
    wrong_identifiers: int = 0

    def add(self, outcome: Outcome, accepted: bool) -> None:
        self.total += 1
        self.right += outcome.right
        self.accepted += accepted
        self.accepted_right += outcome.right and accepted
        self.wrong_identifiers += outcome.identifier and accepted and not outcome.right

    def row(self, name: str) -> str:
        precision = self.accepted_right / self.accepted if self.accepted else float("nan")
        return (
            f"{name:44} {self.total:5d} {self.right / self.total:9.1%} "
            f"{self.accepted / self.total:9.1%} {precision:10.2%} {self.wrong_identifiers:6d}"
        )


HEADER = f"{'':44} {'n':>5} {'accuracy':>9} {'accepted':>9} {'precision':>10} {'wr.id':>6}"


def tune(outcomes: Iterable[Outcome], target: float) -> dict[ValueKind, float]:
    """Per kind of value, the lowest threshold at which ``target`` of the clean values tuned on
    were right and no identifier was wrong; ``NEVER`` where no threshold is that good."""
    by_kind: dict[ValueKind, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        if outcome.clean:
            by_kind[outcome.value_kind].append(outcome)
    thresholds = {}
    for kind, candidates in by_kind.items():
        candidates.sort(key=lambda outcome: outcome.confidence, reverse=True)
        best, right = NEVER, 0
        for count, outcome in enumerate(candidates, start=1):
            right += outcome.right
            if outcome.confidence < LOWEST_THRESHOLD:
                break
            wrong_identifier = outcome.identifier and count > right
            if wrong_identifier:
                break
            if right / count >= target:
                best = outcome.confidence
        thresholds[kind] = best
    return thresholds


def held_out(
    readings: list[Reading], target: float
) -> tuple[dict[tuple[str, str], Tally], list[str], dict[tuple[str, str], dict[ValueKind, float]]]:
    """Each family scored at the thresholds tuned on all the others."""
    tallies: dict[tuple[str, str], Tally] = defaultdict(Tally)
    wrong: list[str] = []
    tuned = {}
    families = sorted({(r.sample.kind, r.sample.family) for r in readings})
    for family in families:
        others = (o for r in readings if _family(r) != family for o in r.outcomes)
        thresholds = tune(others, target)
        tuned[family] = thresholds
        for reading in (r for r in readings if _family(r) == family):
            for outcome in reading.outcomes:
                accepted = outcome.clean and outcome.confidence >= thresholds.get(
                    outcome.value_kind, NEVER
                )
                tallies[family].add(outcome, accepted)
                if accepted and not outcome.right:
                    wrong.append(_describe(outcome))
    return tallies, wrong, tuned


def _family(reading: Reading) -> tuple[str, str]:
    return reading.sample.kind, reading.sample.family


def _describe(outcome: Outcome) -> str:
    sample = outcome.sample
    return (
        f"  {sample.degradation}/{sample.kind}/{sample.family}/{sample.seed}.{outcome.field} "
        f"at {outcome.confidence:.2f}: {outcome.value!r}, not {outcome.expected!r} "
        f"[{'; '.join(outcome.reasons)}]"
    )


def print_tallies(title: str, tallies: dict[tuple[str, str], Tally]) -> None:
    print(f"\n{title}\n{HEADER}")
    overall = Tally()
    for (kind, family), tally in sorted(tallies.items()):
        print(tally.row(f"{kind}/{family}"))
        for name in ("total", "right", "accepted", "accepted_right", "wrong_identifiers"):
            setattr(overall, name, getattr(overall, name) + getattr(tally, name))
    print(overall.row("ALL"))


def in_family(readings: list[Reading]) -> tuple[dict[str, Tally], dict[tuple[str, str], Tally]]:
    fields: dict[str, Tally] = defaultdict(Tally)
    families: dict[tuple[str, str], Tally] = defaultdict(Tally)
    for reading in readings:
        for outcome in reading.outcomes:
            fields[f"{reading.sample.kind}.{outcome.field}"].add(outcome, outcome.accepted)
            families[_family(reading)].add(outcome, outcome.accepted)
    return fields, families


def print_buckets(outcomes: list[Outcome], key: Callable[[Outcome], str]) -> None:
    buckets: dict[tuple[str, int], list[bool]] = defaultdict(list)
    for outcome in outcomes:
        index = next(i for i, top in enumerate(BUCKETS[1:]) if outcome.confidence < top)
        buckets["all", index].append(outcome.right)
        buckets[key(outcome), index].append(outcome.right)
    for name in dict.fromkeys(name for name, _ in sorted(buckets)):
        print(f"  {name}")
        for index in sorted(i for named, i in buckets if named == name):
            marks = buckets[name, index]
            low, high = BUCKETS[index], min(BUCKETS[index + 1], 1.0)
            share = sum(marks) / len(marks)
            print(f"    [{low:.2f}, {high:.2f})  n={len(marks):5d}  right {share:6.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=4)
    parser.add_argument(
        "--first-seed", type=int, default=0, help="draw other documents: an independent set"
    )
    parser.add_argument("--degradations", nargs="*", default=UPRIGHT)
    parser.add_argument("--kinds", nargs="*", default=list(FAMILIES))
    parser.add_argument("--families", nargs="*", help="only these families (default: all)")
    parser.add_argument("--target", type=float, default=0.998, help="precision to tune for")
    parser.add_argument("--cache", type=Path, help="folder keeping each page's OCR between runs")
    args = parser.parse_args()
    types = load_document_types()
    samples = [
        Sample(kind, family, degradation, seed)
        for degradation in args.degradations
        for kind in args.kinds
        for family in FAMILIES[kind]
        if not args.families or family in args.families
        for seed in range(args.first_seed, args.first_seed + args.seeds)
    ]
    readings = read_samples(samples, types, args.cache)
    classified = sum(r.classified_as == r.sample.kind for r in readings)
    print(f"classification: {classified}/{len(readings)} = {classified / len(readings):.1%}")
    tallies, wrong, tuned = held_out(readings, args.target)
    print_tallies("HELD OUT (thresholds tuned on the other families)", tallies)
    print("thresholds tuned without each family, lowest and highest:")
    for kind in sorted({kind for thresholds in tuned.values() for kind in thresholds}):
        values = [thresholds[kind] for thresholds in tuned.values() if kind in thresholds]
        print(f"  {kind:14} {min(values):.4f} .. {max(values):.4f}")
    fields, families = in_family(readings)
    print_tallies("IN FAMILY (thresholds as shipped)", families)
    print(f"\nper field, as shipped\n{HEADER}")
    for name in sorted(fields):
        print(fields[name].row(name))
    outcomes = [outcome for reading in readings for outcome in reading.outcomes]
    print("\nthresholds tuned on all families:")
    for kind, threshold in sorted(tune(outcomes, args.target).items()):
        print(f"  {kind:14} {threshold:.4f}")
    print("\nshare right per confidence bucket, overall then per kind of value:")
    print_buckets(outcomes, lambda outcome: outcome.value_kind)
    print(f"\nwrong values accepted, held out: {len(wrong)}")
    print("\n".join(wrong))
    shipped = [_describe(o) for o in outcomes if o.accepted and not o.right]
    print(f"\nwrong values accepted, as shipped: {len(shipped)}")
    print("\n".join(shipped))


if __name__ == "__main__":
    main()
