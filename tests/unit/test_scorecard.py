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
    return w.company_world()


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
