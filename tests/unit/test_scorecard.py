"""Company scorecard on a small world computed by hand, and on the demo data against plain SQL."""
from datetime import date
from decimal import Decimal

import pandas as pd
import pytest
import sqlalchemy as sa

from db.engine import get_engine
from db.metrics import scorecard
from db.periods import Period
from db.permissions import SYSTEM
from tests.conftest import actor
from tests.unit import overview_world as w

YEAR = Period(date(2026, 1, 1), date(2026, 11, 27))


@pytest.fixture
def world(empty_db):
    g1, g2, g3 = w.group("Tano Basin Working Group"), w.group("Ashanti Forum"), w.group("Lima Table", country="PE")
    parent = w.org("Aurum Holdings")
    sub = w.org("Aurum Ghana Operations", parent_id=parent)
    subsub = w.org("Aurum Haulage", parent_id=sub)
    other = w.org("Condor Copper", country="PE")
    ngo, police = w.org("Water Watch", "civil_society"), w.org("Ghana Police, Western Command", "public_security")
    guards = w.org("Sentinel Guards", "private_security")
    # memberships: parent in g1, sub in g1 and g2 (g1 counted once), subsub left g3 in 2025
    w.member(g1, parent), w.member(g1, sub), w.member(g2, sub)
    w.member(g3, subsub, since=date(2024, 1, 1), until=date(2025, 6, 30))
    w.member(g3, other)
    # meetings 2026: parent invited to 2 (attended 1), sub invited to 1 (attended 1); a 2025 one
    m1, m2, m_old = w.activity(g1, date(2026, 2, 1)), w.activity(g1, date(2026, 5, 1)), w.activity(g1, date(2025, 5, 1))
    w.attend(m1, parent, True, 2), w.attend(m2, parent, False), w.attend(m1, sub, True, 1), w.attend(m_old, sub, False)
    w.activity(g1, date(2026, 6, 1), kind="workshop")  # not a meeting
    # commitments due 2026: sub owns 3: kept (verified by the NGO), done on time but verified by
    # nobody, open and overdue; a dropped one does not count
    w.commitment(g1, sub, date(2026, 3, 1), "done", date(2026, 2, 20), verified_by=ngo)
    w.commitment(g1, sub, date(2026, 4, 1), "done", date(2026, 3, 30))
    w.commitment(g1, sub, date(2026, 5, 1), "open")
    w.commitment(g1, sub, date(2026, 5, 1), "dropped")
    # contributions 2026: parent 1,000.00 USD, subsub in kind 500.00; 2025 not counted
    f = w.fund(g1, "Tano fund")
    w.contribution(f, parent, 1_000_00, date(2026, 2, 1))
    w.contribution(f, subsub, 500_00, date(2026, 3, 1), kind="in_kind")
    w.contribution(f, parent, 9_000_00, date(2025, 3, 1))
    # sites: North Pit (sub), Condor Pit (other)
    pit = w.site("North Pit", g1, sub)
    w.site("Condor Pit", g3, other, country="PE")
    w.issue(g1, date(2026, 2, 1), site_id=pit, status="in_dialogue")
    w.issue(g1, date(2025, 2, 1), site_id=pit, status="resolved", resolved_on=date(2026, 3, 1))
    w.issue(g1, date(2026, 2, 1), site_id=pit, status="resolved", resolved_on=date(2026, 4, 1))
    w.issue(g1, date(2025, 1, 1), site_id=pit, status="resolved", resolved_on=date(2025, 4, 1))
    w.training(police, pit, date(2026, 6, 1), 30), w.training(guards, pit, date(2026, 7, 1), 12)
    w.training(guards, pit, date(2025, 7, 1), 99)
    from db.users import create_user

    create_user(SYSTEM, username="hq1", display_name="Hank HQ", password="correct-horse-42", role="hq", org_id=parent)
    return dict(parent=parent, other=other, sub=sub)


