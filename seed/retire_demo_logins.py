"""Deactivate the demo logins (their passwords are in the README) before running a database
in production:

    python -m seed.retire_demo_logins [--url DATABASE_URL]

Create a real administrator first (python -m db.create_admin)."""
from __future__ import annotations

import argparse
import sys

from db.engine import use_database
from seed.demo_users import retire_demo_logins


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m seed.retire_demo_logins", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="database URL (default: DATABASE_URL or the local SQLite file)")
    args = parser.parse_args(argv)
    if args.url:
        use_database(args.url)
    retired = retire_demo_logins()
    print(f"Deactivated: {', '.join(retired)}." if retired else "No demo login with its published password is active.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
