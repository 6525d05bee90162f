"""Languages on the demo data: a French, a Spanish and a Portuguese user see every page of their
role in their language (titles, labels, messages, chart titles, column headings; no English interface text left),
the language chosen in the sidebar is stored on the user, and the files the app makes (a report,
a calendar) follow the user's language."""
from __future__ import annotations

import io
import json

import icalendar
import openpyxl
import pytest
from sqlmodel import select

from components.nav import PAGES, allowed_pages
from db.engine import session_scope
from db.models import User
from db.users import UserUpdate, update_user
from i18n import catalogues
from tests.conftest import actor, elements, in_language, page, sign_in

TEXT_ELEMENTS = {"title", "header", "subheader", "caption", "markdown", "alert", "info", "warning", "error",
                 "success", "text", "exception"}


def _translations(language: str) -> dict[str, str]:
    """English msgid -> translation."""
    return {m.id: m.string for m in catalogues.load(language) if m.id and m.string and not m.context}


@pytest.fixture(scope="module")
def french():
    return _translations("fr")


@pytest.fixture(scope="module")
def spanish():
    return _translations("es")


@pytest.fixture(scope="module")
def portuguese():
    return _translations("pt")


def _speak(username: str, language: str) -> None:
    """Set a demo user's language the way the app does (the user's own choice)."""
    me = actor(username)
    update_user(me, me.id, UserUpdate(language=language))
    assert actor(username).language == language


def _chart_titles(spec: object, found: list[str]) -> None:
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key == "title" and isinstance(value, str):
                found.append(value)
            elif key == "title" and isinstance(value, list):
                found.extend(v for v in value if isinstance(v, str))
            else:
                _chart_titles(value, found)
    elif isinstance(spec, list):
        for value in spec:
            _chart_titles(value, found)


def interface_texts(at) -> list[str]:
    """The interface text of a run: headings, captions, messages, widget, metric, tab and
    expander labels, table column headings and chart titles (not the data in cells)."""
    found: list[str] = []
    for node in elements(at):
        kind = getattr(node, "type", None)
        if kind in TEXT_ELEMENTS and isinstance(getattr(node, "value", None), str):
            found.append(node.value.strip("* "))
        label = getattr(node, "label", None)
        if isinstance(label, str) and label:
            found.append(label)
        proto = getattr(node, "proto", None)
        if proto is not None and kind in ("dataframe", "arrow_data_frame", "data_editor"):
            config = json.loads(getattr(proto, "columns", "") or "{}")
            found.extend(c["label"] for c in config.values() if isinstance(c, dict) and c.get("label"))
        if proto is not None and kind in ("vega_lite_chart", "arrow_vega_lite_chart") and getattr(proto, "spec", ""):
            _chart_titles(json.loads(proto.spec), found)
    return found


def _english_left(at, translations: dict[str, str]) -> list[str]:
    """Interface texts still in English although the catalogue translates them differently."""
    return sorted({text for text in interface_texts(at) if translations.get(text, text) != text})


ROLES = [("fr", "admin"), ("fr", "coordinator"), ("fr", "viewer"), ("es", "admin"), ("es", "hq"),
         ("pt", "coordinator")]


@pytest.mark.parametrize("language,username", ROLES, ids=[f"{lang}-{user}" for lang, user in ROLES])
def test_every_page_of_the_role_is_in_the_users_language(demo_db, language, username, french, spanish, portuguese):
    translations = {"fr": french, "es": spanish, "pt": portuguese}[language]
    _speak(username, language)
    specs = allowed_pages(actor(username))
    assert len(specs) >= 7
    english_titles = {spec.title for spec in PAGES}
    for spec in specs:
        at = page(spec.path, username).run(timeout=180)
        assert not at.exception, (spec.path, at.exception)
        titles = [t.value for t in at.title]
        assert titles == [translations[spec.title]], (spec.path, titles)
        assert not {t for t in english_titles if translations[t] != t} & set(titles)
        texts = interface_texts(at)
        assert len(texts) >= 5, spec.path
        assert not _english_left(at, translations), (spec.path, _english_left(at, translations))


def _coordinator_in(language: str, path: str):
    """The page as the demo coordinator sees it with `language` chosen."""
    _speak("coordinator", language)
    at = page(path, "coordinator").run(timeout=180)
    assert not at.exception, at.exception
    return at


