"""The consistent page header: title, one line saying what the page is for, and the
confirmation of the last save."""
from __future__ import annotations

import streamlit as st

from components.forms import show_flash


def page_header(title: str, intro: str | None = None) -> None:
    st.title(title)
    if intro:
        st.caption(intro)
    show_flash()
