"""db/money.py: exact parsing, minor units per ISO 4217 exponent, rates in force, rounding."""
from datetime import date
from decimal import Decimal as D

import pytest

from db.money import (
    MissingRate,
    MissingRateError,
    RateBook,
    check_currency,
    exponent,
    format_money,
    from_minor,
    is_currency,
    parse_amount,
    round_to,
    to_minor,
)


def test_exponents_follow_iso_4217():
    assert (exponent("USD"), exponent("JPY"), exponent("KWD"), exponent("GHS")) == (2, 0, 3, 2)


def test_currency_codes_are_checked_against_iso_4217():
    assert is_currency("EUR") and not is_currency("XYZ") and not is_currency("usd")
    assert check_currency(" ghs ") == "GHS"
    with pytest.raises(ValueError, match="XYZ is not an ISO 4217"):
        check_currency("XYZ")


@pytest.mark.parametrize("text, currency, expected", [
    ("1250.50", "USD", D("1250.50")), ("1 250.5", "USD", D("1250.5")), ("7", "JPY", D("7")),
    ("0.001", "KWD", D("0.001")), ("0.01", "USD", D("0.01")),
])
def test_parse_amount_is_exact(text, currency, expected):
    parsed = parse_amount(text, currency)
    assert parsed == expected and isinstance(parsed, D)


@pytest.mark.parametrize("text, currency, message", [
    ("12.345", "USD", "USD has 2 decimals"), ("1.5", "JPY", "JPY has no minor unit"),
    ("0", "USD", "more than zero"), ("-5", "USD", "positive number"), ("1,5", "USD", "dot for decimals"),
    ("abc", "USD", "positive number"), ("", "USD", "positive number"), ("1e3", "USD", "positive number"),
])
def test_parse_amount_refuses_inexact_or_non_positive(text, currency, message):
    with pytest.raises(ValueError, match=message):
        parse_amount(text, currency)


def test_parse_amount_never_takes_float():
    with pytest.raises(TypeError):
        parse_amount(0.1, "USD")


def test_minor_units_round_trip():
    assert to_minor(D("10.50"), "USD") == 1050
    assert to_minor(D("12.5"), "KWD") == 12500
    assert to_minor(D("3000"), "JPY") == 3000
    assert from_minor(1050, "USD") == D("10.50") and str(from_minor(1050, "USD")) == "10.50"
    assert from_minor(5, "JPY") == D("5")
    with pytest.raises(ValueError):
        to_minor(D("0.005"), "USD")


def test_round_half_up_per_row():
    assert round_to(D("0.125"), "USD") == D("0.13")
    assert round_to(D("0.124999"), "USD") == D("0.12")
    assert round_to(D("2.5"), "JPY") == D("3")


def test_rate_in_force_is_the_latest_within_31_days_before():
    book = RateBook([("GHS", date(2026, 1, 1), D("0.08")), ("GHS", date(2026, 1, 20), D("0.09"))])
    assert book.rate("GHS", date(2026, 1, 1)) == D("0.08")
    assert book.rate("GHS", date(2026, 1, 19)) == D("0.08")
    assert book.rate("GHS", date(2026, 1, 20)) == D("0.09")
    assert book.rate("GHS", date(2026, 2, 20)) == D("0.09")      # 31 days after: still in force
    assert book.rate("GHS", date(2026, 2, 21)) is None           # 32 days: missing
    assert book.rate("GHS", date(2025, 12, 31)) is None          # nothing before
    assert book.rate("EUR", date(2026, 1, 5)) is None
    assert book.rate("USD", date(1990, 1, 1)) == D(1)


def test_conversion_rounds_once_and_never_assumes_a_rate_of_one():
    book = RateBook([("GHS", date(2026, 1, 1), D("0.0833")), ("EUR", date(2026, 1, 1), D("1.10"))])
    assert book.convert(D("1000.00"), "GHS", date(2026, 1, 5)) == D("83.30")
    assert book.convert(D("10.01"), "GHS", date(2026, 1, 5)) == D("0.83")     # 0.833833 -> 0.83
    assert book.convert(D("100"), "EUR", date(2026, 1, 5), "GHS") == D("1320.53")  # 110/0.0833 = 1320.528
    with pytest.raises(MissingRateError) as raised:
        book.convert(D("5"), "KES", date(2026, 3, 4))
    assert raised.value.missing == MissingRate("KES", date(2026, 3, 4))
    assert "KES" in str(raised.value) and "2026-03-04" in str(raised.value)
    assert book.try_convert(D("5"), "KES", date(2026, 3, 4)) == (None, MissingRate("KES", date(2026, 3, 4)))


def test_format_money_uses_the_language_and_says_no_data():
    assert format_money(D("1234.50"), "USD", "en") == "$1,234.50"
    assert format_money(D("1234.50"), "USD", "fr") == "1\u202f234,50\xa0$US"
    assert format_money(None, "USD", "en") == "no data"
