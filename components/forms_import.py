"""The Data entry page's Import section (CSV and Excel imports, the offline workbook)."""
from __future__ import annotations

import streamlit as st

from db.permissions import Action, Actor, can
from i18n import _


def render(actor: Actor) -> None:
    if not can(actor, Action.import_data):
        st.info(_("Your role may not import data."))
        return
    st.info(_("Imports are being built; use the forms in the other tabs meanwhile."))
