"""A copied link to the first page of the navigation (the Overview) opens it with its filters,
not Streamlit's "Page not found" dialog: the app's root is a hidden page of its own."""
from __future__ import annotations

import re

import pytest
from browser_helpers import exceptions, goto, login, wait_heading

pytestmark = pytest.mark.e2e


def test_a_link_to_the_overview_opens_it_with_its_filters(page, app_server):
    login(page, "admin")
    goto(page, app_server, "/overview?country=GH")
    wait_heading(page, "Overview")
    assert page.get_by_text("Page not found").count() == 0
    assert re.search(r"/overview\?country=GH$", page.url), page.url
    assert page.get_by_text("Ghana", exact=True).count() >= 1  # the country filter kept its choice
    goto(page, app_server, "/")  # the root opens the first page of the user's navigation
    wait_heading(page, "Overview")
    assert page.get_by_text("Page not found").count() == 0
    assert not exceptions(page)
