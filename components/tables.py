"""Tables with a row cap and downloads (CSV and Excel, filters applied, formulas neutralised)."""
from __future__ import annotations

from decimal import Decimal

import pandas as pd
import streamlit as st

from db.exports import to_csv_bytes, to_excel_bytes
from i18n import _, numbers

MAX_ROWS = 200
MISSING = "—"  # what a table shows for an empty cell (Streamlit writes "None")


def table(frame: pd.DataFrame, *, name: str, total: int | None = None, key: str | None = None,
          column_config: dict | None = None, empty: str | None = None, downloads: bool = True,
          selectable: bool = False):
    """Show up to 200 rows with "showing N of M" and download buttons for what is shown.
    `total` is the number of rows matching the filters when the read already capped them.
    With selectable=True returns the selected row's position (or None)."""
    key = key or name
    if frame.empty:
        st.info(empty or _("Nothing matches these filters yet."))
        return None
    total = len(frame) if total is None else total
    shown = frame.head(MAX_ROWS)
    if total > len(shown):
        st.caption(_("Showing {shown} of {total} rows. Narrow the filters or download to see more.")
                   .format(shown=numbers.number(len(shown)), total=numbers.number(total)))
    else:
        st.caption(_("{total} rows").format(total=numbers.number(total)))
    shown, config = _percentages(shown, _readable(shown, column_config))
    event = st.dataframe(shown, hide_index=True, width="stretch", column_config=config,
                         key=f"table_{key}", placeholder=MISSING, on_select="rerun" if selectable else "ignore",
                         selection_mode="single-row" if selectable else "multi-row")
    if downloads:
        download_buttons(frame, name=name, key=key)
    if selectable and event and event.selection.rows:
        return event.selection.rows[0]
    return None


def _readable(frame: pd.DataFrame, column_config: dict | None) -> dict | None:
    """Decimal columns a page gave only a title get thousands separators: money (Decimal) with
    its two decimals ("348,277.10", not "348277.1"), other decimals as the browser writes them.
    Columns with their own configuration are left as they are."""
    config = dict(column_config or {})
    for column in frame.columns:
        given = config.get(column)
        if given is not None and not isinstance(given, str):
            continue
        if pd.api.types.is_float_dtype(frame[column]):
            config[column] = st.column_config.NumberColumn(given, format="localized")
        elif _money(frame[column]):
            config[column] = st.column_config.NumberColumn(given, format="accounting")
    return config or None


def _percentages(frame: pd.DataFrame, config: dict | None) -> tuple[pd.DataFrame, dict | None]:
    """Shares a page configured with format="percent" shown as whole percentages the user's
    language writes them ("93 %", not the browser locale's "92.86%"): printf patterns cannot
    multiply, so the shown copy holds 0 to 100; downloads keep the shares."""
    scaled = {}
    for column, given in (config or {}).items():
        type_config = given.get("type_config", {}) if isinstance(given, dict) else {}
        if type_config.get("format") == "percent" and column in frame.columns:
            bounds = {bound: type_config[bound] * 100 for bound in ("min_value", "max_value")
                      if type_config.get(bound) is not None}
            config[column] = {**given, "type_config": {**type_config, **bounds, "format": numbers.percent_column_format()}}
            scaled[column] = frame[column].astype(float) * 100
    return (frame.assign(**scaled) if scaled else frame), config


def _money(values: pd.Series) -> bool:
    """Money is kept as Decimal (an object column)."""
    present = values.dropna()
    return values.dtype == object and not present.empty and all(isinstance(v, Decimal) for v in present.head(50))


def download_buttons(frame: pd.DataFrame, *, name: str, key: str) -> None:
    row = st.container(horizontal=True)
    # The files are made only when clicked (callables): writing Excel on every run is slow.
    row.download_button(_("Download CSV"), data=lambda: to_csv_bytes(frame), file_name=f"{name}.csv",
                         mime="text/csv", key=f"csv_{key}", icon=":material/download:")
    row.download_button(_("Download Excel"), data=lambda: to_excel_bytes({name: frame}),
                          file_name=f"{name}.xlsx", key=f"xlsx_{key}", icon=":material/download:",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
