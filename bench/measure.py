"""Measure one page in this process: the SQL it issues, its script time, its memory and what
it hands to charts and tables. `python -m bench.measure` is the child process bench.run starts
for every cold measurement (fresh process: modules imported, caches empty)."""
from __future__ import annotations

import argparse
import gc
import importlib
import io
import json
import os
import pkgutil
import statistics
import sys
import time
import tracemalloc
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A page whose cold run takes longer than this is measured once per kind (no tracemalloc run).
SLOW_SECONDS = 15.0


def configure_environment(url: str, as_of: str) -> None:
    """The settings a page reads: this database, no demo seeding, a fixed as-of date."""
    os.environ["DATABASE_URL"] = url
    os.environ["DEMO_DATA"] = "off"
    os.environ["AS_OF_DATE"] = as_of
    os.environ.setdefault("APP_MODE", "demo")
    os.environ.setdefault("COOKIE_KEY", "bench-not-a-secret")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


def import_project() -> None:
    """Import every module a page may use, so a cold run measures the page, not imports."""
    import altair  # noqa: F401
    import pandas  # noqa: F401
    import streamlit  # noqa: F401
    from streamlit.testing.v1 import AppTest  # noqa: F401

    for package in ("i18n", "db", "components"):
        module = importlib.import_module(package)
        for info in pkgutil.walk_packages(module.__path__, prefix=f"{package}."):
            if ".migrations" in info.name or info.name.endswith("__main__"):
                continue
            try:
                importlib.import_module(info.name)
            except Exception:  # a module mid-rewrite by its owner must not stop the benchmark
                pass


class QueryCounter:
    """Counts the statements an engine executes and the time they take (cursor events)."""

    def __init__(self, engine) -> None:
        from sqlalchemy import event

        self.engine, self.queries, self.seconds = engine, 0, 0.0
        self.statements: list[str] = []
        self.keep_statements = False
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn, cursor, statement, parameters, context, executemany):
        conn.info.setdefault("bench_started", []).append(time.perf_counter())

    def _after(self, conn, cursor, statement, parameters, context, executemany):
        started = conn.info["bench_started"].pop()
        self.seconds += time.perf_counter() - started
        self.queries += 1
        if self.keep_statements:
            self.statements.append(statement)

    def reset(self) -> None:
        self.queries, self.seconds, self.statements = 0, 0.0, []

    def remove(self) -> None:
        from sqlalchemy import event

        event.remove(self.engine, "before_cursor_execute", self._before)
        event.remove(self.engine, "after_cursor_execute", self._after)


def logged_in_page(path: str, username: str, role: str, display_name: str | None = None):
    """An AppTest of one page, logged in with a server-side session for `username` (as
    tests/conftest.page does)."""
    from streamlit.testing.v1 import AppTest

    from components.auth import SESSION_TOKEN
    from db.sessions import start_session
    from db.users import load_actor

    at = AppTest.from_file(str(ROOT / path), default_timeout=600)
    at.session_state[SESSION_TOKEN] = start_session(load_actor(username).id)
    return at


@dataclass
class Shown:
    """What one run handed to the browser."""
    chart_rows: list[int] = field(default_factory=list)   # rows per chart (all its datasets)
    table_rows: list[int] = field(default_factory=list)   # rows per dataframe/table/editor
    exceptions: list[str] = field(default_factory=list)
    refused: bool = False                                  # the guard stopped the page


def _arrow_rows(data: bytes) -> int:
    import pyarrow as pa

    if not data:
        return 0
    return pa.ipc.open_stream(io.BytesIO(data)).read_all().num_rows


