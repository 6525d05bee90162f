"""The consistent page header: title, one line saying what the page is for, and the
confirmation of the last save."""
from __future__ import annotations

import streamlit as st

from components.forms import show_flash
from components.text import md


def page_header(title: str, intro: str | None = None) -> None:
    """Titles and intros often carry a record's name: shown as text, never as Markdown."""
    st.title(md(title))
    if intro:
        st.caption(md(intro))
    show_flash()
