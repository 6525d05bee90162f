"""The Data entry page's Import section: CSV and Excel imports with their templates, and the
coordinator's offline workbook (download, fill in offline, upload back).

A file is checked first (every row, with a progress bar); any error rejects the whole file and
the errors are listed by row, column and reason. Importing checks the file again and writes it
in one transaction with one audit entry. No plan or ORM object is kept in st.session_state:
only the file's fingerprint and the outcome of the last check."""
from __future__ import annotations

import hashlib
from collections.abc import Callable

import pandas as pd
import streamlit as st

from components.forms import editable_group, pick_record
from components.tables import MISSING, table
from db.errors import DomainError
from db.imports import offline, templates
from db.imports.apply import Plan, apply_plan
from db.imports.parse import FileRefused, RowError, read_file
from db.imports.spec import DESCRIBE_HEADINGS, KINDS, describe, kinds_for
from db.imports.validate import plan_import
from db.permissions import Action, Actor, can
from i18n import _

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The outcome of the last check per section: {"key": file fingerprint, "errors", "counts", "conflicts"}.
STATE, OFFLINE_STATE = "_import_outcome", "_import_offline_outcome"


def render(actor: Actor) -> None:
    kinds = kinds_for(actor)
    if not kinds:
        st.info(_("Your role may not import data."))
        return
    flash = st.session_state.pop("_import_flash", None)
    if flash:
        st.success(flash, icon=":material/check_circle:")
    file_import(actor)
    if can(actor, Action.edit_activity):
        st.divider()
        offline_round_trip(actor)


# --------------------------------------------------------------------------- pure helpers (tested directly)


def fingerprint(name: str, data: bytes) -> str:
    return name + ":" + hashlib.sha256(data).hexdigest()[:16]


def errors_frame(errors: list[RowError]) -> pd.DataFrame:
    """One line per problem; the sheet column only when the file has several sheets."""
    frame = pd.DataFrame([{_("sheet"): e.sheet, _("row"): e.row, _("column"): e.column, _("reason"): e.reason}
                          for e in errors], columns=[_("sheet"), _("row"), _("column"), _("reason")])
    frame[_("row")] = frame[_("row")].astype("Int64")
    return frame if any(e.sheet for e in errors) else frame.drop(columns=[_("sheet")])


def conflicts_frame(plan: Plan) -> pd.DataFrame:
    return pd.DataFrame([{_("sheet"): c.sheet, _("row"): c.row, _("record"): c.record, _("column"): c.column,
                          _("your value"): c.yours, _("stored value"): c.stored} for c in plan.conflicts],
                        columns=[_("sheet"), _("row"), _("record"), _("column"), _("your value"), _("stored value")])


def counts_text(counts: dict[str, dict[str, int]]) -> str:
    """E.g. "activity: 2 new, 1 changed, 3 unchanged; attendance: 4 new"."""
    parts = []
    for table_name, tally in counts.items():
        words = [_("{n} new").format(n=tally["create"]) if tally.get("create") else "",
                 _("{n} changed").format(n=tally["update"]) if tally.get("update") else "",
                 _("{n} unchanged").format(n=tally["unchanged"]) if tally.get("unchanged") else ""]
        parts.append("{table}: {words}".format(table=table_name, words=", ".join(w for w in words if w)))
    return "; ".join(parts)


def check_file(actor: Actor, kind: str, name: str, data: bytes, progress=None) -> Plan:
    """Parse and validate an uploaded file; a file that cannot be read becomes a plan with errors."""
    try:
        parsed = read_file(name, data, sheet=kind)
    except FileRefused as refused:
        plan = Plan(source=name, audit_table=KINDS[kind].table)
        plan.errors.extend(refused.errors)
        return plan
    return plan_import(actor, kind, parsed, name, progress=progress)


def check_workbook(actor: Actor, name: str, data: bytes, progress=None) -> Plan:
    try:
        return offline.plan_workbook(actor, name, data, progress=progress)
    except FileRefused as refused:
        plan = Plan(source=name, audit_table="working_group")
        plan.errors.extend(refused.errors)
        return plan


