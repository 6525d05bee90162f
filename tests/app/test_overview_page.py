"""The Overview page: real figures from the demo data for every role, the filters in the URL,
and nothing confidential or personal for a viewer."""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from db.engine import get_engine
from db.periods import default_period
from tests.conftest import page


def _metric(at, label: str) -> str:
    found = [m for m in at.metric if m.label == label]
    assert found, [m.label for m in at.metric]
    return found[0].value


def _count(sql: str, **params) -> int:
    with get_engine().connect() as c:
        return c.execute(sa.text(sql), params).scalar()


@pytest.mark.parametrize("username", ["admin", "coordinator", "hq", "viewer"])
def test_every_role_sees_the_demo_figures(demo_db, username):
    at = page("pages/overview.py", username).run()
    assert not at.exception, at.exception
    period = default_period()  # the 365 days to the as-of date, 2026-11-27
    held = _count("SELECT COUNT(*) FROM activity WHERE status = 'held' AND starts_at >= :s AND starts_at < :e",
                  s=period.start, e=period.end + timedelta(days=1))
    groups = _count("SELECT COUNT(*) FROM working_group WHERE status <> 'closed'")
    open_issues = _count("SELECT COUNT(*) FROM issue WHERE retired = false AND status IN "
                         "('received', 'acknowledged', 'in_dialogue', 'action_agreed', 'escalated')")
    assert _metric(at, "Activities held") == f"{held:,}"
    assert _metric(at, "Working groups") == f"{groups:,}"
    assert _metric(at, "Open issues") == f"{open_issues:,}"
    assert _metric(at, "Contributions (USD)") not in ("no data", "0")
    assert len(at.get("vega_lite_chart")) >= 3  # groups, severities, map


def test_filters_round_trip_through_the_url(demo_db):
    at = page("pages/overview.py", "viewer", {"country": "GH", "from": "2026-04-01", "to": "2026-06-30"}).run()
    assert not at.exception, at.exception
    assert at.multiselect(key="overview_country").value == ["GH"]
    assert at.date_input(key="overview_period").value == (date(2026, 4, 1), date(2026, 6, 30))
    held = _count("SELECT COUNT(*) FROM activity a JOIN working_group g ON g.id = a.group_id "
                  "WHERE a.status = 'held' AND g.country = 'GH' AND a.starts_at >= :s AND a.starts_at < :e",
                  s=date(2026, 4, 1), e=date(2026, 7, 1))
    assert _metric(at, "Activities held") == f"{held:,}"
    # Choosing a group writes it into the URL, next to the country and period already there.
    group_id = at.multiselect(key="overview_group").options[0]
    at.multiselect(key="overview_group").set_value([at.multiselect(key="overview_group").options[0]]).run()
    params = dict(at.query_params)
    assert params["country"] == ["GH"] or params["country"] == "GH"
    assert "group" in params and params["from"] in (["2026-04-01"], "2026-04-01")
    # A fresh page opened with that URL shows the same view.
    query = {k: (v[0] if isinstance(v, list) else v) for k, v in params.items()}
    again = page("pages/overview.py", "viewer", query).run()
    assert again.multiselect(key="overview_group").value == at.multiselect(key="overview_group").value
    assert _metric(again, "Activities held") == _metric(at, "Activities held")
    assert group_id is not None


def test_viewer_sees_no_titles_or_names(demo_db):
    at = page("pages/overview.py", "viewer").run()
    assert not at.exception
    with get_engine().connect() as c:
        secrets = [t for (t,) in c.execute(sa.text(
            "SELECT title FROM issue WHERE confidential = true AND length(title) > 12 LIMIT 20"))]
        names = [n for (n,) in c.execute(sa.text("SELECT raiser_name FROM issue WHERE raiser_name <> '' LIMIT 50"))]
        people = [n for (n,) in c.execute(sa.text("SELECT display_name FROM app_user"))]
    shown = " ".join(str(e.value) for e in at.markdown) + " ".join(
        df.value.to_string() for df in at.dataframe)
    for text in secrets + names + people:
        assert text not in shown
