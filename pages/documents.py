"""Documents: terms of reference, minutes, reports and agreements attached to a working group,
an activity or an issue. Upload (coordinators for their groups, admins), list with filters,
and download one at a time (the file is read from the database only when it is chosen)."""
import streamlit as st

from components import forms_documents
from components.charts import empty_state, labelled
from components.data import cached
from components.filters import filter_bar
from components.guard import require
from components.header import page_header
from components.tables import table
from components.text import fmt, md
from components.url import ids_param, list_param, open_record, set_list_param, set_param
from db.errors import DomainError
from db.permissions import Action, can
from db.reads import documents as reads
from db.vocab import DocumentKind, label, values
from db.writes.documents import size_text
from i18n import _, numbers

actor = require(Action.view_documents)

page_header(_("Documents"), _("Terms of reference, minutes, reports and agreements of the working groups."))
may_upload = can(actor, Action.edit_document)
if may_upload:
    with st.expander(_("Upload a document"), icon=":material/upload_file:"):
        forms_documents.render(actor)

filters = filter_bar(actor, key="documents", show_period=False)
group_ids = filters.chosen_group_ids
kinds = st.multiselect(_("Kinds"), values(DocumentKind), format_func=label, placeholder=_("All kinds"),
                       default=[k for k in list_param("kind") if k in values(DocumentKind)], key="documents_kind")
set_list_param("kind", kinds)

found, total = cached(reads.documents, actor, group_ids, tuple(kinds))
if found.empty:
    if group_ids or kinds:
        empty_state(_("No document matches these filters. Choose other groups or kinds."))
    elif may_upload:
        empty_state(_("No documents yet. Upload the first one above: a group's terms of reference is a good start."))
    else:
        empty_state(_("No documents have been uploaded yet. A working group's coordinator can upload them."))
    st.stop()

shown = labelled(found, "kind").assign(size=found["size_bytes"].map(size_text))
shown = shown[["title", "kind", "group", "attached_to", "uploaded_at", "added_by", "filename", "size"]]
st.caption(_("Choose a row to download its file."))
picked = table(shown, total=total, name="documents", key="documents_table", selectable=True,
               column_config={"uploaded_at": st.column_config.DatetimeColumn(_("Added on"), format="YYYY-MM-DD HH:mm"),
                              "group": _("Working group"), "attached_to": _("Attached to"), "kind": _("Kind"),
                              "title": _("Title"), "filename": _("File"), "size": _("Size"),
                              "added_by": _("Added by")})
if picked is not None:  # a chosen row opens it, and the URL keeps it for a link
    chosen = [int(found.iloc[picked]["id"])]
    set_param("id", chosen[0])
else:
    chosen = ids_param("id")
if chosen:
    rows = found[found["id"] == chosen[0]]
    with st.container(border=True):
        if rows.empty:
            st.info(_("That document is not in the list as filtered. Clear the filters to see it."))
        else:
            row = rows.iloc[0]
            st.markdown(f"**{md(row['title'])}**")
            st.caption(fmt(_("{kind} · {group} · {attached} · added by {who} on {when}"),
                           kind=label(row["kind"]), group=row["group"], attached=row["attached_to"], who=row["added_by"],
                           when=numbers.day(row["uploaded_at"])))
            if not row["downloadable"]:
                st.warning(_("Confidential: this document belongs to a confidential issue. Only administrators "
                             "and the group's coordinators may open it."), icon=":material/lock:")
            else:
                try:
                    document = reads.document_file(actor, int(row["id"]))
                except DomainError as error:
                    st.error(error.message)
                else:
                    st.download_button(fmt(_("Download {file} ({size})"), file=document.filename,
                                           size=size_text(len(document.content))),
                                       data=document.content, file_name=document.filename,
                                       mime=document.content_type, icon=":material/download:", key="document_download")
        if picked is None and st.button(_("Close"), key="document_close"):
            open_record("id", None)
