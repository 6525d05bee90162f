"""A report as content, independent of its file format: headed sections holding paragraphs,
key figures, tables and charts. The renderers in this package turn it into PDF, Word or Excel.

Values that were never entered are None and are printed as "no data", never as 0."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import altair as alt
import pandas as pd

from i18n import _, numbers


@dataclass
class Table:
    name: str                # sheet name in Excel, caption elsewhere (translated)
    frame: pd.DataFrame      # columns already translated, values ready to print
    empty_note: str = ""     # what to say when the table has no rows
    print_rows: int | None = None    # PDF and Word show this many rows; the workbook has all

    def printed(self) -> tuple[pd.DataFrame, str | None]:
        """The rows to print, and a note saying how many more the workbook holds."""
        if self.print_rows is None or len(self.frame) <= self.print_rows:
            return self.frame, None
        return self.frame.head(self.print_rows), _(
            "The {shown} most recent of {total} rows; the Excel workbook lists them all.").format(
            shown=self.print_rows, total=len(self.frame))


@dataclass
class Section:
    heading: str
    level: int = 1
    paragraphs: list[str] = field(default_factory=list)
    figures: list[tuple[str, object]] = field(default_factory=list)  # (label, value) pairs
    tables: list[Table] = field(default_factory=list)
    charts: list[alt.Chart] = field(default_factory=list)
    landscape: bool = False  # starts a landscape page in the PDF (a table of long text)


@dataclass
class Report:
    title: str
    subtitle: str
    period_start: date
    period_end: date
    as_of: date
    data_version: int
    prepared_for: str                     # the role the report was made for (never a person)
    file_stem: str
    sections: list[Section] = field(default_factory=list)

    def meta_lines(self) -> list[str]:
        return [
            _("Period: {start} to {end}").format(start=numbers.day(self.period_start), end=numbers.day(self.period_end)),
            _("Figures as of {as_of}, from data version {version}").format(
                as_of=numbers.day(self.as_of), version=self.data_version),
            _("Prepared for the role: {role}").format(role=self.prepared_for),
        ]

    def tables(self) -> list[Table]:
        return [t for s in self.sections for t in s.tables]


class Shown(str):
    """A value as printed for people ("$180,613.49", "90%", "no data") that keeps the number
    behind it and its Excel number format, so that a workbook holds numbers, not text."""
    number: float | int | None
    excel_format: str | None

    def __new__(cls, text: str, number: float | int | None = None, excel_format: str | None = None):
        made = super().__new__(cls, text)
        made.number, made.excel_format = number, excel_format
        return made


def shown(value: object, kind: str = "count", currency: str | None = None) -> str:
    """A value as printed in a report: "no data" for None or NaN, percentages, money."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return Shown(_("no data"))
    if kind == "rate":
        return Shown(numbers.percent(float(value)), float(value), "0%")
    if kind == "money":
        from db.money import exponent, format_money

        code = currency or "USD"
        digits = exponent(code)
        return Shown(format_money(Decimal(value), code), float(value),
                     f'#,##0{"." + "0" * digits if digits else ""} "{code}"')
    if kind == "days":
        return Shown(_("{n} days").format(n=numbers.number(float(value))), float(value), "0")
    if isinstance(value, (int, Decimal)) or (isinstance(value, float) and float(value).is_integer()):
        return Shown(numbers.number(int(value)), int(value), "#,##0")
    return str(value)


def printed(values, kind: str = "count", currency: str | None = None) -> pd.Series:
    """A table column as printed (see `shown`) that keeps each cell's number for the workbook.
    kind "text": the text itself, "no data" where empty. The Series holds objects, since pandas
    would turn the printed strings into plain text and lose the numbers."""
    if kind == "text":
        cells = [value if value else Shown(_("no data")) for value in values]
    else:
        cells = [shown(value, kind, currency) for value in values]
    return pd.Series(cells, index=values.index if isinstance(values, pd.Series) else None, dtype=object)
