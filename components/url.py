"""Small helpers for view filters kept in the URL (st.query_params), so a link reopens a view."""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date

import streamlit as st


def list_param(name: str) -> list[str]:
    """A comma-separated query parameter as a list of its parts."""
    return [part for part in (st.query_params.get(name) or "").split(",") if part]


MAX_ID = 2**63 - 1  # the largest id a database column holds (BIGINT)
_DIGITS = re.compile(r"[0-9]{1,19}")  # ASCII digits only: "²".isdigit() is True but int("²") fails


def parse_id(text: str | None) -> int | None:
    """A record id typed or pasted into a URL, or None for anything that is not one (signs,
    spaces, non-ASCII digits, hex, zero, more than a database id holds)."""
    if text is None or not _DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None


def ids_param(name: str) -> list[int]:
    """A comma-separated query parameter of record ids (anything else ignored)."""
    return [value for part in list_param(name) if (value := parse_id(part)) is not None]


def id_param(name: str = "id") -> int | None:
    """One record id from the URL, or None when absent or not an id."""
    return parse_id(st.query_params.get(name))


def text_param(name: str) -> str:
    """One text value from the URL ("" when absent)."""
    return st.query_params.get(name, "")


def date_param(name: str, default: date | None = None) -> date | None:
    """An ISO date from the URL, or `default` when absent or not a date."""
    try:
        return date.fromisoformat(st.query_params.get(name, ""))
    except ValueError:
        return default


def set_param(name: str, value) -> None:
    """Write one value back to the URL (removed when None or empty), only when it changed, so
    a link reopens this view and an unchanged view does not rerun."""
    text = "" if value is None else str(value)
    if not text:
        if name in st.query_params:
            del st.query_params[name]
    elif st.query_params.get(name) != text:
        st.query_params[name] = text


def set_params(values: Mapping[str, object]) -> None:
    for name, value in values.items():
        set_param(name, value)


def set_list_param(name: str, chosen) -> None:
    """Write a choice of several back to the URL, comma-separated (removed when empty)."""
    set_param(name, ",".join(str(c) for c in chosen))


def url_multiselects(columns, key: str, choices: list[tuple[str, list, str, Callable, str]]) -> list[list]:
    """A row of multiselects, one a column, each given as (label, options, URL parameter, how an
    option is shown, placeholder) and keyed `key`_parameter. Each choice is kept in its URL
    parameter, so a link reopens it (values no longer offered are dropped)."""
    picked = []
    for column, (label, options, name, format_func, placeholder) in zip(columns, choices):
        chosen = column.multiselect(label, options, default=[v for v in list_param(name) if v in options],
                                    format_func=format_func, placeholder=placeholder, key=f"{key}_{name}")
        set_list_param(name, chosen)
        picked.append(chosen)
    return picked


def open_record(name: str = "id", value: int | None = None) -> None:
    """Open (or with None close) a detail view on this page and rerun."""
    if value is None:
        if name in st.query_params:
            del st.query_params[name]
    else:
        st.query_params[name] = str(int(value))
    st.rerun()
