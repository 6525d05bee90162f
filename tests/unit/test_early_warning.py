"""Early warning on a small world computed by hand (as of 2026-11-27: the last quarter is
2026-08-29..2026-11-27, the quarter before 2026-05-30..2026-08-28)."""
from datetime import date

import pytest

from db.metrics import early_warning as ew
from tests.unit import overview_world as w

AS_OF = date(2026, 11, 27)
NOW = date(2026, 10, 1)       # in the last quarter
BEFORE = date(2026, 7, 1)     # in the quarter before


@pytest.fixture
def world(empty_db):
    g = w.group("Tano Basin Working Group")
    quiet = w.group("Quiet Group", country="PE")
    company = w.org("Aurum Ridge Mining")
    s1 = w.site("North Pit", g, company)
    s2 = w.site("River Camp", g, company)
    # S1: 2 issues the quarter before (one is the critical one below), 3 in the last quarter -> rising
    w.issue(g, BEFORE, site_id=s1, status="resolved", resolved_on=date(2026, 7, 20))
    for day in (date(2026, 9, 5), date(2026, 10, 2), date(2026, 11, 20)):
        w.issue(g, day, site_id=s1, status="resolved", resolved_on=day)
    # S1: one open critical issue past its resolve-by date (3 points)
    w.issue(g, date(2026, 6, 1), site_id=s1, severity="critical", status="in_dialogue")
    # S2: 2 before, 1 now -> not rising; one open violence-risk issue (3 points); a resolved one (0)
    w.issue(g, BEFORE, site_id=s2, violence_risk=True, status="acknowledged")
    w.issue(g, date(2026, 7, 2), site_id=s2, violence_risk=True, status="resolved", resolved_on=date(2026, 7, 30))
    w.issue(g, NOW, site_id=s2, status="closed", closed_on=NOW)
    # Community seats: A attended none of the last three meetings, B attended one; a company
    # member absent from all does not count (not a community seat).
    seat_a, seat_b = w.org("Ahanta Farmers", "community_group"), w.org("Nzema Youth", "community_group")
    old_seat = w.org("Former Women's Circle", "community_group")
    for o in (seat_a, seat_b, company):
        w.member(g, o)
    w.member(g, old_seat, until=date(2025, 12, 31))
    # Meetings: the quarter before 2 of 2 attended; the last quarter 1 of 3 -> attendance falling
    m_old = w.activity(g, date(2026, 6, 10))
    w.attend(m_old, seat_a, True, 3), w.attend(m_old, seat_b, True, 2)
    m1, m2, m3 = (w.activity(g, d) for d in (date(2026, 9, 10), date(2026, 10, 10), date(2026, 11, 10)))
    w.attend(m1, seat_a, False), w.attend(m1, seat_b, True, 1), w.attend(m2, company, False)
    w.attend(m3, seat_a, False)
    w.activity(g, date(2026, 11, 20), kind="workshop")  # not a meeting: not among the last three
    return dict(g=g, quiet=quiet, s1=s1, s2=s2)


def _signals(frame, group_id, site_id=None):
    part = frame[frame["group_id"] == group_id]
    part = part[part["site_id"].isna()] if site_id is None else part[part["site_id"] == site_id]
    return dict(zip(part["signal"], part["count"]))


def test_signals_per_group_and_site(world):
    frame = ew.signals(None, as_of=AS_OF)
    assert _signals(frame, world["g"], world["s1"]) == {ew.ISSUES_RISING: 3, ew.CRITICAL_PAST_DATE: 1}
    assert _signals(frame, world["g"], world["s2"]) == {ew.VIOLENCE_RISK_OPEN: 1}
    assert _signals(frame, world["g"]) == {ew.ATTENDANCE_FALLING: 1, ew.COMMUNITY_SEATS_EMPTY: 1}
    assert frame[frame["group_id"] == world["quiet"]].empty
    falling = frame[frame["signal"] == ew.ATTENDANCE_FALLING].iloc[0]
    assert (falling["before"], round(falling["now"], 4)) == (1.0, round(1 / 4, 4))


def test_ranked_by_score_then_newest(world):
    listed = ew.ranked(None, as_of=AS_OF)
    sites = [site if isinstance(site, str) else None for site in listed["site"]]
    assert list(zip(sites, listed["score"])) == [("North Pit", 4), ("River Camp", 3), (None, 2)]
    assert listed.loc[0, "latest"] == date(2026, 11, 20)


def test_ties_go_to_the_newest(empty_db):
    g = w.group("Tie Group")
    old_site, new_site = w.site("Old Shaft", g), w.site("New Shaft", g)
    w.issue(g, date(2026, 9, 1), site_id=old_site, violence_risk=True)  # both also "rising" (1 vs 0)
    w.issue(g, date(2026, 11, 1), site_id=new_site, violence_risk=True)
    listed = ew.ranked(None, as_of=AS_OF)
    assert list(listed["site"]) == ["New Shaft", "Old Shaft"]
    assert list(listed["score"]) == [4, 4]


def test_scope_limits_the_list(world):
    assert ew.ranked(None, countries=("PE",), as_of=AS_OF).empty
    assert set(ew.ranked(None, group_ids=(world["g"],), as_of=AS_OF)["group_id"]) == {world["g"]}


def test_funder_above_half(empty_db):
    g = w.group("Funded Group")
    big, small = w.org("Big Gold Co"), w.org("Small Donor", "donor")
    f = w.fund(g, "Funded Group trust fund")
    w.contribution(f, big, 60_000_00, date(2026, 5, 1))
    w.contribution(f, small, 40_000_00, date(2026, 6, 1))
    w.contribution(f, small, 90_000_00, date(2025, 6, 1))  # older than a year: not counted
    balanced = w.group("Balanced Group")
    f2 = w.fund(balanced, "Balanced Group basket fund")
    w.contribution(f2, big, 50_000_00, date(2026, 5, 1))  # exactly half: not above
    w.contribution(f2, small, 50_000_00, date(2026, 6, 1))
    w.group("Unfunded Group")  # nothing received: no data, no signal
    frame = ew.signals(None, as_of=AS_OF)
    flagged = frame[frame["signal"] == ew.FUNDER_ABOVE_HALF]
    assert [(r.group_id, round(r.now, 2), r.score) for r in flagged.itertuples()] == [(g, 0.6, 1)]


def test_display_names_no_people(world):
    shown = ew.for_display(ew.ranked(None, as_of=AS_OF))
    text = " | ".join(" ".join(str(v) for v in row) for row in shown.itertuples(index=False))
    assert "3 raised in the last quarter, 2 in the quarter before" in text
    assert "1 community seats empty" in text
    assert "whole group" in text
