"""Numbers and dates for people, in the current run's language as CLDR writes them (through
Babel): counts, shares and days put into translated text ("735 de 1.062", "93 %",
"27 de novembro de 2026"). Money has its own helper, db.money.format_money."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from i18n import current_language


def number(value: int | float | Decimal, digits: int = 0) -> str:
    """A count or an amount with the language's grouping and decimal signs ("1,062" / "1.062")."""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=current_language())


def percent(share: float) -> str:
    """A share from 0 to 1 as a whole percentage the language's way ("93%", "93 %")."""
    return format_percent(share, locale=current_language())


def day(value: date) -> str:
    """A date in prose ("November 27, 2026", "27 de novembro de 2026"); tables keep ISO dates."""
    return format_date(value, format="long", locale=current_language())


def percent_column_format() -> str:
    """A table column's printf pattern for percentages held from 0 to 100 ("%.0f%%", "%.0f %%"):
    Streamlit's own "percent" format follows the browser's locale, not the user's language."""
    return percent(0.5).replace("%", "%%").replace("50", "%.0f")
