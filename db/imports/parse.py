"""Reading an uploaded CSV or Excel file into rows, keeping the spreadsheet's row numbers so
every message can say "row 7, column severity", and turning cells into Python values."""
from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

import openpyxl

from db.exports import FORMULA_PREFIXES
from db.vocab import TEXT_MAX
from i18n import _, numbers

MAX_ROWS = 100_000
MAX_LINES = 2 * MAX_ROWS   # every line read, blank and comment lines included
MAX_COLUMNS = 64           # the widest import kind has 19 columns
MAX_CELL = TEXT_MAX        # no field an import writes holds more text than this
# An .xlsx is a zip archive: its declared sizes are checked before openpyxl unpacks anything.
# A file at the row limit written by openpyxl (inline strings, 10 columns) unpacks to about
# 70 MB and packs about 20:1; the sheet is streamed, so size costs time, not memory.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 50 * 1024 * 1024  # read_only mode still loads this part whole
MAX_RATIO = 100                              # for a part larger than RATIO_FROM_BYTES
RATIO_FROM_BYTES = 1024 * 1024
MAX_MEMBERS = 200
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


def _megabytes(size: int) -> str:
    return _("{n} MB").format(n=numbers.number(size / (1024 * 1024)))


def _refuse(reason: str, name: str = "", row: int | None = None, column: str = "") -> FileRefused:
    return FileRefused([RowError(row, column, reason, name)])


def _lines(rows, name: str):
    """The rows of a file, refused past MAX_LINES (blank lines cost time too)."""
    for count, cells in enumerate(rows, start=1):
        if count > MAX_LINES:
            raise _refuse(_("The file has more than {limit} lines; split it into smaller files.")
                          .format(limit=numbers.number(MAX_LINES)), name, count)
        yield cells


def _table(name: str, raw_rows, first_row: int = 1) -> Table:
    rows = _lines(raw_rows, name)
    problems: list[RowError] = []
    header: list[str] = []
    number = first_row - 1
    for cells in rows:
        number += 1
        if any(clean_cell(c) is not None for c in cells):
            header = [str(clean_cell(c) or "").strip().lower() for c in cells]
            break
    if not header:
        raise FileRefused([RowError(None, "", _("The file has no header row."), name)])
    while header and not header[-1]:
        header.pop()
    if len(header) > MAX_COLUMNS:
        raise _refuse(_("The file has more than {limit} columns; keep only the template's columns.")
                      .format(limit=MAX_COLUMNS), name, number)
    table = Table(name, header)
    for cells in rows:
        number += 1
        values = [clean_cell(c) for c in cells]
        if all(v is None for v in values):
            continue
        refused = False
        for column, value in zip(header, values):
            if isinstance(value, Formula):
                problems.append(RowError(number, column, _("This cell holds a formula; type or paste its value instead."), name))
            elif isinstance(value, str) and len(value) > MAX_CELL:
                refused = True
                problems.append(RowError(number, column, _("This cell holds {n} characters; no field takes more than {limit}.")
                                         .format(n=numbers.number(len(value)), limit=numbers.number(MAX_CELL)), name))
        if refused or (isinstance(values[0], str) and values[0].startswith(COMMENT)):
            continue
        if len(table.rows) >= MAX_ROWS:
            raise FileRefused([RowError(number, "", _("The file has more than {limit} rows; split it into smaller files.")
                                        .format(limit=numbers.number(MAX_ROWS)), name)])
        table.rows.append((number, {h: v for h, v in zip(header, values) if h}))
    if problems:
        raise FileRefused(problems)
    return table


def read_csv(data: bytes, name: str = "csv") -> Table:
    if len(data) > MAX_UNPACKED_BYTES:
        raise _refuse(_("The file is {size}; files up to {limit} can be imported. Split it into smaller files.")
                      .format(size=_megabytes(len(data)), limit=_megabytes(MAX_UNPACKED_BYTES)))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused([RowError(None, "", _("Save the CSV file as UTF-8 and upload it again."))]) from None
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        return _table(name, reader)
    except csv.Error:
        # The csv module's own field limit (131,072 characters) or a broken quote.
        raise _refuse(_("This line cannot be read: a cell is longer than {limit} characters or a quote is not closed.")
                      .format(limit=numbers.number(MAX_CELL)), name, reader.line_num) from None


def check_archive(data: bytes) -> None:
    """Refuse an .xlsx whose zip archive declares more than the limits allow (total unpacked
    size, shared strings, compression ratio of a large part, number of parts), before any
    part is unpacked. The declared sizes are what zipfile itself enforces while reading."""
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _refuse(_("This is not an Excel workbook (.xlsx) that can be read.")) from None
    if len(members) > MAX_MEMBERS:
        raise _refuse(_("This workbook has {n} parts; an import workbook has far fewer than {limit}.")
                      .format(n=numbers.number(len(members)), limit=MAX_MEMBERS))
    total = sum(m.file_size for m in members)
    if total > MAX_UNPACKED_BYTES:
        raise _refuse(_("This workbook unpacks to {size}; workbooks up to {limit} can be imported. "
                        "Split it into smaller files.").format(size=_megabytes(total), limit=_megabytes(MAX_UNPACKED_BYTES)))
    for member in members:
        if member.filename.lower().endswith("sharedstrings.xml") and member.file_size > MAX_SHARED_STRINGS_BYTES:
            raise _refuse(_("This workbook's text unpacks to {size}; up to {limit} can be imported. "
                            "Split it into smaller files.").format(size=_megabytes(member.file_size),
                                                                   limit=_megabytes(MAX_SHARED_STRINGS_BYTES)))
        if member.file_size > RATIO_FROM_BYTES and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise _refuse(_("This workbook unpacks to {size} from {packed}, far more than a spreadsheet does; "
                            "it was not opened.").format(size=_megabytes(member.file_size),
                                                         packed=_("{n} bytes").format(n=numbers.number(member.compress_size))))


def open_workbook(data: bytes) -> openpyxl.Workbook:
    check_archive(data)
    try:
        # Not data_only: a formula cell must be told apart from text that merely starts with "=".
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise FileRefused([RowError(None, "", _("This is not an Excel workbook (.xlsx) that can be read."))]) from None


def read_sheet(book: openpyxl.Workbook, sheet: str) -> Table:
    """The sheet's rows, streamed (the workbook is opened read_only). Cells are read, not
    values_only, to tell a formula from text that starts with "="; columns past MAX_COLUMNS + 1
    are never built (a sheet may declare 16,384 columns)."""
    rows = ((Formula(c.value) if c.data_type == "f" else c.value for c in cells)
            for cells in book[sheet].iter_rows(max_col=MAX_COLUMNS + 1))
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
