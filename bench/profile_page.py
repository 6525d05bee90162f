"""Profile one page with cProfile: `python -m bench.profile_page pages/issues.py --role
coordinator [--url sqlite:///bench/results/bench-scale-100.sqlite3] [--uncached|--cold|--warm]`.

Runs the page once to fill the process (unless --cold), then profiles one run and prints the
top functions by cumulative and by own time, with the slowest SQL statements."""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import time
from contextlib import contextmanager

from bench.measure import QueryCounter, clear_caches, configure_environment, import_project, logged_in_page
from bench.run import RESULTS


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("page")
    parser.add_argument("--url", default=f"sqlite:///{RESULTS / 'bench-scale-100.sqlite3'}")
    parser.add_argument("--role", default="coordinator")
    parser.add_argument("--user", help="username (default: the demo user of that role)")
    parser.add_argument("--as-of", default="2026-11-27")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--cold", action="store_true", help="profile the first run in this process")
    mode.add_argument("--warm", action="store_true", help="profile a cached rerun")
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--sql", type=int, default=8, help="show the N slowest statements")
    args = parser.parse_args(argv)

    configure_environment(args.url, args.as_of)
    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    import_project()
    from db.engine import get_engine, use_database

    use_database(args.url)
    counter = QueryCounter(get_engine(args.url))
    timings: list[tuple[float, str]] = []
    _time_statements(get_engine(args.url), timings)
    at = logged_in_page(args.page, args.user or args.role, args.role)
    if not args.cold:
        at.run()
        if not args.warm:
            clear_caches()
    counter.reset()
    timings.clear()
    profiler = cProfile.Profile()
    started = time.perf_counter()
    with _profiling_script_thread(profiler):
        at.run()
    elapsed = time.perf_counter() - started
    mode_name = "cold" if args.cold else "warm" if args.warm else "uncached"
    print(f"{args.page} as {args.role}, {mode_name} run: {elapsed:.3f} s, {counter.queries} queries, "
          f"{counter.seconds:.3f} s in SQL")
    for exc in at.exception:
        print("EXCEPTION:", exc.message)
    for sort in ("cumulative", "tottime"):
        buffer = io.StringIO()
        stats = pstats.Stats(profiler, stream=buffer)
        stats.strip_dirs().sort_stats(sort).print_stats(args.top)
        print(f"\n--- top {args.top} by {sort} ---")
        print(_trim(buffer.getvalue()))
    if args.sql:
        print(f"\n--- {args.sql} slowest statements ---")
        for seconds, statement in sorted(timings, reverse=True)[:args.sql]:
            print(f"{seconds:.4f} s  {' '.join(statement.split())[:400]}")


@contextmanager
def _profiling_script_thread(profiler: cProfile.Profile):
    """AppTest runs the page in a script-runner thread, which cProfile (per thread) would not
    see from here: enable the profiler inside that thread, around the page's code."""
    from streamlit.runtime.scriptrunner import script_runner

    original = script_runner.exec_func_with_error_handling

    def profiled(func, ctx):
        profiler.enable()
        try:
            return original(func, ctx)
        finally:
            profiler.disable()

    script_runner.exec_func_with_error_handling = profiled
    try:
        yield
    finally:
        script_runner.exec_func_with_error_handling = original


def _time_statements(engine, timings: list) -> None:
    from sqlalchemy import event

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn, cursor, statement, parameters, context, executemany):
        conn.info["profile_started"] = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def _after(conn, cursor, statement, parameters, context, executemany):
        timings.append((time.perf_counter() - conn.info.pop("profile_started"), statement))


def _trim(text: str) -> str:
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip().startswith("ncalls")), 0)
    return "\n".join(line for line in lines[start:] if line.strip())


if __name__ == "__main__":
    main()
