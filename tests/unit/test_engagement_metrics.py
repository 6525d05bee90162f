"""Engagement metrics on a small world whose figures are worked out by hand
(tests/unit/engagement_world.py): as of 2026-11-27."""
from datetime import date

import pytest

from db.metrics import engagement as m
from db.periods import Period
from tests.unit.engagement_world import build

Y2026 = Period(date(2026, 1, 1), date(2026, 11, 27))
AS_OF = date(2026, 11, 27)


@pytest.fixture
def world(empty_db):
    return build()


def test_meetings_held_counts_held_meetings_only(world):
    # a1 plenary and a2 steering committee; the workshop, the scheduled and the cancelled plenary do not count
    assert m.meetings_held(group_ids=[world.group_a], period=Y2026) == 2
    assert m.meetings_held(period=None) == 3
    assert m.meetings_held(countries=["PE"]) == 1


def test_meeting_cadence_per_group_per_quarter(world):
    cadence = m.meeting_cadence()
    assert list(zip(cadence["group"], cadence["quarter"], cadence["meetings"])) == [
        ("Ashanti Group", "2026-Q1", 1), ("Ashanti Group", "2026-Q2", 1), ("Lima Group", "2025-Q4", 1)]


def test_attendance_rate(world):
    assert m.attendance_rate(group_ids=[world.group_a], period=Y2026) == pytest.approx(6 / 8)
    assert m.attendance_rate() == pytest.approx(7 / 9)
    assert m.attendance_rate(group_ids=[world.group_b], period=Y2026) is None  # no meeting: no data
    counts = m.attendance_counts(period=None).set_index("group_id")
    assert counts.loc[world.group_a, "invited"] == 8 and counts.loc[world.group_a, "attended"] == 6


def test_pillar_balance_and_shares(world):
    balance = m.pillar_balance(group_ids=[world.group_a], period=Y2026).set_index("pillar")
    assert balance["participants"].to_dict() == {"state": 5, "company": 12, "civil_society": 5, "community": 5, "observer": 0}
    assert balance.loc["company", "share"] == pytest.approx(12 / 27)
    assert m.community_share(group_ids=[world.group_a], period=Y2026) == pytest.approx(5 / 27)
    assert m.women_share(group_ids=[world.group_a], period=Y2026) == pytest.approx(13 / 27)
    assert m.women_share(group_ids=[world.group_b], period=Y2026) is None


def test_all_pillars_present_share(world):
    # a1 had all four pillars, a2 lacked company and community
    assert m.all_pillars_present_share(group_ids=[world.group_a], period=Y2026) == pytest.approx(0.5)
    assert m.all_pillars_present_share(group_ids=[world.group_b]) == 0.0
    assert m.all_pillars_present_share(group_ids=[world.group_b], period=Y2026) is None


def test_work_plan_progress(world):
    row = m.work_plan_progress(group_ids=[world.group_a], period=Y2026, as_of=AS_OF).iloc[0]
    # cancelled and proposed items excluded: baseline (done), training (overdue), radio (delayed, not yet due)
    assert (row["items"], row["done"], row["delayed"], row["overdue"]) == (3, 1, 1, 1)
    assert row["share_done"] == pytest.approx(1 / 3)
    assert m.work_plan_progress(group_ids=[world.group_b]).empty  # no plan: no row, not a zero


def test_commitment_follow_through(world):
    # due in 2026 up to as-of: c1, c2, c4, c7, c8 (c3 dropped, c5 undated, c6 not yet due);
    # on time: c1, c7 and c8 (done on its due date)
    assert m.commitment_follow_through(group_ids=[world.group_a], period=Y2026, as_of=AS_OF) == pytest.approx(3 / 5)
    assert m.commitment_follow_through(group_ids=[world.group_b], as_of=AS_OF) is None
    counts = m.follow_through_counts(as_of=AS_OF).iloc[0]
    assert (counts["due"], counts["done_on_time"]) == (5, 3)


def test_promise_keeping_needs_another_pillar(world):
    index = m.promise_keeping(period=Y2026, as_of=AS_OF).set_index("org_id")
    # company: c1 verified by civil society (kept), c2 verified by its own pillar (not kept)
    assert (index.loc[world.company, "due"], index.loc[world.company, "kept"]) == (2, 1)
    assert index.loc[world.company, "index"] == pytest.approx(0.5)
    assert index.loc[world.gov, "index"] == 0.0       # c4 open, c7 done but unverified
    assert world.ngo not in index.index               # nothing due: no row, not a zero


def test_organisation_engagement(world):
    figures = m.organisation_engagement(as_of=AS_OF).set_index("org_id")
    assert (figures.loc[world.company, "invited"], figures.loc[world.company, "attended"]) == (2, 1)
    assert figures.loc[world.ngo, "attendance_rate"] == pytest.approx(1.0)  # a1, a2 and b1
    assert figures.loc[world.company, "follow_through"] == pytest.approx(0.5)
    assert figures.loc[world.company, "promise_keeping"] == pytest.approx(0.5)
    assert figures.loc[world.ngo, "follow_through"] is None
