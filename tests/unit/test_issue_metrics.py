"""Issue metrics on the five hand-made issues of issue_world (figures worked out by hand there,
as of 2026-11-27)."""
from __future__ import annotations

from datetime import date

import pytest
from issue_world import IssueWorld, build_issue_world

from db.metrics import issues as m
from db.periods import Period


@pytest.fixture
def world(empty_db) -> IssueWorld:
    return build_issue_world()


def test_no_data_is_none_never_zero(empty_db):
    assert m.median_days_to_resolve() is None
    assert m.escalation_rate() is None
    assert m.community_share() is None
    times = m.response_times()
    assert times.median_days_to_acknowledge is None and times.within_timeframe is None
    assert m.overdue_against_target().share is None
    health = m.gm_health()
    assert health["value"].isna().all()
    assert list(health["criterion"]) == [c[0] for c in m.CRITERIA]  # only the overall rows


def test_median_days_to_resolve(world):
    # I1 40 days, I2 60 days
    assert m.median_days_to_resolve() == 50
    assert m.median_days_to_resolve(period=Period(date(2026, 2, 1), date(2026, 2, 28))) == 40
    assert m.median_days_to_resolve(group_ids=[world.group_b]) is None
    assert m.median_days_to_resolve(period=Period(date(2025, 1, 1), date(2025, 12, 31))) is None


@pytest.mark.parametrize("as_of, i4_bucket, i3_bucket", [
    # I4 raised 2026-11-20, I3 2026-06-01; the domain guide's buckets are 0-30, 31-90, 91-180, over 180
    (date(2026, 11, 20), "0-30", "91-180"),      # I4 0 days old, I3 172
    (date(2026, 11, 29), "0-30", "over 180"),    # I3 181 days old
    (date(2026, 11, 28), "0-30", "91-180"),      # I3 exactly 180
    (date(2026, 12, 20), "0-30", "over 180"),    # I4 exactly 30
    (date(2026, 12, 21), "31-90", "over 180"),   # I4 31
    (date(2027, 2, 18), "31-90", "over 180"),    # I4 exactly 90
    (date(2027, 2, 19), "91-180", "over 180"),   # I4 91
    (date(2027, 5, 19), "91-180", "over 180"),   # I4 exactly 180
    (date(2027, 5, 20), "over 180", "over 180"),  # I4 181
])
def test_open_issue_age_buckets_at_their_boundaries(world, as_of, i4_bucket, i3_bucket):
    ages = m.open_issues_by_age(group_ids=[world.group_a], as_of=as_of)  # I3 and I4 are group A's open issues
    expected = {"0-30": 0, "31-90": 0, "91-180": 0, "over 180": 0}
    expected[i4_bucket] += 1
    expected[i3_bucket] += 1
    assert dict(zip(ages["bucket"], ages["issues"])) == expected


def test_open_issues_by_age(world):
    # I3 179 days, I4 7 days, I5 210 days
    ages = m.open_issues_by_age()
    assert dict(zip(ages["bucket"], ages["issues"])) == {"0-30": 1, "31-90": 0, "91-180": 1, "over 180": 1}
    later = m.open_issues_by_age(as_of=date(2026, 12, 5))  # I3 is now 187 days old
    assert dict(zip(later["bucket"], later["issues"])) == {"0-30": 1, "31-90": 0, "91-180": 0, "over 180": 2}
    only_b = m.open_issues_by_age(group_ids=[world.group_b])
    assert list(only_b["issues"]) == [0, 0, 0, 1]


def test_overdue_against_target(world):
    overdue = m.overdue_against_target()
    assert (overdue.overdue, overdue.open) == (2, 3)  # I3 and I5; I4 is within its targets
    assert overdue.share == pytest.approx(2 / 3)


def test_escalation_rate_and_community_share(world):
    assert m.escalation_rate() == pytest.approx(1 / 5)
    assert m.community_share() == pytest.approx(3 / 5)
    assert m.community_share(group_ids=[world.group_b]) == 0.0  # a real zero: one issue, not community


def test_response_times(world):
    times = m.response_times()
    assert times.median_days_to_acknowledge == 5   # 5, 5, 4
    assert times.median_days_to_resolve == 50
    assert times.acknowledged_in_time == pytest.approx(2 / 4)  # I1, I5 met; I2 late; I3 never; I4 not due
    assert times.resolved_in_time == pytest.approx(1 / 4)      # I1 met; I2 late; I3, I5 open and past
    assert times.within_timeframe == pytest.approx(3 / 8)
    assert times.targets_decided == 8


