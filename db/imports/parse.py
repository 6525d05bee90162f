"""Reading an uploaded CSV or Excel file into rows, keeping the spreadsheet's row numbers so
every message can say "row 7, column severity", and turning cells into Python values."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

import openpyxl

from db.exports import FORMULA_PREFIXES
from i18n import _

MAX_ROWS = 100_000
COMMENT = "#"  # a row whose first cell starts with this is an explanation, not data


@dataclass(frozen=True)
class RowError:
    row: int | None      # the spreadsheet's row number (header is row 1)
    column: str
    reason: str
    sheet: str = ""


@dataclass
class Table:
    """One sheet or CSV file: its header and its data rows as {column: cell}."""
    name: str
    columns: list[str]
    rows: list[tuple[int, dict[str, object]]] = field(default_factory=list)


class FileRefused(Exception):
    """The file as a whole cannot be read (wrong type, no header, too many rows)."""

    def __init__(self, errors: list[RowError]):
        super().__init__(errors[0].reason)
        self.errors = errors


class Formula(str):
    """An Excel cell holding a formula: refused, since its value is not what is stored."""


def clean_cell(value):
    """Trim text; undo the quote our own exports put before formula-looking text, so a
    downloaded file uploads back unchanged; blank becomes None."""
    if isinstance(value, Formula):
        return value
    if isinstance(value, str):
        value = value.strip()
        if value.startswith("'") and value[1:2] and value[1:].startswith(FORMULA_PREFIXES):
            value = value[1:]
        return value or None
    return value


def _table(name: str, raw_rows, first_row: int = 1) -> Table:
    rows = iter(raw_rows)
    formulas: list[RowError] = []
    header: list[str] = []
    number = first_row - 1
    for cells in rows:
        number += 1
        if any(clean_cell(c) is not None for c in cells):
            header = [str(clean_cell(c) or "").strip().lower() for c in cells]
            break
    if not header:
        raise FileRefused([RowError(None, "", _("The file has no header row."), name)])
    table = Table(name, header)
    for cells in rows:
        number += 1
        values = [clean_cell(c) for c in cells]
        if all(v is None for v in values):
            continue
        for column, value in zip(header, values):
            if isinstance(value, Formula):
                formulas.append(RowError(number, column, _("This cell holds a formula; type or paste its value instead."), name))
        if isinstance(values[0], str) and values[0].startswith(COMMENT):
            continue
        if len(table.rows) >= MAX_ROWS:
            raise FileRefused([RowError(number, "", _("The file has more than {limit} rows; split it into smaller files.")
                                        .format(limit=f"{MAX_ROWS:,}"), name)])
        table.rows.append((number, {h: v for h, v in zip(header, values) if h}))
    if formulas:
        raise FileRefused(formulas)
    return table


def read_csv(data: bytes, name: str = "csv") -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused([RowError(None, "", _("Save the CSV file as UTF-8 and upload it again."))]) from None
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return _table(name, csv.reader(io.StringIO(text), dialect))


def open_workbook(data: bytes) -> openpyxl.Workbook:
    try:
        # Not data_only: a formula cell must be told apart from text that merely starts with "=".
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise FileRefused([RowError(None, "", _("This is not an Excel workbook (.xlsx) that can be read."))]) from None


def read_sheet(book: openpyxl.Workbook, sheet: str) -> Table:
    rows = ((Formula(c.value) if c.data_type == "f" else c.value for c in cells) for cells in book[sheet].iter_rows())
    return _table(sheet, ([v for v in row] for row in rows))


def read_file(filename: str, data: bytes, sheet: str | None = None) -> Table:
    """The data table of an uploaded file: a CSV, or an Excel workbook's sheet `sheet`
    (default: its first sheet)."""
    lower = filename.lower()
    if lower.endswith(".csv") or lower.endswith(".txt"):
        return read_csv(data)
    if lower.endswith(".xlsx"):
        book = open_workbook(data)
        name = sheet if sheet in book.sheetnames else book.sheetnames[0]
        return read_sheet(book, name)
    raise FileRefused([RowError(None, "", _("Upload a .csv or .xlsx file."))])


# --------------------------------------------------------------------------- cells to values

class CellError(ValueError):
    pass


TRUE = {"yes", "y", "true", "1", "x", "oui", "sí", "si"}
FALSE = {"no", "n", "false", "0", "non"}


def to_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def to_bool(value, default: bool = False) -> bool:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    text = to_text(value).lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise CellError(_("Write yes or no."))


def to_date(value) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(to_text(value)[:10])
    except ValueError:
        raise CellError(_("Write the date as YYYY-MM-DD.")) from None


def to_datetime(value) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=None, second=0, microsecond=0)
    if isinstance(value, date):
        return datetime.combine(value, time())
    try:
        return datetime.fromisoformat(to_text(value).replace("T", " ")).replace(tzinfo=None, second=0, microsecond=0)
    except ValueError:
        raise CellError(_("Write the date and time as YYYY-MM-DD HH:MM.")) from None


def to_int(value, default: int | None = 0) -> int | None:
    if value is None:
        return default
    if isinstance(value, bool):
        raise CellError(_("Write a whole number."))
    try:
        number = Decimal(to_text(value))
    except Exception:
        raise CellError(_("Write a whole number.")) from None
    if number != number.to_integral_value():
        raise CellError(_("Write a whole number."))
    return int(number)


def to_amount_text(value) -> str:
    """An amount cell as text, exactly: Excel hands numbers over as float, and a float that
    prints with at most 15 significant digits is what the person typed."""
    if value is None:
        return ""
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")
    return to_text(value)
