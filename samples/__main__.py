"""``python -m samples OUT_DIR [--seed N] [--count N]``: write sample dossiers."""

from __future__ import annotations

import argparse
from pathlib import Path

from samples.dossiers import write_sample_dossiers


def main(argv: list[str] | None = None) -> int:
    """Write the dossiers and print one folder per line, for scripts to pick up."""
    parser = argparse.ArgumentParser(
        prog="python -m samples",
        description="Write sample Vietnamese dossiers with their ground truth.",
    )
    parser.add_argument("out_dir", type=Path, help="folder to write the dossier folders into")
    parser.add_argument("--seed", type=int, default=0, help="same seed, same bytes (default 0)")
    parser.add_argument("--count", type=int, default=3, help="number of dossiers (default 3)")
    args = parser.parse_args(argv)
    if args.count < 0:
        parser.error("--count must not be negative")
    for folder in write_sample_dossiers(args.out_dir, seed=args.seed, count=args.count):
        print(folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
