"""Small helpers for view filters kept in the URL (st.query_params), so a link reopens a view."""
from __future__ import annotations

import re

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


def set_list_param(name: str, chosen) -> None:
    """Write a choice back to the URL (removed when empty)."""
    value = ",".join(str(c) for c in chosen)
    if not value:
        if name in st.query_params:
            del st.query_params[name]
    elif st.query_params.get(name) != value:
        st.query_params[name] = value


def open_record(name: str = "id", value: int | None = None) -> None:
    """Open (or with None close) a detail view on this page and rerun."""
    if value is None:
        if name in st.query_params:
            del st.query_params[name]
    else:
        st.query_params[name] = str(int(value))
    st.rerun()
