"""Small helpers for view filters kept in the URL (st.query_params), so a link reopens a view."""
from __future__ import annotations

import streamlit as st


def list_param(name: str) -> list[str]:
    """A comma-separated query parameter as a list of its parts."""
    return [part for part in (st.query_params.get(name) or "").split(",") if part]


def ids_param(name: str) -> list[int]:
    """A comma-separated query parameter of record ids (anything else ignored)."""
    return [int(part) for part in list_param(name) if part.strip().isdigit()]


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
