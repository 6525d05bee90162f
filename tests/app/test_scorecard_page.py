"""The scorecard page on the demo data: figures as in db/metrics/scorecard, the roles that may
open it, and the filters in the URL."""
from datetime import date

import pytest

from db.metrics import scorecard
from db.periods import Period
from tests.conftest import actor, page


def test_scorecard_shows_each_engaged_company(demo_db):
    at = page("pages/scorecard.py", "hq").run()
    assert not at.exception, at.exception
    frame = scorecard.scorecard(actor("hq"), period=Period(date(2026, 1, 1), date(2026, 11, 27)))
    engaged = frame[frame["groups_joined"] > 0]
    shown = at.dataframe[0].value
    assert list(shown["Company"]) == list(engaged["company"])
    first = engaged.iloc[0]
    row = shown[shown["Company"] == first["company"]].iloc[0]
    assert row["Groups joined"] == first["groups_joined"]
    assert row["Meetings attended of invited"] == f"{first['attended']:,} / {first['invited']:,}"
    assert len(at.get("vega_lite_chart")) == 2


def test_include_all_companies(demo_db):
    at = page("pages/scorecard.py", "admin").run()
    before = len(at.dataframe[0].value)
    at.toggle(key="scorecard_all").set_value(True).run()
    assert len(at.dataframe[0].value) >= before


@pytest.mark.parametrize("username,allowed", [("admin", True), ("coordinator", True), ("hq", True), ("viewer", False)])
def test_roles(demo_db, username, allowed):
    at = page("pages/scorecard.py", username).run()
    assert not at.exception
    assert bool(at.dataframe) == allowed
    if not allowed:
        assert "does not give access" in at.warning[0].value


def test_period_in_the_url(demo_db):
    at = page("pages/scorecard.py", "coordinator", {"from": "2025-01-01", "to": "2025-12-31"}).run()
    assert at.date_input(key="scorecard_period").value == (date(2025, 1, 1), date(2025, 12, 31))
    frame = scorecard.scorecard(actor("coordinator"), period=Period(date(2025, 1, 1), date(2025, 12, 31)))
    engaged = frame[frame["groups_joined"] > 0]
    assert list(at.dataframe[0].value["Groups joined"]) == list(engaged["groups_joined"])
