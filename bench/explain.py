"""Which statements of a page read big tables without an index: `python -m bench.explain
pages/issues.py --role coordinator [--url ...]`. Runs the page once with empty caches, then asks
the database for the plan of every distinct statement (SQLite: EXPLAIN QUERY PLAN; PostgreSQL:
EXPLAIN) and prints the statements whose plan scans a table of more than --rows rows, with
their time, so an index can be added where a query needs one."""
from __future__ import annotations

import argparse
import re
import time

from bench.measure import clear_caches, configure_environment, import_project, logged_in_page
from bench.run import RESULTS


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("page")
    parser.add_argument("--url", default=f"sqlite:///{RESULTS / 'bench-scale-100.sqlite3'}")
    parser.add_argument("--role", default="coordinator")
    parser.add_argument("--user")
    parser.add_argument("--as-of", default="2026-11-27")
    parser.add_argument("--rows", type=int, default=20_000, help="a table this big should not be scanned")
    parser.add_argument("--slower-than", type=float, default=None,
                        help="also show the whole plan of every statement that took longer (seconds)")
    parser.add_argument("--full", action="store_true", help="print whole statements, not their first 300 characters")
    args = parser.parse_args(argv)
    configure_environment(args.url, args.as_of)
    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    import_project()
    import sqlalchemy as sa
    from sqlalchemy import event

    from db.engine import get_engine, use_database

    use_database(args.url)
    engine = get_engine(args.url)
    captured: dict[str, tuple] = {}
    started: dict[int, float] = {}

    def before(conn, cursor, statement, parameters, context, executemany):
        started[id(cursor)] = time.perf_counter()

    def after(conn, cursor, statement, parameters, context, executemany):
        took = time.perf_counter() - started.pop(id(cursor), time.perf_counter())
        seen = captured.get(statement)
        captured[statement] = (parameters, took + (seen[1] if seen else 0.0), (seen[2] if seen else 0) + 1)

    at = logged_in_page(args.page, args.user or args.role, args.role)
    clear_caches()
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    at.run()
    event.remove(engine, "before_cursor_execute", before)
    event.remove(engine, "after_cursor_execute", after)

    with engine.connect() as c:
        big = _big_tables(c, engine.dialect.name, args.rows)
        print(f"{args.page}: {len(captured)} distinct statements; tables over {args.rows:,} rows: "
              + ", ".join(f"{t} ({n:,})" for t, n in sorted(big.items())))
        for statement, (parameters, took, count) in sorted(captured.items(), key=lambda i: -i[1][1]):
            if not statement.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
            try:
                plan = [" ".join(str(part) for part in row) for row in c.exec_driver_sql(prefix + statement, parameters)]
            except sa.exc.SQLAlchemyError as error:
                plan = [f"(no plan: {str(error.orig).splitlines()[0]})"]
            scans = [line for line in plan if _scans_big(line, big, engine.dialect.name)]
            slow = args.slower_than is not None and took > args.slower_than
            if scans or slow:
                text = " ".join(statement.split())
                print(f"\n{took:.3f} s in {count} run(s): {text if args.full else text[:300]}")
                if slow and args.full:
                    print(f"    parameters: {parameters}")
                for line in plan if slow else scans:
                    print("    " + line.strip())


def _big_tables(connection, dialect: str, rows: int) -> dict[str, int]:
    import sqlalchemy as sa

    names = sa.inspect(connection).get_table_names()
    sizes = {name: connection.execute(sa.text(f'SELECT count(*) FROM "{name}"')).scalar_one() for name in names}
    return {name: n for name, n in sizes.items() if n > rows}


def _scans_big(line: str, big: dict[str, int], dialect: str) -> bool:
    if dialect == "sqlite":
        match = re.search(r"\bSCAN (\w+)", line)
        return bool(match) and match.group(1) in big and "COVERING INDEX" not in line and " USING INDEX" not in line
    match = re.search(r"Seq Scan on (\w+)", line)
    return bool(match) and match.group(1) in big


if __name__ == "__main__":
    main()
