"""Reusable Streamlit pieces: login, page guard, navigation, filters, tiles, charts, tables
and form helpers. Pages compose these; logic lives in db/."""
