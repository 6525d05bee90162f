"""The Grievance mechanism health page's response times, overdue against target and repeat
issues, on the five hand-made issues of tests/unit/issue_world.py (figures worked out there and
in tests/unit/test_issue_metrics.py, as of 2026-11-27); they follow the page's filters."""
from __future__ import annotations

import math

import pytest

from tests.conftest import page
from tests.unit.issue_world import build_issue_world


@pytest.fixture
def world(empty_db):
    return build_issue_world()


def _health(query: dict | None = None):
    at = page("pages/grievance_health.py", "admin1", query).run()
    assert not at.exception, at.exception
    return at


def _metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _table(at, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_response_times_and_overdue_for_all_groups(world):
    at = _health()
    assert _metric(at, "Median days to acknowledge") == "5"      # I1 5, I2 5, I5 4
    assert _metric(at, "Median days to resolve") == "50"         # I1 40, I2 60
    assert _metric(at, "Acknowledged in time") == "50%"          # I1, I5 met; I2 late; I3 never
    assert _metric(at, "Resolved in time") == "25%"              # I1 met; I2 late; I3, I5 past
    assert _metric(at, "Overdue against target") == "67%"        # I3 and I5 of the 3 open
    captions = [c.value for c in at.caption]
    assert "8 response targets met or missed." in captions
    assert "2 of 3 open issues." in captions


def test_response_times_by_severity(world):
    frame = _table(_health(), "median_days_to_acknowledge").set_index("severity")
    assert list(frame.index) == ["Low", "Medium", "High", "Critical"]
    assert list(frame["issues"]) == [1, 2, 1, 1]
    assert frame.loc["Medium", "median_days_to_acknowledge"] == 4.5   # I1 5, I5 4
    assert frame.loc["Medium", "resolved_in_time"] == 50  # shown as a whole percentage (components/tables)
    assert frame.loc["High", "median_days_to_resolve"] == 60
    assert frame.loc["Critical", "acknowledged_in_time"] == 0         # I3 never acknowledged
    assert math.isnan(frame.loc["Low", "acknowledged_in_time"])        # I4 not yet due: no data
    assert frame.loc["Critical", "targets"] == "1 / 7"


def test_repeat_issues_per_site_and_category(world):
    frame = _table(_health(), "repeats")
    assert frame.to_dict("records") == [{"site": "North Pit", "category": "Land", "issues": 3, "repeats": 1}]


def test_the_figures_follow_the_group_filter(world):
    at = _health({"group": str(world.group_b)})                   # only I5: open, acknowledged in 4 days
    assert _metric(at, "Median days to acknowledge") == "4"
    assert _metric(at, "Median days to resolve") == "no data"
    assert _metric(at, "Overdue against target") == "100%"
    assert "No issue in these groups repeats an earlier one at the same site in the same category." in [
        i.value for i in at.info]
