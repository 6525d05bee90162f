"""Overview figures: on hand-made data, and on the demo data against counts computed here
independently with plain SQL."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from babel.numbers import get_currency_precision

from db.engine import get_engine
from db.metrics.overview import headline
from db.periods import Period
from db.vocab import Severity
from tests.conftest import AS_OF, actor
from tests.unit import overview_world as w

YEAR = Period(date(2026, 1, 1), date(2026, 11, 27))


@pytest.fixture
def world(empty_db):
    from db.permissions import SYSTEM
    from db.users import create_user

    g1 = w.group("Tano Basin Working Group", level="national")
    g2 = w.group("Ashanti Operational Forum", level="operational")
    g3 = w.group("Lima Dialogue Table", country="PE", level="regional")
    w.group("Closed Table", status="closed")
    w.group("Founded Later", established_on=date(2027, 1, 1))
    company, ngo = w.org("Aurum Ridge Mining"), w.org("Water Watch", "civil_society")
    # activities: 2026 held meeting, held workshop, cancelled meeting; 2025 held meeting
    w.activity(g1, date(2026, 3, 1)), w.activity(g1, date(2026, 4, 1), kind="workshop")
    w.activity(g2, date(2026, 5, 1), status="cancelled")
    w.activity(g2, date(2025, 5, 1))
    w.activity(g3, date(2026, 6, 1), kind="community_dialogue")
    # issues: raised 2026 (3), 2025 (2); open now: 2 (high, critical); one resolved in 2026
    w.issue(g1, date(2026, 2, 1), severity="high")
    w.issue(g2, date(2026, 3, 1), severity="critical", status="escalated")
    w.issue(g1, date(2026, 4, 1), status="resolved", resolved_on=date(2026, 5, 1))
    w.issue(g3, date(2025, 6, 1), status="closed", closed_on=date(2025, 12, 1))
    w.issue(g1, date(2025, 3, 1), status="resolved", resolved_on=date(2026, 1, 15))  # open on 2025-11-27
    f = w.fund(g1, "Tano fund")
    w.contribution(f, company, 1_000_00, date(2026, 2, 1))
    w.contribution(f, ngo, 250_50, date(2025, 12, 1))
    create_user(SYSTEM, username="viewer1", display_name="Vera Viewer", password="correct-horse-42", role="viewer")
    return dict(g1=g1, g2=g2, g3=g3)


def test_headline_counts(world):
    head = headline(actor("viewer1"), period=YEAR)
    assert head.previous_period == Period(date(2025, 2, 4), date(2025, 12, 31))
    assert (head.working_groups.value, head.working_groups.previous) == (3, 3)
    assert (head.activities_held.value, head.activities_held.previous) == (3, 1)
    assert (head.meetings_held.value, head.meetings_held.previous) == (2, 1)
    assert (head.issues_raised.value, head.issues_raised.previous) == (3, 2)
    # open at 2026-11-27: high + critical; open at 2025-12-31: the 2025-03 one (resolved 2026)
    assert (head.open_issues.value, head.open_issues.previous) == (2, 1)
    severity = dict(zip(head.open_by_severity["severity"], head.open_by_severity["issues"]))
    assert severity == {"low": 0, "medium": 0, "high": 1, "critical": 1}
    assert list(head.open_by_severity["severity"]) == [s.value for s in Severity]
    levels = {(c, level): n for c, level, n in head.groups_by_country_level.itertuples(index=False)}
    assert levels == {("GH", "national"): 1, ("GH", "operational"): 1, ("PE", "regional"): 1}
    assert head.contributions_received.value == Decimal("1000.00")
    assert head.contributions_received.previous == Decimal("250.50")


def test_scope_by_country_and_group(world):
    head = headline(actor("viewer1"), countries=("PE",), period=YEAR)
    assert (head.working_groups.value, head.activities_held.value, head.issues_raised.value) == (1, 1, 0)
    head = headline(actor("viewer1"), group_ids=(world["g1"],), period=YEAR)
    assert (head.activities_held.value, head.meetings_held.value, head.open_issues.value) == (2, 1, 1)


def test_no_data_is_none_not_zero(empty_db):
    from db.permissions import SYSTEM
    from db.users import create_user

    create_user(SYSTEM, username="viewer1", display_name="Vera Viewer", password="correct-horse-42", role="viewer")
    head = headline(actor("viewer1"), period=YEAR)
    for figure in (head.working_groups, head.activities_held, head.meetings_held, head.attendance_rate,
                   head.open_issues, head.issues_raised, head.follow_through, head.contributions_received):
        assert figure.value is None
    assert head.open_by_severity.empty


# --------------------------------------------------------------------------- the demo data


def _scalar(sql: str, **params):
    with get_engine().connect() as c:
        return c.execute(sa.text(sql), params).scalar()


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _rows(sql: str, **params):
    with get_engine().connect() as c:
        return c.execute(sa.text(sql), params).all()


def test_demo_overview_equals_independent_counts(demo_db):
    """The issue's foundation check: groups by country and level, activities held this year,
    open issues by severity and contributions received equal plain SQL over the demo data."""
    year = Period(date(AS_OF.year, 1, 1), AS_OF)
    head = headline(actor("viewer"), period=year)

    groups = _rows("SELECT country, level, COUNT(*) FROM working_group WHERE status <> 'closed' "
                   "AND (established_on IS NULL OR established_on <= :end) GROUP BY country, level", end=AS_OF)
    assert {(c, level): n for c, level, n in head.groups_by_country_level.itertuples(index=False)} == \
        {(c, level): n for c, level, n in groups}
    assert head.working_groups.value == sum(n for _c, _l, n in groups) > 0

    held = _scalar("SELECT COUNT(*) FROM activity WHERE status = 'held' AND starts_at >= :start AND starts_at < :end",
                   start=date(2026, 1, 1), end=date(2026, 11, 28))
    assert head.activities_held.value == held > 0
    meetings = _scalar("SELECT COUNT(*) FROM activity WHERE status = 'held' AND starts_at >= :start "
                       "AND starts_at < :end AND kind IN ('plenary', 'steering_committee', 'community_dialogue')",
                       start=date(2026, 1, 1), end=date(2026, 11, 28))
    assert head.meetings_held.value == meetings > 0

    open_now = dict(_rows("SELECT severity, COUNT(*) FROM issue WHERE retired = false AND status IN "
                          "('received', 'acknowledged', 'in_dialogue', 'action_agreed', 'escalated') "
                          "GROUP BY severity"))
    assert dict(zip(head.open_by_severity["severity"], head.open_by_severity["issues"])) == \
        {s.value: open_now.get(s.value, 0) for s in Severity}
    assert head.open_issues.value == sum(open_now.values()) > 0

    raised = _scalar("SELECT COUNT(*) FROM issue WHERE retired = false AND raised_on BETWEEN :start AND :end",
                     start=year.start, end=year.end)
    assert head.issues_raised.value == raised > 0

    # Contributions in USD: each row converted at the latest rate within 31 days before it
    # was received, rounded per row to cents (no other currency may lack a rate in the demo).
    total = Decimal(0)
    for amount, currency, received in _rows(
            "SELECT amount_minor, currency, received_on FROM contribution "
            "WHERE retired = false AND received_on BETWEEN :start AND :end", start=year.start, end=year.end):
        digits = get_currency_precision(currency)
        value = Decimal(amount).scaleb(-digits)
        if currency != "USD":
            rate = _scalar("SELECT rate FROM exchange_rate WHERE currency = :c AND rate_date <= :d "
                           "AND rate_date >= :earliest ORDER BY rate_date DESC LIMIT 1",
                           c=currency, d=received, earliest=_day(received) - timedelta(days=31))
            assert rate is not None, (currency, received)
            value = value * Decimal(str(rate))
        total += value.quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    assert head.contributions_received.value == total > 0


def test_demo_previous_period_changes(demo_db):
    year = Period(date(AS_OF.year, 1, 1), AS_OF)
    head = headline(actor("viewer"), period=year)
    before = year.previous()
    held = _scalar("SELECT COUNT(*) FROM activity WHERE status = 'held' AND starts_at >= :start AND starts_at < :end",
                   start=before.start, end=before.end + timedelta(days=1))
    assert head.activities_held.previous == held