class _ProgressBar:
    """st.progress in a placeholder, cleared once the work is done."""

    def __init__(self, label: str):
        self.place = st.empty()
        self.bar = self.place.progress(0.0, text=label)

    def __call__(self, share: float, text: str) -> None:
        self.bar.progress(min(1.0, share), text=text)

    def clear(self) -> None:
        self.place.empty()


def _progress_bar(label: str) -> _ProgressBar:
    return _ProgressBar(label)


def _round() -> int:
    """Part of the uploaders' keys: a new round after a successful import empties them."""
    return st.session_state.get("_import_round", 0)


def _done(message: str) -> None:
    st.session_state.pop(STATE, None)
    st.session_state.pop(OFFLINE_STATE, None)
    st.session_state["_import_round"] = _round() + 1
    st.session_state["_import_flash"] = message
    st.rerun()


def _outcome(key: str, plan: Plan) -> dict:
    return {"key": key, "errors": plan.errors, "counts": plan.counts(), "conflicts": conflicts_frame(plan)}


def _checked(upload, kind: str, state: str, checking: str, check: Callable[[str, bytes, _ProgressBar], Plan]):
    """The upload's bytes, its key and the outcome of checking it (None: refused, said on screen).
    The outcome is kept in the session under `state`, so a rerun on the same file does not check it again."""
    data = upload.getvalue()
    key = f"{kind}|{fingerprint(upload.name, data)}"
    outcome = st.session_state.get(state)
    if outcome is None or outcome["key"] != key:
        try:
            bar = _progress_bar(checking)
            plan = check(upload.name, data, bar)
            bar.clear()
        except DomainError as error:
            st.error(error.message, icon=":material/error:")
            return data, key, None
        outcome = st.session_state[state] = _outcome(key, plan)
    return data, key, outcome


def _refused(outcome: dict, message: str, *, name: str, key: str) -> bool:
    """Whether the check found problems; if so, say how many (`message` with {n}) and list them."""
    if not outcome["errors"]:
        return False
    st.error(message.format(n=len(outcome["errors"])), icon=":material/error:")
    table(errors_frame(outcome["errors"]), name=name, key=key)
    return True


def _checked_again_and_applied(key: str, state: str, check: Callable[[], Plan], apply: Callable[[Plan], dict]):
    """Check the file again (the stored data may have changed since), then apply it: the counts
    written, or None when a refusal is said on screen. New errors replace the outcome and rerun."""
    try:
        plan = check()
        if plan.errors:
            st.session_state[state] = _outcome(key, plan)
            st.rerun()
        return apply(plan)
    except DomainError as error:
        st.error(error.message, icon=":material/error:")
        return None


# --------------------------------------------------------------------------- file import


def file_import(actor: Actor) -> None:
    st.subheader(_("Import a file"))
    kinds = kinds_for(actor)
    titles = {k.key: _(k.title) for k in kinds}
    kind = pick_record(st, _("What the file holds"), titles, key="imp_kind")
    spec = KINDS[kind]
    st.caption(_("Fill in the template (one row per record), then upload it as CSV or Excel. {natural_key} "
                 "Every row is checked first: one error and nothing is imported.").format(natural_key=_(spec.natural_key)))
    left, right, _rest = st.columns([1, 1, 3])
    left.download_button(_("CSV template"), data=templates.template_csv(kind), file_name=f"{kind}-template.csv",
                         mime="text/csv", key=f"imp_tpl_csv_{kind}", icon=":material/download:")
    right.download_button(_("Excel template"), data=templates.template_xlsx(kind), file_name=f"{kind}-template.xlsx",
                          mime=XLSX, key=f"imp_tpl_xlsx_{kind}", icon=":material/download:")
    with st.expander(_("Columns and allowed values")):
        st.dataframe(pd.DataFrame(describe(spec)).rename(columns={k: _(v) for k, v in DESCRIBE_HEADINGS.items()}),
                     hide_index=True, width="stretch", placeholder=MISSING)
    upload = st.file_uploader(_("File to import (.csv or .xlsx)"), type=["csv", "xlsx"], key=f"imp_file_{kind}_{_round()}")
    if upload is None:
        return
    data, key, outcome = _checked(upload, kind, STATE, _("Checking the file"),
                                  lambda name, data, bar: check_file(actor, kind, name, data, bar))
    if outcome is None or _refused(outcome, _("The file was not imported: {n} problems. Correct them and upload "
                                              "the file again."), name="import-errors", key="imp_errors"):
        return
    st.info(_("The file is valid: {counts}.").format(counts=counts_text(outcome["counts"])), icon=":material/task_alt:")
    if st.button(_("Import"), type="primary", key="imp_apply", icon=":material/upload:"):
        counts = _checked_again_and_applied(
            key, STATE, lambda: check_file(actor, kind, upload.name, data, _progress_bar(_("Checking the file again"))),
            lambda plan: apply_plan(actor, plan, progress=_progress_bar(_("Importing"))))
        if counts is None:
            return
        _done(_("Imported {file}: {counts}.").format(file=upload.name, counts=counts_text(counts)))


