"""Money: exact amounts, ISO 4217 currencies, minor units, exchange rates and display.

Decisions (the domain guide's "Money" rules):
- The database stores integer minor units with an ISO 4217 code; Python computes with Decimal;
  never float.
- A currency's minor unit (its exponent: USD 2, JPY 0, KWD 3) comes from babel
  (`get_currency_precision`, CLDR's ISO 4217 digits). Codes are checked against
  `pycountry.currencies` first, because babel answers 2 for a code it does not know.
- Typed amounts with more decimals than the currency's minor unit are REFUSED (never rounded
  silently): "12.345 USD" is a typing error a person should see.
- Conversions round once per row (a contribution, or one SQL bucket of one currency and
  date) to the target currency's minor unit with ROUND_HALF_UP, and totals add the rounded
  rows, so a table's rows add up to its total.
- An exchange rate says how many units of the reporting currency (USD) one unit of a
  currency buys on a date. The rate in force on a date is the latest one for that currency
  dated on or up to RATE_MAX_AGE_DAYS (31) days before it; otherwise the rate is missing, and
  it is reported by name (`MissingRate`), never treated as 1."""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated, Iterable

import pycountry
from babel.numbers import format_currency, get_currency_precision
from pydantic import BeforeValidator

from db.vocab import RATE_MAX_AGE_DAYS, REPORTING_CURRENCY
from i18n import _, current_language

_AMOUNT = re.compile(r"^\d+(\.\d+)?$")
# Spaces, apostrophes and underscores people use to group thousands: ignored.
_GROUPING = re.compile(r"[\s'_\u00a0\u202f]")


def is_currency(code: str | None) -> bool:
    """Whether `code` is an ISO 4217 currency code (upper case, three letters)."""
    return code is not None and len(code) == 3 and code.isupper() and pycountry.currencies.get(alpha_3=code) is not None


def check_currency(code: str | None) -> str:
    """The code in upper case if it is ISO 4217; ValueError with a readable message otherwise."""
    cleaned = (code or "").strip().upper()
    if not is_currency(cleaned):
        raise ValueError(_("{code} is not an ISO 4217 currency code (for example USD, EUR, GHS).")
                         .format(code=code or "''"))
    return cleaned


def _currency_or_none(code: str | None) -> str | None:
    return None if code in (None, "") else check_currency(code)


# Form fields holding a currency: an ISO 4217 code in upper case, anything else refused with
# check_currency's message (beside the field).
CurrencyCode = Annotated[str, BeforeValidator(check_currency)]
OptionalCurrencyCode = Annotated[str | None, BeforeValidator(_currency_or_none)]  # empty: none given


def currency_options() -> list[str]:
    """All ISO 4217 codes, sorted, with the reporting currency first (for forms)."""
    codes = sorted(c.alpha_3 for c in pycountry.currencies)
    codes.remove(REPORTING_CURRENCY)
    return [REPORTING_CURRENCY, *codes]


def exponent(currency: str) -> int:
    """Digits after the decimal point in the currency's minor unit (USD 2, JPY 0, KWD 3)."""
    if isinstance(currency, str) and currency in _EXPONENTS:  # called per converted row: look codes up once
        return _EXPONENTS[currency]
    digits = int(get_currency_precision(check_currency(currency)))
    _EXPONENTS[currency] = digits
    return digits


_EXPONENTS: dict[str, int] = {}


@functools.lru_cache(maxsize=None)
def quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-exponent(currency))


def parse_amount(text: str | Decimal | int, currency: str) -> Decimal:
    """An amount typed by a person, exact: positive, at most the currency's minor-unit
    decimals, no float anywhere. ValueError with a message the form shows otherwise."""
    if isinstance(text, float):  # a float has already lost exactness
        raise TypeError("amounts must be text, int or Decimal, never float")
    raw = _GROUPING.sub("", str(text)) if not isinstance(text, Decimal) else format(text, "f")
    if "," in raw:
        raise ValueError(_("Use a dot for decimals and no commas, for example 1250.50."))
    if not _AMOUNT.match(raw):
        raise ValueError(_("Enter a positive number, for example 1250.50."))
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        raise ValueError(_("Enter a positive number, for example 1250.50.")) from None
    if amount <= 0:
        raise ValueError(_("The amount must be more than zero."))
    digits = exponent(currency)
    if amount != amount.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP):
        if digits == 0:
            raise ValueError(_("{currency} has no minor unit: enter a whole number.").format(currency=currency))
        raise ValueError(_("{currency} has {digits} decimals: enter at most {digits} digits after the dot.")
                         .format(currency=currency, digits=digits))
    if to_minor(amount, currency) > 9_000_000_000_000_000:
        raise ValueError(_("This amount is too large."))
    return amount


