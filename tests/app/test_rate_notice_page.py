"""The Funding page warns of exchange rates running out within the week, naming each currency
and the date, with links to add or import rates for the admin who can."""
from __future__ import annotations

from tests.conftest import elements, page
from tests.unit.test_rates_running_out import _world


def _links(at) -> list[str]:
    found = []
    for node in elements(at):
        proto = getattr(node, "proto", None)
        if getattr(node, "type", "") == "page_link":
            found.append(f"{proto.label} {proto.page}")
        elif getattr(node, "type", "") == "markdown" and "data_entry?section=" in str(getattr(node, "value", "")):
            found.append(node.value)
    return found


def _funding_page(monkeypatch, as_of: str, username: str):
    """The Funding page on the hand-made rates world as of a day, and its one rates notice."""
    _world()
    monkeypatch.setenv("AS_OF_DATE", as_of)
    at = page("pages/funding.py", username).run()
    assert not at.exception
    [notice] = [w.value for w in at.warning if "within 7 days" in w.value]
    return at, notice


def test_the_funding_page_names_currencies_running_out(empty_db, monkeypatch):
    at, notice = _funding_page(monkeypatch, "2026-11-27", "admin1")
    assert "- XOF: no rate stored" in notice
    assert "- GHS: no rate in force from December 3, 2026 (latest rate November 1, 2026)" in notice
    assert "KES" not in notice
    assert _links(at) == ["[Add a rate](/data_entry?section=funding)",
                          "[Import rates from a file](/data_entry?section=import)"]


def test_a_coordinator_is_told_an_administrator_adds_rates(empty_db, monkeypatch):
    at, notice = _funding_page(monkeypatch, "2026-11-25", "coord1")
    assert "XOF" in notice and "GHS" not in notice
    assert any("An administrator adds the exchange rates." in c.value for c in at.caption)
    assert "Import rates from a file" not in " | ".join(_links(at))
