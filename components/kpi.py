"""Headline figures. A figure with no data says "no data", never 0."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import streamlit as st

from db.money import format_money
from i18n import DEFAULT_LANGUAGE, _, current_language


@dataclass(frozen=True)
class Kpi:
    label: str                    # already translated
    value: float | int | Decimal | str | None
    previous: float | int | Decimal | None = None  # same figure in the previous period, for the delta
    fmt: str = "{:,.0f}"          # how to show value and delta
    help: str | None = None
    inverse: bool = False         # True when a rise is bad (open issues, overdue...)
    neutral: bool = False         # a change is neither good nor bad (issues raised: more reports may mean more trust)
    currency: str | None = None   # a sum of money: shown compact ("$2.9M"), the exact sum in the help


MAX_PER_ROW = 4  # more tiles than this in a row cut their labels and values short on a projector


def kpi_row(kpis: list[Kpi]) -> None:
    if not kpis:
        return
    rows = -(-len(kpis) // MAX_PER_ROW)
    per_row = -(-len(kpis) // rows)  # 6 tiles: two rows of 3, not 4 and 2
    columns = [column for start in range(0, len(kpis), per_row) for column in st.columns(per_row)]
    for column, kpi in zip(columns, kpis):
        with column:
            if kpi.value is None:
                st.metric(kpi.label, _("no data"), help=kpi.help, border=True)
                continue
            shown, delta = _shown(kpi)
            unchanged = delta is not None and not any(digit in delta for digit in "123456789")
            # No change: grey, without the arrow Streamlit would draw for "+0"
            st.metric(kpi.label, shown, delta=delta, help=_help(kpi), border=True,
                      delta_color="off" if unchanged or kpi.neutral else "inverse" if kpi.inverse else "normal",
                      delta_arrow="off" if unchanged else "auto")


def _shown(kpi: Kpi) -> tuple[str, str | None]:
    """The tile's value (present) and its change since the previous period, as text."""
    if isinstance(kpi.value, str):
        return kpi.value, None
    if kpi.currency:
        shown = compact_money(kpi.value, kpi.currency)
        change = None if kpi.previous is None else compact_money(kpi.value - kpi.previous, kpi.currency)
    elif "%" in kpi.fmt and kpi.previous is not None:  # a rate moves by percentage points, not by percent
        shown = localised(kpi.fmt.format(kpi.value))
        points = localised(f"{(float(kpi.value) - float(kpi.previous)) * 100:+.1f}")
        return shown, _("{points} pts").format(points=points)
    else:
        shown = localised(kpi.fmt.format(kpi.value))
        change = None if kpi.previous is None else localised(kpi.fmt.format(kpi.value - kpi.previous))
    if change is not None and not change.startswith("-"):
        change = "+" + change
    return shown, change


def _help(kpi: Kpi) -> str | None:
    if not kpi.currency or isinstance(kpi.value, str) or kpi.value is None:
        return kpi.help
    exact = format_money(Decimal(kpi.value), kpi.currency)
    return f"{kpi.help}\n\n{exact}" if kpi.help else exact


def compact_money(amount: float | int | Decimal, currency: str) -> str:
    """A sum short enough for a tile ("$2.9M", "2,9 M $US"): the full figure is cut there."""
    from babel.numbers import format_compact_currency

    return format_compact_currency(amount, currency, locale=current_language(), fraction_digits=1)


def percent(value: float | None) -> str | None:
    return None if value is None else localised(f"{value:.0%}")


def localised(text: str) -> str:
    """A number written the English way ("1,234.5", "50%") in the current language's way
    ("1 234,5" and "50 %" in French), using CLDR's symbols through Babel."""
    language = current_language()
    if language == DEFAULT_LANGUAGE:
        return text
    group, decimal, percent_sign = _symbols(language)
    return text.translate({ord(","): group, ord("."): decimal}).replace("%", percent_sign)


@lru_cache(maxsize=None)
def _symbols(language: str) -> tuple[str, str, str]:
    from babel import Locale
    from babel.numbers import format_percent

    symbols = Locale.parse(language).number_symbols["latn"]
    return symbols["group"], symbols["decimal"], format_percent(0.5, locale=language).replace("50", "")
