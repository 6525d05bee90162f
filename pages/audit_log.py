"""Audit log: every create, update and delete, filterable, with one entry's before and after."""

import streamlit as st

from components.guard import require
from components.header import page_header
from components.tables import MISSING, table
from components.text import fmt
from components.url import date_param, id_param, set_param, set_params, text_param
from db.errors import NotFound
from db.permissions import Action
from db.reads.audit_log import (
    CHANGED,
    PAGE_ROWS,
    AuditFilters,
    audit_choices,
    audit_detail,
    audit_entries,
)
from db.vocab import label
from i18n import _, numbers

actor = require(Action.view_audit)

page_header(_("Audit log"), _("Who changed what, and when. Newest first."))



usernames, table_names = audit_choices(actor)
top = st.columns(5)
user_param, table_param = text_param("user"), text_param("table")
username = top[0].selectbox(_("User"), [None, *usernames], format_func=lambda u: _("Everyone") if u is None else u,
                            index=([None, *usernames].index(user_param) if user_param in usernames else 0),
                            key="audit_user")
table_name = top[1].selectbox(_("Table"), [None, *table_names],
                              format_func=lambda t: _("All tables") if t is None else t,
                              index=([None, *table_names].index(table_param) if table_param in table_names else 0),
                              key="audit_table")
row_id = top[2].number_input(_("Record id"), min_value=1, step=1, value=id_param("record"), key="audit_record")
start = top[3].date_input(_("From"), value=date_param("from"), format="YYYY-MM-DD", key="audit_from")
end = top[4].date_input(_("To"), value=date_param("to"), format="YYYY-MM-DD", key="audit_to")

set_params({"user": username, "table": table_name, "record": int(row_id) if row_id else None,
            "from": start.isoformat() if start else None, "to": end.isoformat() if end else None})

filters = AuditFilters(username=username, table_name=table_name, row_id=int(row_id) if row_id else None,
                       start=start, end=end)
first = audit_entries(actor, filters, limit=PAGE_ROWS)
pages = max(1, -(-first.total // PAGE_ROWS))
page_number = 1
if pages > 1:
    page_number = st.number_input(_("Page (of {pages})").format(pages=pages), min_value=1, max_value=pages,
                                  value=1, step=1, key="audit_page")
result = first if page_number == 1 else audit_entries(actor, filters, limit=PAGE_ROWS,
                                                     offset=(page_number - 1) * PAGE_ROWS)
entries = result.entries.copy()
entries["action"] = entries["action"].map(label)
entries = entries.rename(columns={"id": _("Entry"), "at": _("When (UTC)"), "username": _("User"),
                                  "action": _("Action"), "table_name": _("Table"), "row_id": _("Record id"),
                                  "changed_fields": _("Changed fields")})
if pages > 1:
    st.caption(_("Page {page} of {pages}: entries {first} to {last} of {total}.").format(
        page=page_number, pages=pages, first=(page_number - 1) * PAGE_ROWS + 1,
        last=(page_number - 1) * PAGE_ROWS + len(entries), total=numbers.number(result.total)))
picked = table(entries, name="audit_log", key="audit_log", total=result.total, selectable=True,
               empty=_("No audit entries match these filters."))

entry_id = int(result.entries.iloc[picked]["id"]) if picked is not None else id_param("entry")
if picked is not None:
    set_param("entry", entry_id)

st.subheader(_("One entry, before and after"))
entry_id = st.number_input(_("Entry"), min_value=1, step=1, value=entry_id, key="audit_entry",
                           help=_("Select a row above or type an entry number."))
if entry_id:
    try:
        detail = audit_detail(actor, int(entry_id))
    except NotFound as error:
        st.warning(error.message)
    else:
        st.markdown(fmt(_("**{action}** of {table} record {row} by {user} at {when} UTC"),
                        action=label(detail.action), table=detail.table_name,
                        row=detail.row_id if detail.row_id is not None else "-", user=detail.username,
                        when=detail.at.strftime("%Y-%m-%d %H:%M:%S")))
        st.caption(_("{marker} marks a field whose value changed.").format(marker=CHANGED))
        changes = detail.changes.rename(columns={"field": _("Field"), "before": _("Before"),
                                                 "after": _("After"), "changed": _("Changed")})
        st.dataframe(changes, hide_index=True, width="stretch", key="audit_changes", placeholder=MISSING)
