"""Data entry and import: the forms for each area in one place, each tab shown only to roles
that may use it (coordinators for their groups, HQ for their company's contributions,
lessons and proposals, admins for everything)."""
import streamlit as st

from components import entry
from components.guard import require
from components.header import page_header
from db.permissions import Action
from i18n import _

actor = require(Action.data_entry)

page_header(_("Data entry and import"), _("Record what the working groups do. Every save is checked and logged."))
section = entry.chosen_section(actor)
if section is None:
    st.info(_("Your role has nothing to enter here."))
    st.stop()
section.render(actor)
