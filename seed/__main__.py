"""Fill a database with demo data:

    python -m seed --scale 1 --random-seed 7 --as-of 2026-11-27 [--url DATABASE_URL] [--reset]

The target is migrated first. A database that already holds data is left alone unless
--reset is given, which deletes every row first."""
from __future__ import annotations

import argparse
import sys
import time
from datetime import date

from db.engine import safe_url
from db.migrate import upgraded
from seed.generator import clear_database, is_empty, load_demo_data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m seed", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0,
                        help="row counts relative to the demo (1: 600 activities, 1,000 issues; 100: a load test)")
    parser.add_argument("--random-seed", type=int, default=7)
    parser.add_argument("--as-of", type=date.fromisoformat, default=None,
                        help="the last day of history, YYYY-MM-DD (default: today)")
    parser.add_argument("--url", help="database URL (default: DATABASE_URL or the local SQLite file)")
    parser.add_argument("--reset", action="store_true", help="delete all existing rows first")
    args = parser.parse_args(argv)
    if args.scale <= 0:
        parser.error("--scale must be positive")

    engine = upgraded(args.url)
    if engine is None:
        return 2
    if not is_empty(engine):
        if not args.reset:
            print(f"{safe_url(engine)} already holds data; add --reset to delete it and load the demo data.",
                  file=sys.stderr)
            return 1
        clear_database(engine)
    started = time.perf_counter()
    counts = load_demo_data(engine, scale=args.scale, random_seed=args.random_seed, as_of=args.as_of)
    elapsed = time.perf_counter() - started
    width = max(len(name) for name in counts)
    for name, count in sorted(counts.items()):
        print(f"{name:<{width}}  {count:>9,}")
    print(f"{'total':<{width}}  {sum(counts.values()):>9,}")
    print(f"Loaded scale {args.scale:g} (seed {args.random_seed}) into {safe_url(engine)} in {elapsed:.1f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
