"""Create the first administrator of a real deployment (production starts with no users):

    ADMIN_PASSWORD=... python -m db.create_admin --username ana --display-name "Ana Admin" [--url URL]

Without ADMIN_PASSWORD the password is asked for twice at a prompt. The database is migrated
first. The account is audited as created by "system"."""
from __future__ import annotations

import argparse
import getpass
import os
import sys

from db.engine import safe_url, use_database
from db.errors import ValidationFailed
from db.migrate import upgraded
from db.permissions import SYSTEM
from db.users import create_user
from db.vocab import Role
from i18n import LANGUAGES


def _password() -> str | None:
    password = os.environ.get("ADMIN_PASSWORD")
    if password:
        return password
    first = getpass.getpass("Password for the new administrator: ")
    if getpass.getpass("The same password again: ") != first:
        print("The two passwords differ; nothing was created.", file=sys.stderr)
        return None
    return first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m db.create_admin", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--username", required=True)
    parser.add_argument("--display-name", required=True)
    parser.add_argument("--email", default="")
    parser.add_argument("--language", default="en", choices=list(LANGUAGES))
    parser.add_argument("--url", help="database URL (default: DATABASE_URL or the local SQLite file)")
    args = parser.parse_args(argv)
    engine = upgraded(args.url)
    if engine is None:
        return 1
    password = _password()
    if password is None:
        return 1
    use_database(str(engine.url.render_as_string(hide_password=False)))
    try:
        user_id = create_user(SYSTEM, username=args.username, display_name=args.display_name,
                              email=args.email, password=password, role=Role.admin, language=args.language)
    except ValidationFailed as error:
        for field, message in error.errors.items():
            print(f"{field}: {message}", file=sys.stderr)
        return 1
    print(f"Created administrator {args.username.strip().lower()} (id {user_id}) in {safe_url(engine)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
