"""A report as an Excel workbook: a first sheet with the title, period, as-of date, data version
and key figures, then one sheet per table: printed figures (db/reports/document.Shown) are
numbers with a number format, "no data" an empty cell, and text cells that would run as
formulas are neutralised by db/exports."""
from __future__ import annotations

import re

import pandas as pd

from db.exports import CellFormats, to_excel_bytes
from db.reports.document import Report, Shown
from i18n import _

_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")


def sheet_name(name: str, taken: set[str]) -> str:
    base = _NOT_IN_SHEET_NAMES.sub(" ", name).strip()[:31] or "Sheet"
    candidate, n = base, 2
    while candidate.lower() in taken:
        suffix = f" ({n})"
        candidate, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


def summary(report: Report) -> pd.DataFrame:
    rows: list[tuple[str, object]] = [(_("Report"), report.title), ("", report.subtitle)]
    rows += [("", line) for line in report.meta_lines()]
    for section in report.sections:
        for name, value in section.figures:
            rows.append((f"{section.heading}: {name}", value))
        if not section.figures and not section.tables:
            for paragraph in section.paragraphs:
                rows.append((section.heading, paragraph))
    return pd.DataFrame(rows, columns=[_("Item"), _("Value")], dtype=object)  # keeps the printed figures' numbers


def as_numbers(frame: pd.DataFrame) -> tuple[pd.DataFrame, CellFormats]:
    """Printed values (db/reports/document.Shown) back to their numbers, "no data" to an empty
    cell, with each cell's number format: "$180,613.49" is a number in a spreadsheet."""
    formats: CellFormats = {}
    numbers = frame.copy()
    for column_index, column in enumerate(frame.columns):
        if not any(isinstance(value, Shown) for value in frame[column]):
            continue
        cells = []
        for row_index, value in enumerate(frame[column]):
            if isinstance(value, Shown):
                if value.excel_format:
                    formats[(row_index, column_index)] = value.excel_format
                value = value.number
            cells.append(value)
        numbers[column] = pd.Series(cells, index=frame.index, dtype=object)
    return numbers, formats


def render(report: Report) -> bytes:
    taken: set[str] = set()
    sheets: dict[str, pd.DataFrame] = {}
    formats: dict[str, CellFormats] = {}
    frames = [(_("Summary"), summary(report))]
    for table in report.tables():
        frame = table.frame
        if frame.empty:
            frame = pd.DataFrame({_("Note"): [table.empty_note or _("no data")]})
        frames.append((table.name, frame))
    for name, frame in frames:
        name = sheet_name(name, taken)
        sheets[name], formats[name] = as_numbers(frame)
    return to_excel_bytes(sheets, formats)
