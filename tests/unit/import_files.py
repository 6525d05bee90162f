"""Import files as a person would upload them, built from rows of column -> value."""
from __future__ import annotations

import csv
import io

import openpyxl


def csv_bytes(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(rows: list[dict]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(rows[0]))
    for number, row in enumerate(rows, start=2):
        for column, value in enumerate(row.values(), start=1):
            cell = sheet.cell(number, column, value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text that looks like a formula, as a person would type it with a quote
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
