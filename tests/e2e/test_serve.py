"""The server entry point (serve.py), items 16-18 of issue 12: production refuses to start, with
the reason and a non-zero exit, without a cookie key or while the demo logins still open with
their README passwords; every response forbids framing by other sites; /_stcore/metrics is not
served; the configured address is loopback."""
from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import urllib.error
import urllib.request

import pytest
from server import ROOT, free_port, streamlit_server

pytestmark = pytest.mark.e2e


def start_and_wait(env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    """Run serve.py as an administrator would and wait for it to end (a refusal ends it)."""
    full_env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "COOKIE_KEY")}
    full_env.update({"PYTHONPATH": str(ROOT), **env})
    return subprocess.run([sys.executable, "-m", "streamlit", "run", "serve.py", "--server.headless", "true",
                           "--server.port", str(free_port()), "--browser.gatherUsageStats", "false"],
                          cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=timeout)


def test_production_without_a_cookie_key_exits_with_the_reason(tmp_path):
    done = start_and_wait({"APP_MODE": "production", "DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite3'}"})
    assert done.returncode != 0
    assert "APP_MODE=production needs COOKIE_KEY" in done.stderr + done.stdout


def test_production_refuses_a_database_with_the_demo_logins_until_they_are_retired(demo_db):
    env = {"APP_MODE": "production", "DATABASE_URL": demo_db, "COOKIE_KEY": "k" * 40}
    done = start_and_wait(env)
    assert done.returncode != 0
    assert "the demo logins admin, coordinator, hq, viewer still open" in done.stderr + done.stdout
    from seed.demo_users import published_demo_logins, retire_demo_logins

    assert retire_demo_logins() == ["admin", "coordinator", "hq", "viewer"]
    assert published_demo_logins() == []
    with streamlit_server(env) as server:  # now it starts
        with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=10) as answer:
            assert answer.status == 200


def test_every_response_forbids_framing_by_other_sites_and_metrics_are_not_served(demo_db):
    with streamlit_server({"DATABASE_URL": demo_db, "APP_MODE": "demo"}) as server:
        with urllib.request.urlopen(server.url, timeout=10) as answer:
            headers = answer.headers
        assert headers["X-Frame-Options"] == "SAMEORIGIN"
        assert headers["Content-Security-Policy"] == "frame-ancestors 'self'"
        assert headers["X-Content-Type-Options"] == "nosniff"
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{server.url}/_stcore/metrics", timeout=10)
        assert refused.value.code == 404


def test_the_configured_address_is_loopback():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["address"] == "127.0.0.1"
