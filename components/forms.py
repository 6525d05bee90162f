"""Form helpers: show a refused save's messages next to the fields they belong to, keep what
the user typed (st.form keeps widget values; we never clear on a failed save), and keep the
version each record had when its edit form was opened, so a save never silently overwrites
someone else's change."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import streamlit as st

from components.text import md
from db.errors import ConflictError, DomainError, ValidationFailed
from db.vocab import label, values
from i18n import _


class FormErrors:
    """Collects a failed save's messages so each field can show its own below it."""

    def __init__(self, key: str):
        self.key = f"_errors_{key}"
        self.shown: set[str] = set()  # the fields whose messages show beside them

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

    def field(self, name: str, container=st) -> None:
        """Call right after a field's widget, with the column it stands in: shows its message, if any."""
        self.shown.add(name)
        message = st.session_state.get(self.key, {}).get(name)
        if message:
            container.error(md(message), icon=":material/error:")

    def form_level(self) -> None:
        """Call after the form's fields: the messages no field above showed (and a conflict's
        stored values), so none is lost."""
        errors = st.session_state.get(self.key, {})
        for name, message in errors.items():
            if name not in self.shown:
                st.error(md(message if name == "form" else f"{name}: {message}"), icon=":material/error:")
        stored = st.session_state.get(self.key + "_stored")
        if stored:
            st.caption(_("Stored values now:"))
            st.json(stored, expanded=False)

    @property
    def any(self) -> bool:
        return bool(st.session_state.get(self.key))


class Opened:
    """The versions of records as one edit form showed them when it was opened.

    Pages re-read their records on every run, so a save that passed the version read then
    would overwrite, unseen, whatever someone else saved while this form was open. Each form
    keeps the version it was opened with in the session, per record and form: from the run its
    widgets appear (`form_widget`, the key of one of them: Streamlit forgets a widget's state
    once it is not drawn, so a form opened again later starts from the record as it is then)
    until a save through any form on that record goes through (see `saving`). After a refused
    save it holds the stored version, so saving again, having seen the stored values, is
    deliberate."""

    PREFIX = "_opened_version"

    def __init__(self, table: str, form_widget: str):
        self.table, self.form_widget = table, form_widget
        self.record_ids: list[int] = []

    def _key(self, record_id: int) -> str:
        return f"{self.PREFIX}:{self.table}:{int(record_id)}:{self.form_widget}"

    def version(self, record_id: int, current: int) -> int:
        """The version to save against: `current` (as read now) on the run the form opens."""
        key = self._key(record_id)
        self.record_ids.append(int(record_id))
        if self.form_widget not in st.session_state or key not in st.session_state:
            st.session_state[key] = int(current)
        return st.session_state[key]

    def adopt(self, error: ConflictError) -> None:
        """Hold the version of the record the conflict showed the stored values of."""
        stored_id = error.stored.get("id")
        if stored_id is not None and int(stored_id) in self.record_ids and "version" in error.stored:
            st.session_state[self._key(stored_id)] = int(error.stored["version"])

    def release(self) -> None:
        """Forget every form's version of these records: they changed, this user saw it."""
        prefixes = tuple(f"{self.PREFIX}:{self.table}:{i}:" for i in self.record_ids)
        for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(prefixes)]:
            del st.session_state[key]


def record_form(table: str, record: dict, errors_key: str, first_widget: str) -> tuple[FormErrors, Opened, int]:
    """What an edit form on one record needs: its errors, the versions it was opened with (from
    the run `first_widget` appears) and the version of `record` to save against."""
    opened = Opened(table, first_widget)
    return FormErrors(errors_key), opened, opened.version(int(record["id"]), int(record["version"]))


FLASH = "_flash"


@contextmanager
def saving(errors: FormErrors, success: str, opened: Opened | None = None) -> Iterator[None]:
    """Run a save. On a domain error remember its messages and rerun, so each shows beside its
    field while the form keeps what was typed (on a conflict `opened` holds the stored
    version); on success clear them, release the opened versions, rerun (fresh data) and
    confirm on the next run."""
    try:
        yield
    except DomainError as error:
        errors.set(error)
        if opened is not None and isinstance(error, ConflictError):
            opened.adopt(error)
        st.rerun()
    errors.clear()
    if opened is not None:
        opened.release()
    st.session_state[FLASH] = success
    st.rerun()


def show_flash() -> None:
    """Show the confirmation a successful save left for this run, and reset the inputs it asked
    to reset. Runs at the top of every page (components/header.page_header), before any form."""
    for name, value in st.session_state.pop(RESETS, {}).items():  # before any form is drawn
        st.session_state[name] = value
    message = st.session_state.pop(FLASH, None)
    if message:
        st.success(md(message), icon=":material/check_circle:")


def record_select(container, label: str, ids: list, *, key: str, format_func, **kwargs):
    """st.selectbox of record ids that stays on the chosen record when its label changes.

    The browser keeps a selectbox's choice as its label. Once the chosen record is renamed (by
    this user's save or another session's), the next click sends the old label, which no option
    has any more, and Streamlit falls back to the first option: the form would switch records
    and lose what was typed. Setting the widget's state sends the browser the new label."""
    shown = f"_shown_label_{key}"
    chosen = st.session_state.get(key)
    if chosen in ids and st.session_state.get(shown) not in (None, format_func(chosen)):
        st.session_state[key] = chosen
    picked = container.selectbox(label, ids, key=key, format_func=format_func, **kwargs)
    st.session_state[shown] = None if picked is None else format_func(picked)
    return picked


def pick_record(container, label: str, names: dict, *, key: str, none: str | None = None, **kwargs):
    """A picker of records by name (`names`: id to name) that returns the chosen id and stays on
    the chosen record when it is renamed (record_select). With `none`, a first choice of that
    name stands for no record (None)."""
    ids = ([None] if none is not None else []) + list(names)
    return record_select(container, label, ids, key=key, format_func=lambda i: none if i is None else names[i],
                         **kwargs)


def vocab_select(container, label_text: str, vocabulary, *, key: str, **kwargs):
    """A picker of one value of a vocabulary (db/vocab.py), shown by its translated label;
    returns the stored value."""
    return container.selectbox(label_text, values(vocabulary), format_func=label, key=key, **kwargs)


def editable_group(actor, action, key: str) -> int | None:
    """The working group a form doing `action` writes to, picked from the groups the actor may
    do it in (their own; all for admins). Says what to do and returns None when there is none."""
    from components.data import cached
    from db.reads.common import groups

    editable = cached(groups, actor, editable_for=action)
    if editable.empty:
        st.info(_("No working group is assigned to you. Ask an administrator to assign your groups."))
        return None
    return pick_record(st, _("Working group"), dict(zip(editable["id"], editable["name"])), key=key)



RESETS = "_inputs_to_reset"


def reset_inputs(values: Mapping[str, object]) -> None:
    """Show these inputs (widget key: value) with these values from the next run on. A widget
    drawn in this run cannot change any more, and deleting its state leaves the browser showing
    the old value; setting the state before the widget is drawn again resets it there too."""
    st.session_state.setdefault(RESETS, {}).update(values)


def show_saved(picker_key: str, record_id: int) -> None:
    """After a create, the picker opens the saved record, so that saving again edits it
    instead of trying to create it a second time."""
    reset_inputs({picker_key: record_id})
