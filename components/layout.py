"""Layouts that several screens share."""
from __future__ import annotations

from collections.abc import Callable

import streamlit as st


def in_tabs(sections: list[tuple[str, Callable[[], None]]]) -> None:
    """Each (title, draw) section in a tab of its own, in the order given."""
    for tab, (_title, draw) in zip(st.tabs([title for title, _draw in sections]), sections):
        with tab:
            draw()