def to_minor(amount: Decimal, currency: str) -> int:
    """Exact Decimal to integer minor units; ValueError if it has more decimals than allowed."""
    minor = amount.scaleb(exponent(currency))
    if minor != minor.to_integral_value():
        raise ValueError(f"{amount} {currency} has more decimals than its minor unit")
    return int(minor)


def from_minor(minor: int, currency: str) -> Decimal:
    """Integer minor units to an exact Decimal with the currency's decimals (1050, USD -> 10.50)."""
    digits = exponent(currency)
    return (Decimal(int(minor)).scaleb(-digits)).quantize(Decimal(1).scaleb(-digits))


def round_to(amount: Decimal, currency: str) -> Decimal:
    """Round once to the currency's minor unit, half up (the per-row rounding)."""
    return amount.quantize(quantum(currency), rounding=ROUND_HALF_UP)


def format_money(amount: Decimal | None, currency: str, language: str | None = None) -> str:
    """An amount for people, in their language ('1 234,50 $US' in French); "no data" for None."""
    if amount is None:
        return _("no data")
    return format_currency(amount, currency, locale=language or current_language())


@dataclass(frozen=True)
class MissingRate:
    """No rate for `currency` within RATE_MAX_AGE_DAYS before `on`."""
    currency: str
    on: date

    def message(self) -> str:
        return (_("No exchange rate for {currency} to {reporting} on {date} (none in the {days} days before).")
                .format(currency=self.currency, reporting=REPORTING_CURRENCY, date=self.on.isoformat(),
                        days=RATE_MAX_AGE_DAYS))


class MissingRateError(ValueError):
    def __init__(self, missing: MissingRate):
        super().__init__(missing.message())
        self.missing = missing


class RateBook:
    """Exchange rates to the reporting currency, looked up by the rate in force on a date."""

    def __init__(self, rates: Iterable[tuple[str, date, Decimal]] = ()):
        by_currency: dict[str, list[tuple[date, Decimal]]] = {}
        for currency, day, rate in rates:
            by_currency.setdefault(currency, []).append((day, Decimal(rate)))
        self._dates = {c: [d for d, _r in sorted(v)] for c, v in by_currency.items()}
        self._rates = {c: [r for _d, r in sorted(v)] for c, v in by_currency.items()}

    @classmethod
    def load(cls, session, currencies: Iterable[str] | None = None) -> "RateBook":
        """All stored rates (of these currencies) from the database."""
        from sqlmodel import col, select

        from db.models import ExchangeRate

        query = select(col(ExchangeRate.currency), col(ExchangeRate.rate_date), col(ExchangeRate.rate))
        if currencies is not None:
            wanted = sorted(set(currencies) - {REPORTING_CURRENCY})
            if not wanted:
                return cls()
            query = query.where(col(ExchangeRate.currency).in_(wanted))
        return cls((c, d, r) for c, d, r in session.execute(query))

    def rate(self, currency: str, on: date) -> Decimal | None:
        """Reporting-currency units per unit of `currency` in force on `on`, or None."""
        if currency == REPORTING_CURRENCY:
            return Decimal(1)
        dates = self._dates.get(currency)
        if not dates:
            return None
        index = bisect.bisect_right(dates, on) - 1
        if index < 0 or dates[index] < on - timedelta(days=RATE_MAX_AGE_DAYS):
            return None
        return self._rates[currency][index]

    def convert(self, amount: Decimal, currency: str, on: date, target: str = REPORTING_CURRENCY) -> Decimal:
        """`amount` of `currency` in `target` on `on`, rounded once to the target's minor unit.
        Raises MissingRateError naming the currency and date when a rate is missing."""
        if currency == target:
            return round_to(amount, target)
        source_rate = self.rate(currency, on)
        if source_rate is None:
            raise MissingRateError(MissingRate(currency, on))
        target_rate = self.rate(target, on)
        if target_rate is None:
            raise MissingRateError(MissingRate(target, on))
        return round_to(amount * source_rate / target_rate, target)

    def try_convert(self, amount: Decimal, currency: str, on: date,
                    target: str = REPORTING_CURRENCY) -> tuple[Decimal | None, MissingRate | None]:
        """Like convert, but returns (None, MissingRate) instead of raising."""
        try:
            return self.convert(amount, currency, on, target), None
        except MissingRateError as error:
            return None, error.missing
