"""Development only, until the first release: rebuild the single initial migration from the
models (python tools/regen_migration.py). After a release, add new revisions instead."""
import os
import tempfile
from pathlib import Path

from alembic import command

from db.engine import use_database
from db.migrate import alembic_config

VERSIONS = Path(__file__).resolve().parent.parent / "db" / "migrations" / "versions"

if __name__ == "__main__":
    for old in VERSIONS.glob("0001_*.py"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        use_database(f"sqlite:///{os.path.join(tmp, 'empty.sqlite3')}")
        command.revision(alembic_config(), message="initial schema", autogenerate=True, rev_id="0001")
    print("regenerated", *VERSIONS.glob("0001_*.py"))
