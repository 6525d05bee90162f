"""A report as an Excel workbook: a first sheet with the title, period, as-of date, data version
and key figures, then one sheet per table (numbers kept as numbers where the report has them;
text cells that would run as formulas neutralised by db/exports)."""
from __future__ import annotations

import re

import pandas as pd

from db.exports import to_excel_bytes
from db.reports.document import Report
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
    rows = [(_("Report"), report.title), ("", report.subtitle)]
    rows += [("", line) for line in report.meta_lines()]
    for section in report.sections:
        for name, value in section.figures:
            rows.append((f"{section.heading}: {name}", str(value)))
        if not section.figures and not section.tables:
            for paragraph in section.paragraphs:
                rows.append((section.heading, paragraph))
    return pd.DataFrame(rows, columns=[_("Item"), _("Value")])


def render(report: Report) -> bytes:
    taken: set[str] = set()
    sheets = {sheet_name(_("Summary"), taken): summary(report)}
    for table in report.tables():
        frame = table.raw if table.raw is not None else table.frame
        if frame.empty:
            frame = pd.DataFrame({_("Note"): [table.empty_note or _("no data")]})
        sheets[sheet_name(table.name, taken)] = frame
    return to_excel_bytes(sheets)
