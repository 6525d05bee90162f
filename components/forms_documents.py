"""Upload a document (terms of reference, minutes, report, agreement) to a working group, one
of its activities or one of its issues: coordinators for their own groups, admins for all."""
from __future__ import annotations

import streamlit as st

from components.data import cached
from components.forms import FormErrors, editable_group, pick_record, saving, vocab_select
from db.permissions import Action, Actor, can
from db.reads import documents as document_reads
from db.vocab import DOCUMENT_MAX_BYTES, TITLE_MAX, DocumentKind
from db.writes import documents as document_writes
from i18n import _


def render(actor: Actor) -> None:
    if not can(actor, Action.edit_document):
        st.info(_("Your role may not upload documents."))
        return
    # The group is chosen outside the form, so the activity and issue lists follow it.
    group_id = editable_group(actor, Action.edit_document, key="fd_group")
    if group_id is None:
        return
    upload_form(actor, int(group_id))


def upload_form(actor: Actor, group_id: int) -> None:
    activities, issues = cached(document_reads.attachable, actor, group_id)
    activity_labels = dict(zip(activities["id"], activities["label"]))
    issue_labels = dict(zip(issues["id"], issues["label"]))
    errors = FormErrors(f"document_{group_id}")
    k = f"fd_upload_{group_id}"
    with st.form(k):
        title = st.text_input(_("Title"), max_chars=TITLE_MAX, key=f"{k}_title",
                              placeholder=_("e.g. Minutes of the March plenary"))
        errors.field("title")
        left, middle, right = st.columns(3)
        kind = vocab_select(left, _("Kind"), DocumentKind, key=f"{k}_kind")
        with left:
            errors.field("kind")
        activity_id = pick_record(middle, _("Activity (optional)"), activity_labels, index=None, key=f"{k}_activity",
                                  placeholder=_("The group as a whole"))
        with middle:
            errors.field("activity_id")
        issue_id = pick_record(right, _("Issue (optional)"), issue_labels, index=None, key=f"{k}_issue",
                               placeholder=_("No issue"))
        with right:
            errors.field("issue_id")
        # No `type=` filter: our own check names the allowed types and also checks the content.
        upload = st.file_uploader(
            _("File"), key=f"{k}_file", max_upload_size=max(1, DOCUMENT_MAX_BYTES // (1024 * 1024)),
            help=_("Allowed: {types}. At most {limit}.").format(types=document_writes.allowed_types_text(),
                                                               limit=document_writes.size_text(DOCUMENT_MAX_BYTES)))
        errors.field("file")
        errors.form_level()
        if st.form_submit_button(_("Upload document"), icon=":material/upload_file:"):
            with saving(errors, _("Document uploaded.")):
                document_writes.add_document(
                    actor, {"group_id": group_id, "kind": kind, "title": title, "activity_id": activity_id,
                            "issue_id": issue_id},
                    upload.name if upload else None, upload.getvalue() if upload else None)
                st.session_state.pop(f"{k}_title", None)
