"""Numbers and dates written into text follow the run's language as CLDR (through Babel) writes
them: "1.062" and "93 %" in Spanish, "1.062" and "93%" in Portuguese, never "1,062" or "92.86%"."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

import i18n
from db.money import format_money
from i18n import numbers
from tests.conftest import in_language


@pytest.mark.parametrize("language,count,share,day", [
    ("en", "1,062", "93%", "November 27, 2026"),
    ("fr", "1\u202f062", "93\xa0%", "27 novembre 2026"),
    ("es", "1.062", "93\xa0%", "27 de noviembre de 2026"),
    ("pt", "1.062", "93%", "27 de novembro de 2026"),
])
def test_numbers_and_days_in_the_runs_language(language, count, share, day):
    assert in_language(language, lambda: numbers.number(1062)) == count
    assert in_language(language, lambda: numbers.percent(0.9286)) == share
    assert in_language(language, lambda: numbers.day(date(2026, 11, 27))) == day


def test_a_spanish_fraction_of_two_counts():
    text = in_language("es", lambda: i18n._("{numerator} of {denominator}").format(
        numerator=numbers.number(735), denominator=numbers.number(1062)))
    assert text == "735 de 1.062"


def test_decimals_when_asked():
    assert in_language("pt", lambda: numbers.number(1234.5, digits=1)) == "1.234,5"
    assert in_language("en", lambda: numbers.number(1234.5, digits=1)) == "1,234.5"


@pytest.mark.parametrize("language,pattern", [("en", "%.0f%%"), ("pt", "%.0f%%"), ("fr", "%.0f\xa0%%"),
                                              ("es", "%.0f\xa0%%")])
def test_a_percent_columns_format_is_the_languages(language, pattern):
    """Tables get a printf pattern for values from 0 to 100 (Streamlit's own "percent" format
    follows the browser's locale, not the user's language)."""
    assert in_language(language, numbers.percent_column_format) == pattern


def test_babel_knows_portuguese_money():
    assert format_money(Decimal("1234.50"), "USD", "pt") == "US$\xa01.234,50"
    assert format_money(Decimal("1234.50"), "MZN", "pt") == "MZN\xa01.234,50"
