"""Hostile upload sizes: an .xlsx whose archive unpacks to far more than it weighs (a zip
bomb), too many members, or a huge cell is refused before openpyxl reads it; a cell longer than
the longest text field is refused with its row and column; CSV files have the same row and cell
limits. The bomb tests build their archive in a stream, so they stay fast and small."""
from __future__ import annotations

import io
import tracemalloc
import zipfile

import openpyxl
import pytest

from db.imports import offline, parse
from db.imports.parse import FileRefused
from db.vocab import TEXT_MAX

CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                 'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')
SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
              b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>')
SHEET_TAIL = b"</t></is></c></row></sheetData></worksheet>"


def bomb_xlsx(cell_mb: int) -> bytes:
    """A workbook-shaped zip whose one sheet holds a cell of `cell_mb` MB of one repeated letter,
    written chunk by chunk so the test never holds the unpacked text."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(SHEET_HEAD)
            chunk = b"A" * (1 << 20)
            for _ in range(cell_mb):
                sheet.write(chunk)
            sheet.write(SHEET_TAIL)
    return out.getvalue()


@pytest.fixture
def openpyxl_forbidden(monkeypatch):
    """Fail the test if openpyxl is asked to open the file at all (recorded, not raised: the
    reader turns any openpyxl exception into a refusal, which would hide the call)."""
    calls = []

    def refuse(*args, **kwargs):
        calls.append(args)
        raise AssertionError("openpyxl was asked to parse a file the size check should have refused")
    monkeypatch.setattr(openpyxl, "load_workbook", refuse)
    yield
    assert not calls, "openpyxl was asked to parse a file the size check should have refused"


def test_a_zip_bomb_is_refused_before_parsing_with_little_memory(openpyxl_forbidden):
    data = bomb_xlsx(300)
    assert len(data) < 1_000_000  # 300 MB of cell packs into well under a megabyte
    tracemalloc.start()
    try:
        with pytest.raises(FileRefused) as refused:
            parse.read_file("issues.xlsx", data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000, f"checking the archive used {peak:,} bytes"
    assert "unpacks" in refused.value.errors[0].reason


def test_the_offline_workbook_upload_is_checked_the_same_way(openpyxl_forbidden):
    data = bomb_xlsx(300)
    with pytest.raises(FileRefused):
        offline.plan_workbook(None, "offline.xlsx", data)


def test_a_large_archive_is_refused_by_its_declared_total(monkeypatch, openpyxl_forbidden):
    monkeypatch.setattr(parse, "MAX_UNPACKED_BYTES", 2_000_000)
    monkeypatch.setattr(parse, "MAX_RATIO", 10_000)
    with pytest.raises(FileRefused) as refused:
        parse.read_file("issues.xlsx", bomb_xlsx(3))
    assert "MB" in refused.value.errors[0].reason


def test_an_archive_of_too_many_members_is_refused(openpyxl_forbidden):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for number in range(parse.MAX_MEMBERS + 1):
            archive.writestr(f"xl/media/{number}.bin", b"")
    with pytest.raises(FileRefused) as refused:
        parse.read_file("issues.xlsx", out.getvalue())
    assert "parts" in refused.value.errors[0].reason


def test_a_file_that_is_not_a_zip_is_refused_without_openpyxl(openpyxl_forbidden):
    with pytest.raises(FileRefused) as refused:
        parse.read_file("issues.xlsx", b"not a workbook at all")
    assert "not an Excel workbook" in refused.value.errors[0].reason


def test_an_ordinary_workbook_at_the_row_limit_shape_passes_the_check():
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("organisations")
    sheet.append(["name", "kind", "country"])
    for number in range(2_000):
        sheet.append([f"Organisation {number}", "company", "GH"])
    out = io.BytesIO()
    book.save(out)
    table = parse.read_file("organisations.xlsx", out.getvalue())
    assert len(table.rows) == 2_000


def xlsx_with(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_excel_cell_longer_than_any_text_field_is_refused_with_row_and_column():
    data = xlsx_with([["name", "kind", "description"], ["A", "company", "short"],
                      ["B", "company", "x" * (TEXT_MAX + 1)]])
    with pytest.raises(FileRefused) as refused:
        parse.read_file("issues.xlsx", data)
    [error] = refused.value.errors
    assert (error.row, error.column) == (3, "description")
    assert f"{TEXT_MAX:,}" in error.reason


def test_a_cell_of_the_longest_text_is_kept():
    table = parse.read_file("issues.xlsx", xlsx_with([["description"], ["x" * TEXT_MAX]]))
    assert table.rows[0][1]["description"] == "x" * TEXT_MAX


def test_a_csv_cell_longer_than_any_text_field_is_refused_with_row_and_column():
    data = ("name,description\nA,short\nB," + "x" * (TEXT_MAX + 1) + "\n").encode()
    with pytest.raises(FileRefused) as refused:
        parse.read_file("issues.csv", data)
    [error] = refused.value.errors
    assert (error.row, error.column) == (3, "description")


def test_a_csv_cell_beyond_the_csv_modules_own_limit_is_refused_not_a_crash():
    data = ("name,description\nA,short\nB,\"" + "x" * 200_000 + "\"\n").encode()
    with pytest.raises(FileRefused) as refused:
        parse.read_file("issues.csv", data)
    assert refused.value.errors[0].row == 3


def test_a_csv_with_too_many_rows_is_refused(monkeypatch):
    monkeypatch.setattr(parse, "MAX_ROWS", 10)
    data = ("name\n" + "".join(f"Organisation {n}\n" for n in range(11))).encode()
    with pytest.raises(FileRefused) as refused:
        parse.read_file("organisations.csv", data)
    assert "more than 10 rows" in refused.value.errors[0].reason


def test_a_csv_of_endless_blank_lines_stops_at_the_line_limit(monkeypatch):
    monkeypatch.setattr(parse, "MAX_LINES", 20)
    data = ("name\n" + ",\n" * 1_000 + "Late Organisation\n").encode()
    with pytest.raises(FileRefused) as refused:
        parse.read_file("organisations.csv", data)
    assert "lines" in refused.value.errors[0].reason


def test_a_csv_file_larger_than_the_unpacked_limit_is_refused(monkeypatch):
    monkeypatch.setattr(parse, "MAX_UNPACKED_BYTES", 1_000)
    with pytest.raises(FileRefused) as refused:
        parse.read_file("organisations.csv", b"name\n" + b"Organisation\n" * 200)
    assert "MB" in refused.value.errors[0].reason


def test_a_header_of_too_many_columns_is_refused():
    data = xlsx_with([["name"] + [f"extra{n}" for n in range(parse.MAX_COLUMNS + 50)], ["A"]])
    with pytest.raises(FileRefused) as refused:
        parse.read_file("organisations.xlsx", data)
    assert f"more than {parse.MAX_COLUMNS} columns" in refused.value.errors[0].reason
