"""Files people take away: CSV and Excel with formula injection neutralised."""
from __future__ import annotations

import io

import pandas as pd

# A cell that starts with one of these is read as a formula by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Prefix a text cell that a spreadsheet would run as a formula with a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    safe = frame.copy()
    for column in safe.columns:
        if isinstance(safe[column].dtype, pd.DatetimeTZDtype):
            # Excel has no time zones: write UTC wall-clock times.
            safe[column] = safe[column].dt.tz_convert("UTC").dt.tz_localize(None)
        elif safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise)
    safe.columns = [neutralise(str(c)) for c in safe.columns]
    return safe


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    return safe_frame(frame).to_csv(index=False).encode("utf-8-sig")  # BOM: Excel reads UTF-8


# A cell's (row, column) in a frame, counted from 0 without the header row, and its Excel number format.
CellFormats = dict[tuple[int, int], str]


def to_excel_bytes(sheets: dict[str, pd.DataFrame], formats: dict[str, CellFormats] | None = None) -> bytes:
    """One workbook, one sheet per table (sheet names cut to Excel's 31 characters); `formats`
    gives number formats (money, percentages) to cells of the named sheets."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            sheet = name[:31] or "Sheet"
            safe_frame(frame).to_excel(writer, sheet_name=sheet, index=False)
            for (row, column), number_format in (formats or {}).get(name, {}).items():
                writer.sheets[sheet].cell(row=row + 2, column=column + 1).number_format = number_format
    return buffer.getvalue()