def test_known_strings_in_french_and_spanish(demo_db):
    at = _coordinator_in("fr", "pages/issues.py")
    assert at.title[0].value == "Plaintes"
    assert "Plaintes soulevées" in [m.label for m in at.metric]
    assert {"Alertes", "Registre"} <= {s.value for s in at.subheader}
    # Percentages are written the French way ("82 %"), not "82%".
    shares = [m.value for m in at.metric if m.label == "Dans les délais"]
    assert shares and shares[0].endswith("\xa0%"), shares

    _speak("hq", "es")
    at = page("pages/funding.py", "hq").run(timeout=180)
    assert not at.exception, at.exception
    assert at.title[0].value == "Financiación"
    assert "Saldo de caja" in [m.label for m in at.metric]
    assert "Recibido por pilar del contribuyente (efectivo y especie)" in interface_texts(at)  # a chart title


SIDEBAR_SCRIPT = """
import streamlit as st
from components.auth import Auth
from components.guard import require
from components.shell import user_sidebar
from db.permissions import Action
from i18n import _
actor = require(Action.view_overview)
user_sidebar(actor, Auth())
st.title(_("Overview"))
"""


def _sidebar_page(username: str):
    """The sidebar as app.py draws it. AppTest reruns of app.py run only the current page, so
    a script that draws the sidebar itself stands in for the frame."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_string(SIDEBAR_SCRIPT, default_timeout=120)
    sign_in(at, username)
    return at


def test_choosing_a_language_in_the_sidebar_is_remembered(demo_db):
    at = _sidebar_page("coordinator").run()
    assert not at.exception, at.exception
    choice = at.selectbox(key="language_choice")
    assert choice.label == "Language" and choice.value == "en"
    assert choice.options == ["English", "Français", "Español", "Português"]
    assert at.title[0].value == "Overview"
    choice.set_value("fr").run()
    assert not at.exception, at.exception
    with session_scope() as s:
        assert s.exec(select(User.language).where(User.username == "coordinator")).one() == "fr"
    # The same session now shows the interface in French.
    assert at.title[0].value == "Vue d'ensemble"
    assert at.selectbox(key="language_choice").label == "Langue"
    # A new session (another day, another browser) starts in French, navigation included.
    again = page("app.py", "coordinator").run(timeout=180)
    assert not again.exception, again.exception
    assert again.title[0].value == "Vue d'ensemble"
    assert again.selectbox(key="language_choice").label == "Langue"
    assert "Vue d'ensemble" in {info["page_name"] for info in again._registered_pages.values()}


def test_the_hq_demo_user_may_choose_a_language(demo_db):
    at = _sidebar_page("hq").run()
    at.selectbox(key="language_choice").set_value("es").run()
    assert not at.exception, at.exception
    assert actor("hq").language == "es"
    assert at.title[0].value == "Resumen general"




def test_the_group_report_follows_the_users_language(demo_db):
    _speak("coordinator", "fr")
    at = page("pages/reports.py", "coordinator").run(timeout=180)
    at.button(key="group_report_prepare").click().run(timeout=300)
    assert not at.exception, at.exception
    headings = [m.value for m in at.markdown]
    assert "**Réunions et participation**" in headings, headings
    assert {b.label for b in at.get("download_button")} == {"Télécharger en PDF", "Télécharger en Excel"}
    # The workbook the page offers is built the same way: its text is French.
    from db.reports import group_report, render

    group_id = int(at.selectbox(key="report_group").value)
    quarter = at.selectbox(key="report_quarter").value
    workbook = in_language("fr", lambda: render(group_report.build(actor("coordinator"), group_id, quarter), "xlsx"))
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    cells = [str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value]
    assert "Réunions et participation: Taux de participation" in cells, cells[:20]
    assert not [c for c in cells if "Meetings and attendance" in c or c.startswith("Period:")]


def test_the_calendar_file_follows_the_users_language(demo_db):
    from db.calendar_ics import group_calendar
    from db.reads.common import groups

    group_id = int(groups(actor("admin"))["id"].iloc[0])
    for language, group_word, status_word in (("fr", "Groupe de travail :", "Statut :"),
                                              ("es", "Grupo de trabajo:", "Estado:")):
        _name, data = in_language(language, lambda: group_calendar(group_id))
        events = [e for e in icalendar.Calendar.from_ical(data).walk("VEVENT")]
        assert events
        description = str(events[0]["DESCRIPTION"])
        assert description.startswith(group_word) and status_word in description, description
    _name, data = group_calendar(group_id)  # English outside a French or Spanish run
    assert str(icalendar.Calendar.from_ical(data).walk("VEVENT")[0]["DESCRIPTION"]).startswith("Working group:")


def _grouped(n: int, language: str) -> str:
    from babel.numbers import format_decimal

    return format_decimal(n, locale=language)


@pytest.mark.parametrize("language,heading,percent_sign", [("pt", "Saúde do mecanismo de queixas", "%"),
                                                           ("es", None, "\xa0%")])
def test_figures_in_text_and_tables_are_written_the_users_way(demo_db, language, heading, percent_sign):
    """Grievance health as a Portuguese and a Spanish viewer: "735 de 1.062", "93%" / "93 %",
    never "735 de 1,062" or "92.86%" (English signs, or the browser's locale in the table)."""
    import re

    from db.metrics import issues as metrics
    from db.periods import last_days

    _speak("viewer", language)
    at = page("pages/grievance_health.py", "viewer").run(timeout=180)
    assert not at.exception, at.exception
    if heading:
        assert at.title[0].value == heading
    health = metrics.gm_health(actor("viewer"), period=last_days(365))
    overall = health[health["group_id"].isna() & health["denominator"].fillna(0).gt(0)]
    assert overall["denominator"].max() >= 1000  # so the thousands sign shows
    expected = [f"{_grouped(int(n), language)} de {_grouped(int(d), language)}"
                for n, d in zip(overall["numerator"], overall["denominator"])]
    assert [c.value for c in at.caption if re.fullmatch(r"[\d.]+ de [\d.]+", c.value)] == expected
    shares = [m.value for m in at.metric if m.value.endswith("%")]
    assert shares and all(re.fullmatch(r"\d+" + percent_sign, v) for v in shares), shares
    # The per-group table: whole percentages with the language's sign, the bar still full at 100.
    columns = json.loads(at.dataframe[0].proto.columns)
    progress = [c for c in columns.values() if c.get("type_config", {}).get("type") == "progress"]
    assert progress and {c["type_config"]["format"] for c in progress} == {"%.0f" + percent_sign + "%"}
    assert {c["type_config"]["max_value"] for c in progress} == {100}
    assert at.dataframe[0].value.select_dtypes("number").max().max() > 1


def test_a_portuguese_user_reads_the_overview_in_portuguese(demo_db):
    """Heading, tiles and the period in prose: "1 de junho de 2026 a 27 de novembro de 2026"."""
    import re

    at = _coordinator_in("pt", "pages/overview.py")
    assert at.title[0].value == "Visão geral"
    assert "Grupos de trabalho" in [m.label for m in at.metric]
    day = r"\d{1,2} de [a-zç]+ de \d{4}"
    assert any(re.fullmatch(f"{day} a {day}, em comparação com {day} a {day}.", c.value) for c in at.caption), \
        [c.value for c in at.caption]


def test_a_portuguese_report_writes_its_dates_and_figures_the_portuguese_way(demo_db):
    """The workbook's summary: "Período: 1 de julho de 2026 a 30 de setembro de 2026", rates as
    "67%" and counts as "1.062", never "2026-07-01" or "1,062"."""
    import re

    from db.reads.common import groups
    from db.reports import group_report, render
    from db.reports.document import shown
    from db.reports.group_report import quarters

    group_id = int(groups(actor("admin"))["id"].iloc[0])
    quarter = quarters()[1]
    workbook = in_language("pt", lambda: render(group_report.build(actor("admin"), group_id, quarter), "xlsx"))
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    cells = [str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value]
    day = r"\d{1,2} de [a-zç]+ de \d{4}"
    assert any(re.fullmatch(f"Período: {day} a {day}", c) for c in cells), cells[:10]
    assert any(re.fullmatch(f"Números à data de {day}, da versão de dados \\d+", c) for c in cells), cells[:10]
    assert in_language("pt", lambda: (shown(1062), shown(0.6667, "rate"), shown(12.0, "days"))) == \
        ("1.062", "67%", "12 dias")
    assert in_language("es", lambda: shown(0.6667, "rate")) == "67\xa0%"
