"""Issue 18 (16): nothing leaves the server. Opening every page of the admin's navigation makes
no request to any host but the app's own (the favicon once came from fonts.gstatic.com)."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from browser_helpers import NAV_LINKS, login, nav_names, new_page, open_nav, wait_heading, wait_idle

pytestmark = pytest.mark.e2e


def test_no_page_asks_another_host_for_anything(browser, app_server):
    own = urlsplit(app_server.url).netloc
    elsewhere: dict[str, set[str]] = {}
    page = new_page(browser, app_server)
    current = {"page": "login"}

    def note(request) -> None:
        address = urlsplit(request.url)
        if address.scheme in ("http", "https", "ws", "wss") and address.netloc != own:
            elsewhere.setdefault(current["page"], set()).add(request.url)

    page.on("request", note)
    try:
        login(page, "admin")
        names = nav_names(page)
        assert "Overview" in names and "Backup" in names
        for name in names:
            current["page"] = name
            open_nav(page, name)
            # A page load too, not only a run: the favicon and fonts are asked for then. Not
            # helpers.reload: the Users page's password field would pass for the login form.
            page.reload()
            page.wait_for_selector(NAV_LINKS)
            wait_heading(page, name)
            wait_idle(page)
        assert elsewhere == {}
    finally:
        page.context.close()
