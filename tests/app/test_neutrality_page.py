"""The Funding page lists the groups and funds at neutrality risk (tests/unit/neutrality_world.py),
where it used to say in green that no contributor gives more than half."""
import sys
from pathlib import Path

import pytest

from db.permissions import SYSTEM
from db.users import create_user
from tests.app.groups_fixtures import PASSWORD
from tests.conftest import page

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))
from neutrality_world import build

PERIOD = {"from": "2026-01-01", "to": "2026-12-31"}


@pytest.fixture
def world(empty_db):
    world = build()
    create_user(SYSTEM, username="admin1", display_name="Ada Admin", password=PASSWORD, role="admin")
    return world


def test_the_groups_and_funds_at_risk_are_listed(world):
    at = page("pages/funding.py", "admin1", PERIOD).run()
    assert not at.exception
    [tile] = [m for m in at.metric if m.label == "Groups at neutrality risk"]
    assert tile.value == "1 of 2"
    assert [e.value for e in at.warning if "Neutrality risk" in e.value] == [
        "Neutrality risk in 1 of 2 working groups: one funder gives more than 50% of the contributions of the "
        "group or of one of its funds (a company counted with its subsidiaries). A group funded mostly by one "
        "member may not be seen as neutral."]
    [listed] = [d.value for d in at.dataframe if "funder" in d.value.columns]
    assert listed[["group", "fund", "funder"]].values.tolist() == [
        ["Group A", "All funds", "Donor"], ["Group A", "Fund A1", "Parent Mining"], ["Group A", "Fund A2", "Donor"]]
    assert listed["share"].tolist() == [60.0, 60.0, 100.0]  # shown as percentages
    assert not [s for s in at.success if "No working group or fund" in s.value]


def test_a_view_without_risk_says_so_and_names_the_closest(world):
    at = page("pages/funding.py", "admin1", {**PERIOD, "country": "KE"}).run()
    assert not at.exception
    assert [s.value for s in at.success if "No working group or fund" in s.value] == [
        "No working group or fund in this view gets more than 50% of its contributions from one funder "
        "(a company counted with its subsidiaries). The closest: Group B, 40% from Parent Mining."]