# --------------------------------------------------------------------------- offline workbook


def offline_round_trip(actor: Actor) -> None:
    st.subheader(_("Offline workbook"))
    st.caption(_("For a weak connection: download your group's workbook (members, upcoming activities and their "
                 "attendance, open commitments and open issues), fill it in offline, and upload it here. "
                 "Rows that someone changed since you downloaded the workbook are listed as conflicts with your "
                 "value beside the stored one and are never overwritten; the other changes apply only when you confirm."))
    group_id = editable_group(actor, Action.edit_activity, key="imp_off_group")
    if group_id is None:
        return
    st.download_button(_("Download the offline workbook"), data=lambda: offline.group_workbook(actor, int(group_id)),
                       file_name=f"offline-{int(group_id)}.xlsx", mime=XLSX, key="imp_off_download",
                       icon=":material/download:", on_click="ignore")
    # Made on click (deferred) so the page does not build a workbook on every run; "ignore"
    # keeps the click from rerunning the page, which would drop the deferred file before it is sent.
    upload = st.file_uploader(_("Filled-in offline workbook (.xlsx)"), type=["xlsx"], key=f"imp_off_file_{_round()}")
    if upload is None:
        return
    data, key, outcome = _checked(upload, "offline", OFFLINE_STATE, _("Checking the workbook"),
                                  lambda name, data, bar: check_workbook(actor, name, data, bar))
    if outcome is None or _refused(outcome, _("Nothing was applied: {n} problems. Correct them in the workbook and "
                                              "upload it again."), name="offline-errors", key="imp_off_errors"):
        return
    conflicts = outcome["conflicts"]
    changes = {t: {k: v for k, v in tally.items() if k != "unchanged"} for t, tally in outcome["counts"].items()}
    changes = {t: tally for t, tally in changes.items() if tally}
    if conflicts.empty and not changes:
        st.info(_("The workbook holds no changes."), icon=":material/info:")
        return
    confirmed = True
    if not conflicts.empty:
        rows = len(conflicts[[_("sheet"), _("row")]].drop_duplicates())
        st.warning(_("Rows that conflict with changes made since the workbook was downloaded: {n}. "
                     "They are listed below and will not be written.").format(n=rows), icon=":material/warning:")
        table(conflicts, name="offline-conflicts", key="imp_off_conflicts")
        confirmed = st.checkbox(_("Apply my other changes and leave the conflicting rows as they are stored"),
                                key="imp_off_confirm")
    st.info(_("Changes to apply: {counts}.").format(counts=counts_text(changes) or _("none")), icon=":material/task_alt:")
    if st.button(_("Apply changes"), type="primary", key="imp_off_apply", disabled=not confirmed or not changes,
                 icon=":material/upload:"):
        counts = _checked_again_and_applied(
            key, OFFLINE_STATE, lambda: check_workbook(actor, upload.name, data, _progress_bar(_("Checking the workbook again"))),
            lambda plan: apply_plan(actor, plan, progress=_progress_bar(_("Applying")), skip_conflicts=True))
        if counts is None:
            return
        _done(_("Applied the offline workbook: {counts}.").format(counts=counts_text(counts)))
