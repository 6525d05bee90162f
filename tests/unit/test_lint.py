"""The lint gate, run with the suite so CI and a newcomer's `pytest` apply the same rules:
ruff (rule set in ruff.toml) with no finding, mypy with no error in the modules mypy.ini lists,
and vulture finding no dead code beyond what only frameworks call (tools/vulture_whitelist.py)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCT_AND_TESTS = ["app.py", "serve.py", "pages", "components", "db", "i18n", "seed", "tests", "bench", "tools"]


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_ruff_finds_nothing():
    result = run("ruff", "check", "--no-cache", "--output-format", "concise", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_no_error_in_the_annotated_modules(tmp_path):
    result = run("mypy", "--cache-dir", str(tmp_path / "mypy"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_vulture_finds_no_dead_code():
    result = run("vulture", *PRODUCT_AND_TESTS, "tools/vulture_whitelist.py", "--min-confidence", "60",
                 "--exclude", "db/migrations/versions")
    assert result.returncode == 0, result.stdout + result.stderr
