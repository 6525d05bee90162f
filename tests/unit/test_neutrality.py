"""Neutrality is judged per working group and per fund, with a company and its subsidiaries
counted as one funder (the domain guide's Decisions), on tests/unit/neutrality_world.py."""
from datetime import date
from decimal import Decimal as D

import pytest
from neutrality_world import build

from db.metrics import early_warning
from db.metrics import funding as m
from db.periods import Period

YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))


@pytest.fixture
def world(empty_db):
    return build()


def test_each_group_and_fund_is_judged_with_company_families_rolled_up(world):
    frame = m.neutrality(period=YEAR)
    rows = [(r.group, r.fund, r.funder, r.share, r.at_risk) for r in frame.itertuples()]
    assert rows == [
        ("Group A", None, "Donor", D(900) / D(1500), True),
        ("Group A", "Fund A1", "Parent Mining", D(600) / D(1000), True),
        ("Group A", "Fund A2", "Donor", D(1), True),
        ("Group B", None, "Parent Mining", D(400) / D(1000), False),
        ("Group B", "Fund B1", "Parent Mining", D(400) / D(1000), False),
    ]
    assert list(frame["funder_id"].iloc[[1, 3]]) == [world["Parent Mining"]] * 2  # the family's top company


def test_the_judgement_follows_the_filters(world):
    assert set(m.neutrality(period=YEAR, countries=("KE",))["group"]) == {"Group B"}
    assert list(m.neutrality(period=YEAR, group_ids=(world["A"],))["fund"]) == [None, "Fund A1", "Fund A2"]
    assert m.neutrality(period=Period(date(2025, 1, 1), date(2025, 12, 31))).empty


def test_early_warning_flags_the_groups_at_risk_with_families_rolled_up(world):
    flagged = early_warning.funder_above_half(None, early_warning.Scope(), date(2026, 11, 30))
    assert list(flagged["group_id"]) == [world["A"]]
    assert list(flagged["now"]) == [0.6]
