"""The benchmark: `python -m bench.run --scales 1 10 100 [--url postgresql+psycopg://...]
[--role coordinator] [--repeat 5] [--out bench/results/sqlite.md]`.

For each scale it fills a fresh database with the demo generator (a SQLite file under
bench/results/, or a fresh database on the PostgreSQL server --url names) and times the load.
Then it runs every page in components.nav.PAGES that the representative role may open (and the
admin-only pages as admin) with Streamlit's AppTest:
  cold      the first run in a fresh process (modules imported, caches and pool empty),
            median of --cold-repeat processes;
  warm      reruns in the same AppTest with the cache filled (median of --repeat);
  uncached  reruns after st.cache_data.clear() in a warm process (median of --repeat): what
            every page costs on the first run after any write, since a write bumps the data
            version that every cached read keys on.
Per page it reports SQL time and query count (SQLAlchemy cursor events), tracemalloc's peak
during one uncached run, the process's resident memory, the rows handed to charts (datasets
of each Vega-Lite spec) and tables, and any exception. Misses against the targets of issue 9
are marked with ✗ and listed under the table."""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from bench.measure import ROOT, SLOW_SECONDS

RESULTS = ROOT / "bench" / "results"
ADMIN_ONLY_ROLE = "admin"


@dataclass(frozen=True)
class Targets:
    warm_seconds: float = 0.3
    cold_seconds: float = 1.5
    outside_sql_seconds: float = 0.15
    chart_rows: int = 5000
    table_rows: int = 200
    tracemalloc_mb: float = 50.0
    load_seconds_at_100: float = 300.0
    growth_10_to_100: float = 3.0
    growth_floor_seconds: float = 0.15  # warm times below this are not compared across scales


TARGETS = Targets()


# ---------------------------------------------------------------- child processes

