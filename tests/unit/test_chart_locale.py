"""Chart axes speak the user's language (issue 18, point 17): Vega gets CLDR's number and time
locale, so a Portuguese axis writes "1.062" and "novembro", as the tiles and tables do."""
import i18n
from components import charts
from tests.conftest import in_language


def test_the_locale_comes_from_cldr():
    pt = charts.chart_locale("pt")
    assert (pt["number"]["decimal"], pt["number"]["thousands"]) == (",", ".")
    assert pt["time"]["months"][10] == "novembro" and pt["time"]["days"][0] == "domingo"  # Vega starts on Sunday
    fr = charts.chart_locale("fr")
    assert fr["time"]["shortMonths"][0] == "janv." and fr["number"]["decimal"] == ","


def test_a_chart_shown_to_a_portuguese_user_carries_the_locale(monkeypatch):
    import altair as alt

    sent = []
    monkeypatch.setattr(charts.st, "altair_chart", lambda chart, **kwargs: sent.append(chart.to_dict()))
    chart = alt.Chart(alt.Data(values=[{"x": 1}])).mark_point().encode(x="x:Q")
    in_language("pt", lambda: charts.show(chart))
    charts.show(chart)  # English: Vega's own locale
    assert sent[0]["config"]["locale"]["time"]["months"][0] == "janeiro"
    assert sent[0]["config"]["title"]["font"] == sent[1]["config"]["title"]["font"] == charts.FONT  # nothing else lost
    assert "locale" not in sent[1]["config"]
    assert i18n.current_language() == i18n.DEFAULT_LANGUAGE
