"""Under construction by its owner (temporary file)."""
from components.guard import require
from db.permissions import Action

actor = require(Action.view_overview)

import streamlit as st  # noqa: E402

st.title("Overview")
