"""Form helpers: show a refused save's messages next to the fields they belong to, and keep
what the user typed (st.form keeps widget values; we never clear on a failed save)."""
from __future__ import annotations

from contextlib import contextmanager

import streamlit as st

from components.text import md
from db.errors import ConflictError, DomainError, ValidationFailed
from i18n import _


class FormErrors:
    """Collects a failed save's messages so each field can show its own below it."""

    def __init__(self, key: str):
        self.key = f"_errors_{key}"

    def set(self, error: DomainError) -> None:
        if isinstance(error, ValidationFailed):
            st.session_state[self.key] = dict(error.errors)
        else:
            st.session_state[self.key] = {"form": error.message}
        if isinstance(error, ConflictError):
            st.session_state[self.key + "_stored"] = error.stored

    def clear(self) -> None:
        st.session_state.pop(self.key, None)
        st.session_state.pop(self.key + "_stored", None)

    def field(self, name: str) -> None:
        """Call right after a field's widget: shows its message, if any."""
        message = st.session_state.get(self.key, {}).get(name)
        if message:
            st.error(md(message), icon=":material/error:")

    def form_level(self, known_fields: set[str]) -> None:
        """Messages not tied to a field shown in this form (and a conflict's stored values)."""
        errors = st.session_state.get(self.key, {})
        for name, message in errors.items():
            if name not in known_fields:
                st.error(md(message if name == "form" else f"{name}: {message}"), icon=":material/error:")
        stored = st.session_state.get(self.key + "_stored")
        if stored:
            st.caption(_("Stored values now:"))
            st.json(stored, expanded=False)

    @property
    def any(self) -> bool:
        return bool(st.session_state.get(self.key))


FLASH = "_flash"


@contextmanager
def saving(errors: FormErrors, success: str):
    """Run a save. On a domain error remember its messages and rerun, so each shows beside its
    field while the form keeps what was typed; on success clear them, rerun (fresh data) and
    confirm on the next run."""
    try:
        yield
    except DomainError as error:
        errors.set(error)
        st.rerun()
    errors.clear()
    st.session_state[FLASH] = success
    st.rerun()


def show_flash() -> None:
    """Show the confirmation a successful save left for this run."""
    message = st.session_state.pop(FLASH, None)
    if message:
        st.success(md(message), icon=":material/check_circle:")


def editable_group(actor, key: str) -> int | None:
    """The working group a form writes to, picked from the actor's own groups (all for admins).
    Says what to do and returns None when the actor has none."""
    from components.data import cached
    from db.reads.common import groups

    editable = cached(groups, actor, editable_only=True)
    if editable.empty:
        st.info(_("No working group is assigned to you. Ask an administrator to assign your groups."))
        return None
    names = dict(zip(editable["id"], editable["name"]))
    return st.selectbox(_("Working group"), list(names), format_func=lambda i: names[i], key=key)
