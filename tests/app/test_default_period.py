"""Every page of figures opens on the same period, the 365 days ending on the as-of date
(domain guide, Decisions), and a period chosen on one page is carried to the next, in the URL."""
from datetime import date, timedelta

import pytest

from db.periods import today
from tests.conftest import page

FIGURE_PAGES = {"overview": "overview", "issues": "issues", "funding": "funding", "grievance_health": "gm",
                "training": "training", "activities": "act", "scorecard": "scorecard"}


@pytest.mark.parametrize("name, key", FIGURE_PAGES.items())
def test_each_figure_page_opens_on_the_365_days_to_the_as_of_date(demo_db, name, key):
    at = page(f"pages/{name}.py", "admin").run()
    assert not at.exception
    assert at.date_input(key=f"{key}_period").value == (today() - timedelta(days=364), today())
    assert "from" not in at.query_params and "to" not in at.query_params  # the default stays out of the URL


def test_a_period_chosen_on_one_page_is_carried_to_the_next(demo_db):
    at = page("app.py", "admin")
    at.switch_page("pages/overview.py").run()
    at.date_input(key="overview_period").set_value((date(2026, 1, 1), date(2026, 6, 30))).run()
    assert (at.query_params["from"], at.query_params["to"]) == ("2026-01-01", "2026-06-30")
    at.switch_page("pages/funding.py")
    for name in ("from", "to"):  # the navigation's links carry no query parameters
        del at.query_params[name]
    at.run()
    assert not at.exception
    assert at.date_input(key="funding_period").value == (date(2026, 1, 1), date(2026, 6, 30))
    assert (at.query_params["from"], at.query_params["to"]) == ("2026-01-01", "2026-06-30")
