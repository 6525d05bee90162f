"""Links to other pages with their record or filters in the URL. st.page_link only knows pages
registered with st.navigation; when a page runs on its own (AppTest, the pages/ trap) it
falls back to a plain link to the same URL. Labels are Markdown to Streamlit and often a
record's name, so they are escaped (components/text.md)."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from components.text import md


def page_link(path: str, label: str, *, icon: str | None = None, query_params: dict | None = None, container=None) -> None:
    target = container or st
    label = md(label)
    try:
        target.page_link(path, label=label, icon=icon, query_params=query_params)
    except StreamlitPageNotFoundError:
        url = "/" + Path(path).stem + ("?" + urlencode(query_params) if query_params else "")
        target.markdown(f"[{label}]({url})")
