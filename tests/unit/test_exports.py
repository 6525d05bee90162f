"""CSV and Excel files people take away: formulas neutralised, time zones readable by Excel."""
import io

import openpyxl
import pandas as pd

from db.exports import neutralise, to_csv_bytes, to_excel_bytes


def test_cells_that_a_spreadsheet_would_run_are_quoted():
    assert [neutralise(v) for v in ("=SUM(A1)", "+1", "-2+3", "@cmd", "plain", "a=b", 5)] == \
        ["'=SUM(A1)", "'+1", "'-2+3", "'@cmd", "plain", "a=b", 5]


def test_csv_and_excel_neutralise_cells_and_headers():
    frame = pd.DataFrame({"=title": ["=HYPERLINK(\"http://x\")", "ok"], "amount": [-5, 7]})
    text = to_csv_bytes(frame).decode("utf-8-sig")
    assert text.splitlines() == ["'=title,amount", "\"'=HYPERLINK(\"\"http://x\"\")\",-5", "ok,7"]
    sheet = openpyxl.load_workbook(io.BytesIO(to_excel_bytes({"t": frame}))).active
    assert [c.value for c in sheet[1]] == ["'=title", "amount"]
    assert sheet["A2"].value == "'=HYPERLINK(\"http://x\")" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == -5  # numbers stay numbers


def test_excel_accepts_times_with_a_time_zone_as_utc():
    frame = pd.DataFrame({"at": pd.to_datetime(["2026-03-01T12:30:00+02:00"])})
    sheet = openpyxl.load_workbook(io.BytesIO(to_excel_bytes({"t": frame}))).active
    assert sheet["A2"].value.isoformat() == "2026-03-01T10:30:00"