def test_response_times_by_severity(world):
    frame = m.response_times_by_severity().set_index("severity")
    assert list(frame.index) == ["low", "medium", "high", "critical"]
    assert frame.loc["medium", "issues"] == 2
    assert frame.loc["medium", "median_days_to_acknowledge"] == 4.5  # I1 5, I5 4
    assert frame.loc["medium", "resolved_in_time"] == pytest.approx(0.5)
    assert frame.loc["high", "median_days_to_resolve"] == 60
    assert frame.loc["critical", "acknowledged_in_time"] == 0
    assert frame.loc["low", "acknowledged_in_time"] is None or frame["acknowledged_in_time"].isna()["low"]


def _repeat_share(**filters) -> float:
    """The share of issues repeating an earlier one: GM health's continuous learning figure."""
    health = m.gm_health(**filters)
    return health[health["group_id"].isna()].set_index("criterion").loc["continuous_learning", "value"]


def test_repeat_issues(world):
    repeats = m.repeat_issues()
    assert repeats.to_dict("records") == [{"site_id": world.site_1, "site": "North Pit", "category": "land",
                                           "issues": 3, "repeats": 1}]  # I2 repeats I1; I4 is 264 days after I2
    assert _repeat_share() == pytest.approx(1 / 5)
    # Seen from a period holding only I2, it is still a repeat of the earlier I1.
    assert _repeat_share(period=Period(date(2026, 3, 1), date(2026, 3, 31))) == 1.0


def test_issues_per_site_category(world):
    frame = m.issues_per_site_category()
    assert {(r["site"], r["category"]): r["issues"] for r in frame.to_dict("records")} == {
        ("North Pit", "land"): 3, ("River Camp", "employment"): 1, ("River Camp", "security_conduct"): 1}


def test_gm_health_overall_and_per_group(world):
    health = m.gm_health()
    overall = health[health["group_id"].isna()].set_index("criterion")
    assert overall.loc["legitimate", "value"] is None or overall["value"].isna()["legitimate"]
    expected = {"accessible": (3, 5), "predictable": (3, 8), "equitable": (3, 5), "transparent": (1, 5),
                "rights_compatible": (1, 2), "continuous_learning": (1, 5), "based_on_engagement": (1, 5)}
    for criterion, (numerator, denominator) in expected.items():
        assert (overall.loc[criterion, "numerator"], overall.loc[criterion, "denominator"]) == (numerator, denominator), criterion
        assert overall.loc[criterion, "value"] == pytest.approx(numerator / denominator)
    beta = health[health["group_id"] == world.group_b].set_index("criterion")
    assert beta.loc["equitable", "value"] == 0
    assert beta.loc["predictable", "value"] == pytest.approx(1 / 2)
    assert pd_isna(beta.loc["rights_compatible", "value"])  # nothing resolved: no data
    alpha = health[health["group_id"] == world.group_a].set_index("criterion")
    assert alpha.loc["equitable", "value"] == pytest.approx(3 / 4)
    assert alpha.loc["continuous_learning", "value"] == pytest.approx(1 / 4)


def pd_isna(value) -> bool:
    import pandas as pd

    return pd.isna(value)


def test_alerts_newest_first_with_reasons(world):
    admin = IssueWorld.actor("admin1")
    frame, total = m.alerts(admin)
    assert total == 2
    assert list(frame["id"]) == [world.i5, world.i3]  # I5 overdue since 07-01; I3 since 06-09
    assert list(frame["alert_on"]) == [date(2026, 7, 1), date(2026, 6, 9)]
    assert frame.iloc[1]["reasons"] == ["critical", "violence_risk", "past_acknowledge_by", "past_resolve_by",
                                        "escalated"]
    counts = dict(zip(*m.alert_counts(IssueWorld.actor("viewer1")).to_dict("list").values()))
    assert counts == {"critical": 1, "violence_risk": 1, "past_acknowledge_by": 1, "past_resolve_by": 2,
                      "escalated": 1}


def test_retired_issues_do_not_count(world):
    from db.engine import session_scope
    from db.models import Issue
    from db.writes.issues import retire_issue

    with session_scope() as s:
        version = s.get(Issue, world.i2).version
    retire_issue(IssueWorld.actor("admin1"), world.i2, version)
    assert m.median_days_to_resolve() == 40
    assert _repeat_share() == 0
