"""How a headline tile states a change since the previous period: a rate changes by percentage
points ("-4.6 pts", not "-5%"), and a change in intake volume is neither good nor bad (grey)."""
from streamlit.testing.v1 import AppTest


def _tiles() -> None:
    from components.kpi import Kpi, kpi_row

    kpi_row([Kpi("Attendance rate", 0.512, 0.558, fmt="{:.0%}"),
             Kpi("Follow-through", 0.75, 0.75, fmt="{:.0%}"),
             Kpi("Issues raised", 533, 420, neutral=True),
             Kpi("Open issues", 120, 100, inverse=True)])


def tiles() -> dict:
    at = AppTest.from_function(_tiles).run()
    assert not at.exception
    return {m.label: m for m in at.metric}


def test_a_rate_changes_by_percentage_points():
    shown = tiles()
    assert (shown["Attendance rate"].value, shown["Attendance rate"].delta) == ("51%", "-4.6 pts")
    assert shown["Follow-through"].delta == "+0.0 pts"


def test_a_change_in_issues_raised_is_neither_good_nor_bad():
    shown = tiles()
    assert shown["Issues raised"].delta == "+113"
    assert shown["Issues raised"].proto.color == shown["Follow-through"].proto.color  # grey, like no change
    assert shown["Open issues"].proto.color != shown["Issues raised"].proto.color  # a rise in open issues is red