def _child_env(url: str, as_of: str) -> dict:
    env = dict(os.environ, DATABASE_URL=url, DEMO_DATA="off", AS_OF_DATE=as_of,
               APP_MODE="demo", COOKIE_KEY="bench-not-a-secret", STREAMLIT_LOGGER_LEVEL="error",
               PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return env


def _child(args: list[str], url: str, as_of: str, timeout: float) -> dict:
    """Run `python -m <args>` and return the JSON it prints after BENCH-RESULT."""
    done = subprocess.run([sys.executable, "-m", *args], cwd=ROOT, env=_child_env(url, as_of),
                          capture_output=True, text=True, timeout=timeout)
    for line in done.stdout.splitlines():
        if line.startswith("BENCH-RESULT "):
            return json.loads(line.removeprefix("BENCH-RESULT "))
    tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
    raise RuntimeError(f"python -m {' '.join(args[:2])} failed (exit {done.returncode}):\n{tail}")


def load_database(server_url: str | None, scale: float, seed: int, as_of: str, reuse: bool) -> dict:
    from bench.load import fresh_database

    label = f"{scale:g}".replace(".", "_")
    sqlite = not server_url or server_url.startswith("sqlite")
    info = RESULTS / (f"bench-scale-{label}.json" if sqlite else f"bench-postgresql-scale-{label}.json")
    if reuse and info.exists():
        known = json.loads(info.read_text())
        if _loaded(known["url"]) and (sqlite or _same_server(known["url"], server_url)):
            return known | {"reused": True}
    url = fresh_database(server_url, scale, RESULTS)
    result = _child(["bench.load", "--url", url, "--scale", str(scale), "--seed", str(seed),
                     "--as-of", as_of], url, as_of, timeout=3600)
    result["url"] = url
    info.write_text(json.dumps(result))
    return result


def _loaded(url: str) -> bool:
    """Whether a database this script loaded earlier is still there and filled."""
    import sqlalchemy as sa

    if url.startswith("sqlite") and not Path(sa.engine.make_url(url).database).exists():
        return False
    engine = sa.create_engine(url)
    try:
        with engine.connect() as c:
            return c.execute(sa.text("SELECT count(*) FROM working_group")).scalar_one() > 0
    except sa.exc.SQLAlchemyError:
        return False
    finally:
        engine.dispose()


def _same_server(url: str, server_url: str) -> bool:
    import sqlalchemy as sa

    a, b = sa.engine.make_url(url), sa.engine.make_url(server_url)
    return (a.host, a.port) == (b.host, b.port)


# ---------------------------------------------------------------- which pages, as whom

def pages_to_run(url: str, role: str, only: list[str] | None) -> list[tuple[str, str, str]]:
    """(page path, username, role) for every page the representative role may open, and the
    admin-only pages as admin. Generic over components.nav.PAGES."""
    from components.nav import PAGES, allowed_pages
    from db.engine import use_database

    use_database(url)
    representative = _demo_actor(role)
    admin = _demo_actor(ADMIN_ONLY_ROLE)
    mine = {spec.path for spec in allowed_pages(representative)}
    admins = {spec.path for spec in allowed_pages(admin)}
    chosen = []
    for spec in PAGES:
        if only and not any(part in spec.path for part in only):
            continue
        if spec.path in mine:
            chosen.append((spec.path, representative.username, str(representative.role)))
        elif spec.path in admins:
            chosen.append((spec.path, admin.username, str(admin.role)))
    use_database(None)
    return chosen


def _demo_actor(role: str):
    """The demo user of this role (username = role in the demo data), else any active one."""
    import sqlalchemy as sa

    from db.engine import session_scope
    from db.models import User
    from db.users import load_actor

    actor = load_actor(role)
    if actor is not None and str(actor.role) == role:
        return actor
    with session_scope() as s:
        name = s.execute(sa.select(User.username).where(User.role == role, User.active.is_(True))
                         .order_by(User.id).limit(1)).scalar()
    if name is None:
        raise SystemExit(f"No active user with role {role!r} in the benchmark database.")
    return load_actor(name)


def measure_page(url: str, page: str, username: str, role: str, as_of: str, repeat: int,
                 cold_repeat: int) -> dict:
    common = [page, "--url", url, "--user", username, "--role", role, "--as-of", as_of]
    full = _child(["bench.measure", *common, "--warm", str(repeat)], url, as_of, timeout=1800)
    colds = [full["cold"]["seconds"]]
    for _ in range(0 if full.get("slow") else max(cold_repeat - 1, 0)):
        colds.append(_child(["bench.measure", *common, "--cold-only"], url, as_of, timeout=900)["cold"]["seconds"])
    full["cold_median"] = statistics.median(colds)
    full["cold_runs"] = colds
    full["user"], full["role"] = username, role
    return full


# ---------------------------------------------------------------- the report

def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or cpu
    ram = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 2**20:.1f} GiB"
    except OSError:
        pass
    import sqlite3

    import pandas
    import sqlalchemy
    import streamlit

    return {"cpu": cpu, "cores": os.cpu_count(), "ram": ram,
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "streamlit": streamlit.__version__, "sqlalchemy": sqlalchemy.__version__,
            "pandas": pandas.__version__, "os": platform.platform(terse=True),
            "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "load": " / ".join(f"{v:.1f}" for v in os.getloadavg())}


def server_version(url: str) -> str:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    try:
        with engine.connect() as c:
            if engine.dialect.name == "postgresql":
                return "PostgreSQL " + c.execute(sa.text("SHOW server_version")).scalar_one()
            return "SQLite " + c.execute(sa.text("SELECT sqlite_version()")).scalar_one()
    finally:
        engine.dispose()


def _safe(url: str) -> str:
    import sqlalchemy as sa

    return sa.engine.make_url(url).render_as_string(hide_password=True)


def _s(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _mark(ok: bool) -> str:
    return "" if ok else " ✗"


def page_rows(scale: float, results: list[dict], warm_at_10: dict[str, float] | None,
              queries_at_smaller: dict[str, int] | None) -> tuple[list[str], list[str]]:
    """Markdown table lines for one scale, and the list of misses."""
    lines = ["| page | as | cold s | warm s | warm CPU s | uncached s | uncached CPU s | SQL s | outside SQL s | "
             "queries | chart rows (max) | table rows (max) | tracemalloc MB | RSS MB | exception |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    misses = []
    t = TARGETS
    for r in results:
        name = Path(r["page"]).stem
        if "error" in r:
            lines.append(f"| {name} | {r.get('role', '')} | – | – | – | – | – | – | – | – | – | – | – | – | "
                         f"benchmark failed: {r['error'].splitlines()[-1][:120]} |")
            misses.append(f"{name}: the benchmark could not run it ({r['error'].splitlines()[-1][:200]})")
            continue
        shown = r["shown"]
        exc = " ".join("; ".join(shown["exceptions"]).replace("|", "/").split())[:160]
        if exc:
            cold = r["cold_median"]
            lines.append(f"| {name} | {r['role']} | {_s(cold)} | – | – | – | – | – | – | {r['cold']['queries']} | "
                         f"{max(shown['chart_rows'], default=0)} | {max(shown['table_rows'], default=0)} | – | "
                         f"{r['memory']['peak_rss_mb']} | ✗ {exc} |")
            misses.append(f"{name}: exception on the page: {exc}")
            continue
        warm, uncached = r["warm"]["seconds"], r["uncached"]["seconds"]
        sql = r["uncached"]["sql_seconds"]
        outside = uncached - sql
        queries = int(max(r["uncached_queries"]))
        charts, tables = max(shown["chart_rows"], default=0), max(shown["table_rows"], default=0)
        peak = r["tracemalloc_peak_mb"]
        runs_note = " (1 run)" if r.get("slow") else ""
        checks = {
            "cold": r["cold_median"] <= t.cold_seconds,
            "warm": warm <= t.warm_seconds,
            "outside": outside <= t.outside_sql_seconds,
            "charts": charts <= t.chart_rows,
            "tables": tables <= t.table_rows,
            "memory": peak is None or peak < t.tracemalloc_mb,
            "growth": True, "queries": True,
        }
        growth = ""
        if warm_at_10 and name in warm_at_10 and scale >= 100:
            ratio = warm / warm_at_10[name] if warm_at_10[name] else 0
            # Below the floor a page sits on in AppTest (about 0.07 s), a ratio measures noise.
            checks["growth"] = ratio <= t.growth_10_to_100 or warm <= t.growth_floor_seconds
            growth = f" ({ratio:.1f}× scale 10)"
        if queries_at_smaller and name in queries_at_smaller and queries > queries_at_smaller[name]:
            checks["queries"] = False
        lines.append(
            f"| {name}{runs_note} | {r['role']} | {_s(r['cold_median'])}{_mark(checks['cold'])} | "
            f"{_s(warm)}{_mark(checks['warm'] and checks['growth'])}{growth} | {_s(r['warm'].get('cpu_seconds'))} | "
            f"{_s(uncached)} | {_s(r['uncached'].get('cpu_seconds'))} | {_s(sql)} | "
            f"{_s(outside)}{_mark(checks['outside'])} | {queries}{_mark(checks['queries'])} | "
            f"{charts}{_mark(checks['charts'])} | {tables}{_mark(checks['tables'])} | "
            f"{'–' if peak is None else peak}{_mark(checks['memory'])} | {r['memory']['peak_rss_mb']} | |")
        reasons = {
            "cold": f"cold {r['cold_median']:.2f} s > {t.cold_seconds} s",
            "warm": f"warm {warm:.3f} s > {t.warm_seconds} s",
            "outside": f"time outside SQL {outside:.3f} s > {t.outside_sql_seconds} s (uncached {uncached:.3f} s, SQL {sql:.3f} s)",
            "charts": f"a chart gets {charts} rows > {t.chart_rows}",
            "tables": f"a table shows {tables} rows > {t.table_rows}",
            "memory": f"tracemalloc peak {peak} MB ≥ {t.tracemalloc_mb} MB",
            "growth": f"warm time grew {growth.strip(' ()')} from scale 10 (> {t.growth_10_to_100}×)",
            "queries": f"{queries} queries, more than at the smaller scale ({queries_at_smaller.get(name) if queries_at_smaller else ''})",
        }
        misses += [f"{name}: {reasons[key]}" for key, ok in checks.items() if not ok]
    return lines, misses


def report(meta: dict, loads: list[dict], per_scale: dict[float, list[dict]], role: str, repeat: int,
           cold_repeat: int) -> str:
    t = TARGETS
    out = [f"# Benchmark: {meta['backend']}", "",
           f"Machine: {meta['cpu']}, {meta['cores']} cores, {meta['ram']} RAM; {meta['os']}; "
           f"Python {meta['python']}, {meta['backend']}, Streamlit {meta['streamlit']}, "
           f"SQLAlchemy {meta['sqlalchemy']}, pandas {meta['pandas']}. Run {meta['date']} "
           f"(load average 1/5/15 min when the report was written: {meta['load']}).", "",
           f"Representative role: {role} (admin-only pages as admin). Cold: median of {cold_repeat} fresh "
           f"processes; warm and uncached: median of {repeat} reruns in one process. "
           "Uncached = caches cleared in a warm process (the first run after any write); "
           "SQL s, outside SQL s and queries are for that run. tracemalloc: peak allocated during one "
           "uncached run; RSS: the measuring process's peak resident memory. CPU s: the measuring process's CPU "
           "time for the run (all threads), a check on wall times taken while the machine was busy. "
           f"A page marked (1 run) took over {SLOW_SECONDS:g} s cold and was measured once per kind, without tracemalloc. "
           "Rows: the most rows handed "
           "to one chart / one table. ✗ marks a missed target.", "",
           f"Targets at scale 100: warm ≤ {t.warm_seconds} s, cold ≤ {t.cold_seconds} s, outside SQL ≤ "
           f"{t.outside_sql_seconds} s, chart ≤ {t.chart_rows:,} rows, table ≤ {t.table_rows} rows, "
           f"tracemalloc < {t.tracemalloc_mb:g} MB, load at 100 < {t.load_seconds_at_100 / 60:g} min, "
           f"warm at 100 ≤ {t.growth_10_to_100:g}× warm at 10 (when above {t.growth_floor_seconds:g} s), "
           "queries not growing with the data.", "",
           "## Loading the demo data", "",
           "| scale | working groups | activities | attendance | issues | issue updates | contributions | "
           "migrate s | generate + load s | loader peak RSS MB |",
           "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for load in loads:
        rows = load.get("rows", {})
        slow = load["scale"] >= 100 and load["load_seconds"] > t.load_seconds_at_100
        reused = " (reused)" if load.get("reused") else ""
        counts = " | ".join(f"{rows[t]:,}" if t in rows else "?" for t in
                            ("working_group", "activity", "attendance", "issue", "issue_update", "contribution"))
        out.append(f"| {load['scale']:g} | {counts} | {load['migrate_seconds']:.1f} | "
                   f"{load['load_seconds']:.1f}{_mark(not slow)}{reused} | {load.get('peak_rss_mb', '?')} |")
    all_misses = [f"load at scale {load['scale']:g}: {load['load_seconds']:.0f} s > {t.load_seconds_at_100:.0f} s"
                  for load in loads if load["scale"] >= 100 and load["load_seconds"] > t.load_seconds_at_100]
    warm_at_10 = queries_before = None
    for scale, results in per_scale.items():
        lines, misses = page_rows(scale, results, warm_at_10, queries_before)
        out += ["", f"## Pages at scale {scale:g}", "", *lines]
        if scale >= 100:
            all_misses += [f"scale {scale:g}, {m}" for m in misses]
        elif misses:
            out += ["", "Misses at this scale (targets apply at 100): " + "; ".join(misses)]
        if scale == 10:
            warm_at_10 = {Path(r["page"]).stem: r["warm"]["seconds"] for r in results if "warm" in r}
        queries_before = {Path(r["page"]).stem: int(max(r["uncached_queries"])) for r in results
                          if "uncached_queries" in r}
    if any(s >= 100 for s in per_scale):
        out += ["", "## Missed targets at scale 100", ""]
        out += [f"- {m}" for m in all_misses] or ["- none"]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", type=float, nargs="+", default=[1, 10, 100])
    parser.add_argument("--url", help="a PostgreSQL server (postgresql+psycopg://user@host:port/db); "
                        "a fresh database is created there per scale. Default: SQLite files under bench/results/")
    parser.add_argument("--role", default="coordinator", choices=["admin", "coordinator", "hq", "viewer"])
    parser.add_argument("--repeat", type=int, default=5, help="warm and uncached reruns per page")
    parser.add_argument("--cold-repeat", type=int, default=3, help="fresh processes per page for the cold time")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--as-of", default="2026-11-27", help="the generator's as-of date, also AS_OF_DATE for the pages")
    parser.add_argument("--pages", nargs="*", help="only pages whose path contains one of these")
    parser.add_argument("--reuse", action="store_true", help="reuse the databases this script loaded before "
                        "(same scale and server), instead of loading them again")
    parser.add_argument("--load-only", action="store_true", help="only load and time the databases")
    parser.add_argument("--out", type=Path, help="Markdown file to write (default bench/results/<backend>.md)")
    parser.add_argument("--from-json", type=Path, help="only write the report again from a JSON file this script wrote")
    args = parser.parse_args(argv)

    if args.from_json:
        saved = json.loads(args.from_json.read_text())
        loads = [scale["load"] for scale in saved["scales"].values()]
        per_scale = {float(label): scale["pages"] for label, scale in saved["scales"].items()}
        text = report(saved["machine"], loads, per_scale, saved.get("role", args.role),
                      saved.get("repeat", args.repeat), saved.get("cold_repeat", args.cold_repeat))
        (args.out or args.from_json.with_suffix(".md")).write_text(text)
        print(text)
        return

    RESULTS.mkdir(parents=True, exist_ok=True)
    os.environ.update(DEMO_DATA="off", AS_OF_DATE=args.as_of, COOKIE_KEY="bench-not-a-secret")
    sys.path.insert(0, str(ROOT))
    backend_name = "postgresql" if args.url and args.url.startswith("postgresql") else "sqlite"
    out = args.out or RESULTS / f"{backend_name}.md"
    loads, per_scale, raw = [], {}, {}
    version = ""
    for scale in args.scales:
        print(f"scale {scale:g}: loading …", file=sys.stderr, flush=True)
        started = time.perf_counter()
        load = load_database(args.url, scale, args.seed, args.as_of, args.reuse)
        loads.append(load)
        print(f"scale {scale:g}: loaded in {time.perf_counter() - started:.1f} s "
              f"({load['load_seconds']:.1f} s generate + load)", file=sys.stderr, flush=True)
        version = server_version(load["url"])
        if args.load_only:
            continue
        results = []
        for page, username, role in pages_to_run(load["url"], args.role, args.pages):
            try:
                result = measure_page(load["url"], page, username, role, args.as_of, args.repeat,
                                      args.cold_repeat)
            except (RuntimeError, subprocess.TimeoutExpired) as error:
                result = {"page": page, "role": role, "error": str(error)}
            results.append(result)
            summary = (f"cold {result['cold_median']:.2f} s" if "cold_median" in result else "failed")
            if "warm" in result:
                summary += f", warm {result['warm']['seconds']:.3f} s, uncached {result['uncached']['seconds']:.3f} s, " \
                           f"{int(max(result['uncached_queries']))} queries"
            print(f"  {page} as {role}: {summary}", file=sys.stderr, flush=True)
        per_scale[scale] = results
        raw[f"{scale:g}"] = {"load": load | {"url": _safe(load["url"])}, "pages": results}
    meta = machine() | {"backend": version}
    text = report(meta, loads, per_scale, args.role, args.repeat, args.cold_repeat)
    out.write_text(text)
    out.with_suffix(".json").write_text(json.dumps({"machine": meta, "role": args.role, "repeat": args.repeat,
                                                    "cold_repeat": args.cold_repeat, "scales": raw},
                                                   indent=1, default=str))
    print(text)


if __name__ == "__main__":
    main()
