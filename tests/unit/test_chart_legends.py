"""Issue 18 (11): a legend under horizontal bars is one entry a row. Long company names leave
such a chart a narrow plot, and a row of two entries ran past its edge ("Promis")."""
import pandas as pd

from components import charts


def _legend(horizontal: bool) -> dict:
    frame = pd.DataFrame({"company": ["Alto Aurora Agro-Industries S.A.S."] * 2,
                          "measure": ["Attendance rate", "Promise-keeping"], "rate": [0.9, 0.6]})
    chart = charts.bars(frame, category="company", value="rate", colour="measure", title="t",
                        category_title="Company", value_title="Share", horizontal=horizontal)
    return chart.to_dict()["encoding"]["color"]["legend"]


def test_horizontal_bars_list_their_legend_one_entry_a_row():
    assert _legend(horizontal=True)["columns"] == 1


def test_vertical_bars_keep_two_entries_a_row_to_leave_their_fixed_height_to_the_plot():
    assert _legend(horizontal=False)["columns"] == 2
