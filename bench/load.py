"""Fill one fresh database with the demo generator and report how long it took (child process
of bench.run, so its memory is its own): `python -m bench.load --url URL --scale 10`."""
from __future__ import annotations

import argparse
import json
import time
from datetime import date

from bench.measure import configure_environment, resident_memory_mb

# Tables whose sizes the benchmark reports next to the load time.
COUNTED = ("working_group", "organisation", "site", "activity", "attendance", "issue",
           "issue_update", "commitment", "contribution", "app_user")


def fresh_database(server_url: str | None, scale: float, directory) -> str:
    """A new empty database for this scale: a SQLite file in `directory`, or a database
    created (dropped first) on the PostgreSQL server `server_url`."""
    import sqlalchemy as sa

    label = f"{scale:g}".replace(".", "_")
    if not server_url or server_url.startswith("sqlite"):
        path = directory / f"bench-scale-{label}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        path.with_suffix(".migrate.lock").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    url = sa.engine.make_url(server_url.replace("postgresql://", "postgresql+psycopg://", 1)
                             if server_url.startswith("postgresql://") else server_url)
    name = f"icwg_bench_scale_{label}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        c.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def row_counts(engine) -> dict[str, int]:
    import sqlalchemy as sa

    with engine.connect() as c:
        return {table: c.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()  # fixed names
                for table in COUNTED}


def load(url: str, scale: float, seed: int, as_of: date) -> dict:
    from db.engine import get_engine
    from db.migrate import upgrade

    engine = get_engine(url)
    started = time.perf_counter()
    upgrade(engine)
    migrated = time.perf_counter()
    from seed.generator import load_demo_data

    load_demo_data(engine, scale=scale, random_seed=seed, as_of=as_of)
    loaded = time.perf_counter()
    if engine.dialect.name == "sqlite":
        with engine.connect() as c:
            c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    else:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.exec_driver_sql("ANALYZE")
    return {"scale": scale, "migrate_seconds": migrated - started,
            "load_seconds": loaded - migrated, "rows": row_counts(engine), **resident_memory_mb()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--scale", type=float, required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--as-of", default="2026-11-27")
    args = parser.parse_args(argv)
    configure_environment(args.url, args.as_of)
    result = load(args.url, args.scale, args.seed, date.fromisoformat(args.as_of))
    print("BENCH-RESULT " + json.dumps(result))


if __name__ == "__main__":
    main()