def _walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def shown_by(at) -> Shown:
    """Inspect the element tree after a run: chart datasets, table lengths, exceptions."""
    shown = Shown()
    for node in _walk(at._tree):
        kind = getattr(node, "type", None)
        if kind in ("vega_lite_chart", "arrow_vega_lite_chart"):
            proto = node.proto
            rows = sum(_arrow_rows(d.data.data) for d in proto.datasets)
            if getattr(proto, "data", None) is not None and proto.HasField("data"):
                rows += _arrow_rows(proto.data.data)
            spec = json.loads(proto.spec or "{}")
            rows += sum(len(v) for v in (spec.get("datasets") or {}).values() if isinstance(v, list))
            rows += len((spec.get("data") or {}).get("values") or [])
            shown.chart_rows.append(rows)
        elif kind in ("dataframe", "table", "arrow_data_frame", "arrow_table"):
            try:
                shown.table_rows.append(len(node.value))
            except Exception:
                shown.table_rows.append(-1)
        elif kind == "exception":
            shown.exceptions.append(str(getattr(node, "message", node))[:300])
        elif kind == "warning" and "does not give access" in str(getattr(node, "value", "")):
            shown.refused = True
    return shown


def resident_memory_mb() -> dict:
    """This process's resident memory now and at its peak (Linux /proc; ru_maxrss otherwise)."""
    values = {}
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            key, _sep, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0]) / 1024
    except OSError:
        import resource

        values["VmHWM"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"rss_mb": round(values.get("VmRSS", 0.0), 1), "peak_rss_mb": round(values.get("VmHWM", 0.0), 1)}


@dataclass
class RunResult:
    seconds: float
    sql_seconds: float
    queries: int
    cpu_seconds: float = 0.0  # CPU time of this process (all threads): robust to a busy machine


def timed_run(at, counter: QueryCounter) -> RunResult:
    counter.reset()
    started, cpu_started = time.perf_counter(), time.process_time()
    at.run()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    return RunResult(elapsed, counter.seconds, counter.queries, cpu)


def clear_caches() -> None:
    import streamlit as st

    st.cache_data.clear()


def measure(page: str, url: str, username: str, role: str, *, warm: int, full: bool) -> dict:
    """Cold run first (this process has imported everything but run nothing), then, when
    `full`: `warm` cached reruns, `warm` uncached reruns (st.cache_data cleared: what every
    page costs after any write bumps the data version) and one uncached run under tracemalloc."""
    from db.engine import get_engine, use_database

    use_database(url)
    counter = QueryCounter(get_engine(url))
    at = logged_in_page(page, username, role)
    cold = timed_run(at, counter)
    shown = shown_by(at)
    result: dict = {"page": page, "cold": asdict(cold), "shown": asdict(shown)}
    if full and not shown.exceptions:
        slow = cold.seconds > SLOW_SECONDS
        if slow:  # far off target anyway: one run of each kind keeps the benchmark finishing
            warm = 1
        warm_runs = [timed_run(at, counter) for _ in range(warm)]
        uncached_runs = []
        for _ in range(warm):
            clear_caches()
            uncached_runs.append(timed_run(at, counter))
        peak = None
        if not slow:
            clear_caches()
            gc.collect()
            tracemalloc.start()
            tracemalloc.reset_peak()
            at.run()
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        result.update(slow=slow, runs=warm,
            warm=_median(warm_runs), uncached=_median(uncached_runs),
            warm_queries_max=max(r.queries for r in warm_runs),
            uncached_queries=[r.queries for r in uncached_runs],
            tracemalloc_peak_mb=None if peak is None else round(peak / 2**20, 1),
        )
    result["memory"] = resident_memory_mb()
    return result


def _median(runs: list[RunResult]) -> dict:
    return {"seconds": statistics.median(r.seconds for r in runs),
            "sql_seconds": statistics.median(r.sql_seconds for r in runs),
            "queries": statistics.median(r.queries for r in runs),
            "cpu_seconds": statistics.median(r.cpu_seconds for r in runs)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("page")
    parser.add_argument("--url", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--role", required=True)
    parser.add_argument("--as-of", required=True)
    parser.add_argument("--warm", type=int, default=5)
    parser.add_argument("--cold-only", action="store_true")
    args = parser.parse_args(argv)
    configure_environment(args.url, args.as_of)
    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    import_project()
    result = measure(args.page, args.url, args.user, args.role, warm=args.warm, full=not args.cold_only)
    print("BENCH-RESULT " + json.dumps(result))


if __name__ == "__main__":
    main()
