"""Headline figures. A figure with no data says "no data", never 0."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import streamlit as st

from i18n import DEFAULT_LANGUAGE, _, current_language


@dataclass(frozen=True)
class Kpi:
    label: str                    # already translated
    value: float | int | str | None
    previous: float | int | None = None  # same figure in the previous period, for the delta
    fmt: str = "{:,.0f}"          # how to show value and delta
    help: str | None = None
    inverse: bool = False         # True when a rise is bad (open issues, overdue...)


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
            shown = localised(kpi.fmt.format(kpi.value)) if not isinstance(kpi.value, str) else kpi.value
            delta = None
            if kpi.previous is not None and not isinstance(kpi.value, str):
                delta = kpi.fmt.format(kpi.value - kpi.previous)
                if not delta.startswith("-"):
                    delta = "+" + delta
                delta = localised(delta)
            unchanged = delta is not None and not any(digit in delta for digit in "123456789")
            # No change: grey, without the arrow Streamlit would draw for "+0"
            st.metric(kpi.label, shown, delta=delta, help=kpi.help, border=True,
                      delta_color="off" if unchanged else "inverse" if kpi.inverse else "normal",
                      delta_arrow="off" if unchanged else "auto")


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