def test_rolls_up_subsidiaries(world):
    frame = scorecard.scorecard(actor("hq1"), period=YEAR).set_index("company")
    assert list(frame.index) == ["Aurum Holdings", "Condor Copper"]
    aurum = frame.loc["Aurum Holdings"]
    assert aurum["subsidiaries"] == 2
    assert aurum["groups_joined"] == 2
    assert (aurum["invited"], aurum["attended"]) == (3, 2)
    assert aurum["attendance_rate"] == pytest.approx(2 / 3)
    assert (aurum["commitments_due"], aurum["done_on_time"], aurum["kept"]) == (3, 2, 1)
    assert aurum["promise_keeping"] == pytest.approx(1 / 3)
    assert aurum["contributions"] == Decimal("1500.00")
    assert (aurum["issues_open"], aurum["issues_resolved"]) == (1, 2)
    assert (aurum["people_trained"], aurum["training_sessions"]) == (42, 2)


def test_no_data_stays_none(world):
    condor = scorecard.scorecard(actor("hq1"), period=YEAR).set_index("company").loc["Condor Copper"]
    assert condor["groups_joined"] == 1
    assert pd.isna(condor["attendance_rate"]) and pd.isna(condor["promise_keeping"])
    assert pd.isna(condor["contributions"])
    assert (condor["issues_open"], condor["issues_resolved"]) == (0, 0)  # it has a site: real zeros


def test_company_of_finds_the_group_company(world):
    assert scorecard.company_of(world["sub"]).id == world["parent"]


def test_viewer_is_refused(world):
    from db.errors import PermissionDenied
    from db.users import create_user

    create_user(SYSTEM, username="viewer1", display_name="V", password="correct-horse-42", role="viewer")
    with pytest.raises(PermissionDenied):
        scorecard.scorecard(actor("viewer1"), period=YEAR)


def test_demo_scorecard_equals_plain_sql(demo_db):
    frame = scorecard.scorecard(actor("hq"), period=YEAR)
    assert len(frame) > 1
    with get_engine().connect() as c:
        parents = c.execute(sa.text("SELECT id, parent_id FROM organisation")).all()
        children: dict[int, list[int]] = {}
        for org_id, parent in parents:
            if parent is not None:
                children.setdefault(parent, []).append(org_id)
        for row in frame.itertuples():
            family, todo = {row.company_id}, [row.company_id]
            while todo:
                todo = [k for o in todo for k in children.get(o, [])]
                family.update(todo)
            ids = ",".join(str(i) for i in family)
            groups = c.execute(sa.text(
                f"SELECT COUNT(DISTINCT group_id) FROM membership WHERE org_id IN ({ids}) "
                "AND since <= :end AND (until IS NULL OR until >= :start)"), dict(start=YEAR.start, end=YEAR.end)).scalar()
            invited, attended = c.execute(sa.text(
                f"SELECT COUNT(*), COALESCE(SUM(CASE WHEN t.attended THEN 1 ELSE 0 END), 0) FROM attendance t "
                "JOIN activity a ON a.id = t.activity_id WHERE t.invited AND a.status = 'held' "
                "AND a.kind IN ('plenary', 'steering_committee', 'community_dialogue') "
                f"AND a.starts_at >= :start AND a.starts_at < :end AND t.org_id IN ({ids})"),
                dict(start=YEAR.start, end=date(2026, 11, 28))).one()
            open_issues = c.execute(sa.text(
                f"SELECT COUNT(*) FROM issue i JOIN site s ON s.id = i.site_id WHERE s.company_id IN ({ids}) "
                "AND i.retired = false AND i.status IN ('received', 'acknowledged', 'in_dialogue', "
                "'action_agreed', 'escalated')")).scalar()
            has_sites = c.execute(sa.text(f"SELECT COUNT(*) FROM site WHERE company_id IN ({ids})")).scalar()
            assert row.groups_joined == groups, row.company
            assert (row.invited, row.attended) == (invited, attended), row.company
            if has_sites:
                assert row.issues_open == open_issues, row.company
            else:
                assert pd.isna(row.issues_open), row.company
    assert frame["groups_joined"].sum() > 0 and frame["invited"].sum() > 0
