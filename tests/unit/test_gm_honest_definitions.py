"""Grievance mechanism health, rights-compatible and within timeframe, with issues closed
without resolution (the issue world plus two, as of 2026-11-27):

    I6 group B, medium, raised 06-01, acknowledged 06-03, closed without resolution 06-10
       (resolve-by 07-31: concluded in time), no remedy.
    I7 group B, low, raised 01-05, closed without resolution 05-01 (resolve-by 04-05: late),
       no remedy, never acknowledged."""
from __future__ import annotations

from datetime import date

import pytest
from issue_world import IssueWorld, _issue, _move, build_issue_world

from db.metrics import issues as m


@pytest.fixture
def world(empty_db) -> IssueWorld:
    world = build_issue_world()
    i6 = _issue(group_id=world.group_b, site_id=world.site_2, title="Road dust", category="environment",
                raiser_pillar="community", anonymous=True, channel="meeting", raised_on=date(2026, 6, 1), severity="medium")
    _move(i6, "acknowledged", date(2026, 6, 3))
    _move(i6, "closed", date(2026, 6, 10), note="Withdrawn by the raiser")
    i7 = _issue(group_id=world.group_b, site_id=world.site_2, title="Water point", category="access_to_resources",
                raiser_pillar="community", anonymous=True, channel="meeting", raised_on=date(2026, 1, 5), severity="low")
    _move(i7, "closed", date(2026, 5, 1), note="Outside the group's remit")
    return world


def _rows(health, group_id=None):
    chosen = health[health["group_id"].isna()] if group_id is None else health[health["group_id"] == group_id]
    return chosen.set_index("criterion")


def test_rights_compatible_counts_issues_closed_without_a_remedy(world):
    health = m.gm_health()
    overall, beta = _rows(health), _rows(health, world.group_b)
    # Resolved or closed: I1 (remedy), I2, I6, I7 (none).
    assert (overall.loc["rights_compatible", "numerator"], overall.loc["rights_compatible", "denominator"]) == (1, 4)
    assert beta.loc["rights_compatible", "value"] == 0      # I6, I7 closed, neither remedied
    assert "closed" in overall.loc["rights_compatible", "explanation"]
    assert "judgement" in overall.loc["rights_compatible", "explanation"]


def test_a_close_without_resolution_is_a_resolve_target_met_or_missed(world):
    times = m.response_times(group_ids=[world.group_b])
    # Resolve targets: I5 open past resolve-by (missed), I6 closed in time (met), I7 closed late (missed).
    assert times.resolved_in_time == pytest.approx(1 / 3)
    # Acknowledge targets: I5 and I6 met; I7 was closed unacknowledged and is not counted.
    assert times.acknowledged_in_time == 1
    assert times.within_timeframe == pytest.approx(3 / 5)
    beta = _rows(m.gm_health(), world.group_b)
    assert (beta.loc["predictable", "numerator"], beta.loc["predictable", "denominator"]) == (3, 5)
    by_severity = m.response_times_by_severity(group_ids=[world.group_b]).set_index("severity")
    assert by_severity.loc["low", "resolved_in_time"] == 0   # I7
    assert by_severity.loc["medium", "resolved_in_time"] == pytest.approx(1 / 2)  # I5 missed, I6 met
