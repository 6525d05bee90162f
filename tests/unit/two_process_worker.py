"""One app process for test_two_processes: holds an AppTest of a page against a database and
obeys commands on stdin, one per line, answering one JSON line each:
  run            rerun the page; answer the text it shows and how many queries it issued
  write NAME     create a working group NAME through db/writes, as the page's form would
  quit
Usage: python tests/unit/two_process_worker.py URL PAGE USERNAME ROLE"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def visible_text(at) -> list[str]:
    """Every string the page shows: texts, widget labels and options, table cells."""
    from bench.measure import _walk

    found: list[str] = []
    for node in _walk(at._tree):
        kind = getattr(node, "type", None)
        if kind in ("dataframe", "table"):
            frame = node.value
            found += [str(v) for v in frame.to_numpy().ravel().tolist()]
            continue
        proto = getattr(node, "proto", None)
        for attribute in ("body", "label", "value", "options", "placeholder"):
            value = getattr(proto, attribute, None) if proto is not None else None
            if isinstance(value, str):
                found.append(value)
            elif value is not None and not isinstance(value, (bytes, int, float)):
                try:
                    found += [str(v) for v in value]
                except TypeError:
                    pass
    return found


def main() -> None:
    url, path, username, role = sys.argv[1:5]
    from bench.measure import QueryCounter, configure_environment, logged_in_page

    configure_environment(url, "2026-11-27")
    from db.engine import get_engine, use_database
    from db.users import load_actor
    from db.writes.groups import create_group

    use_database(url)
    counter = QueryCounter(get_engine(url))
    at = logged_in_page(path, username, role)
    for line in sys.stdin:
        command, _sep, argument = line.strip().partition(" ")
        if command == "run":
            counter.reset()
            at.run(timeout=120)
            answer = {"text": visible_text(at), "queries": counter.queries,
                      "exceptions": [e.message for e in at.exception]}
        elif command == "write":
            group_id = create_group(load_actor(username), {
                "name": argument, "country": "GH", "level": "national",
                "focus": "security_human_rights", "lead": "joint", "status": "active"})
            answer = {"id": group_id}
        else:
            break
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
