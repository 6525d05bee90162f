"""Two app processes, one database: a write made through one is visible through the other on
its next rerun, although each keeps its own st.cache_data (cached reads key on the data
version every write bumps, components/data.py). Each process holds an AppTest of the working
groups page; the PostgreSQL case is the shared deployment, the SQLite one a single server."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from db import engine as db_engine
from db.migrate import upgrade
from tests.conftest import AS_OF, DEMO_SEED, ROOT

PAGE = "pages/working_groups.py"
WORKER = ROOT / "tests" / "unit" / "two_process_worker.py"
NEW_GROUP = "Tano Basin Security Dialogue"


class AppProcess:
    def __init__(self, url: str, username: str = "admin", role: str = "admin"):
        env = dict(os.environ, STREAMLIT_LOGGER_LEVEL="error")
        env.pop("DATABASE_URL", None)
        self.process = subprocess.Popen([sys.executable, str(WORKER), url, PAGE, username, role],
                                        cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, text=True)

    def ask(self, command: str) -> dict:
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, f"the app process died on {command!r}"
        return json.loads(line)

    def run(self) -> dict:
        answer = self.ask("run")
        assert not answer["exceptions"], answer["exceptions"]
        return answer

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                self.process.kill()


@pytest.fixture(params=["postgresql", "sqlite"])
def shared_url(request, tmp_path):
    from seed.generator import load_demo_data

    url = request.getfixturevalue("pg_url") if request.param == "postgresql" else \
        f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    engine = db_engine.get_engine(url)
    upgrade(engine)
    load_demo_data(engine, scale=0.2, random_seed=DEMO_SEED, as_of=AS_OF)
    engine.dispose()
    return url


def test_a_write_through_one_process_shows_in_the_other_on_its_next_rerun(shared_url):
    first, second = AppProcess(shared_url), AppProcess(shared_url)
    try:
        before = second.run()
        assert NEW_GROUP not in before["text"]
        again = second.run()
        assert again["queries"] < before["queries"], "the page's reads are not cached at all"

        first.run()
        assert first.ask(f"write {NEW_GROUP}")["id"]

        assert NEW_GROUP in second.run()["text"]
        assert NEW_GROUP in first.run()["text"]
    finally:
        first.close()
        second.close()
