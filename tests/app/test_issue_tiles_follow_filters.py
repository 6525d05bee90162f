"""The Issues page's tiles follow every filter the page shows, on the five hand-made issues of
tests/unit/issue_world.py (as of 2026-11-27); the figures are worked out there."""
from __future__ import annotations

import pytest

from tests.conftest import page
from tests.unit.issue_world import build_issue_world


@pytest.fixture
def world(empty_db):
    return build_issue_world()


def _tiles(query: dict) -> dict:
    at = page("pages/issues.py", "admin1", query).run()
    assert not at.exception, at.exception
    return {m.label: m.value for m in at.metric}


def test_the_tiles_follow_the_severity_filter(world):
    tiles = _tiles({"severity": "medium"})     # I1 (resolved in 40 days) and I5 (open, past resolve-by)
    assert tiles["Issues raised"] == "2"
    assert tiles["Median days to resolve"] == "40"
    assert tiles["Within timeframe"] == "75%"  # I1 both met, I5 acknowledged in time


def test_the_tiles_follow_the_search(world):
    tiles = _tiles({"q": "survey"})           # I2: resolved in 60 days, both targets late
    assert tiles["Median days to resolve"] == "60"
    assert tiles["Within timeframe"] == "0%"


def test_the_help_says_how_a_close_without_resolution_counts_and_what_alerts_ignore(world):
    at = page("pages/issues.py", "admin1").run()
    within = next(m for m in at.metric if m.label == "Within timeframe")
    assert "closed without resolution" in within.proto.help
    assert any("not the period or the other filters" in c.value for c in at.caption)
