"""Backup: download the whole database as one portable file; in demo mode, reset the demo."""
from datetime import datetime, timezone

import streamlit as st

from components.forms import FLASH
from components.guard import require
from components.header import page_header
from db import config
from db.admin import reset_demo_data
from db.backup import backup_bytes
from db.errors import DomainError
from db.permissions import Action, can
from i18n import _, numbers
from seed.generator import reset_demo

actor = require(Action.backup)

BACKUP = "_backup_file"
CONFIRMING = "_confirming_reset"

page_header(_("Backup"), _("One file holding every table, readable by SQLite and PostgreSQL alike."))

st.subheader(_("Download a backup"))
st.write(_("The file is taken in one consistent read, so it never holds half of a save. "
           "It contains every record, including confidential issues and user accounts (without passwords in "
           "clear, but with their hashes): keep it as safe as the database itself."))
if st.button(_("Prepare a backup file"), key="prepare_backup", icon=":material/backup:"):
    with st.spinner(_("Reading every table...")):
        data, manifest = backup_bytes(actor)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    st.session_state[BACKUP] = (actor.id, data, f"icwg-backup-{stamp}.zip", manifest)

if st.session_state.get(BACKUP, (None,))[0] == actor.id:  # the file is the acting admin's alone
    _owner, data, file_name, manifest = st.session_state[BACKUP]
    rows = sum(manifest["tables"].values())
    st.caption(_("{rows} rows in {tables} tables, schema revision {revision}, taken {when}.").format(
        rows=numbers.number(rows), tables=len(manifest["tables"]), revision=manifest["alembic_revision"],
        when=manifest["created_at"][:19].replace("T", " ") + " UTC"))
    st.download_button(_("Download the backup file"), data=data, file_name=file_name, mime="application/zip",
                       key="download_backup", type="primary", icon=":material/download:")

st.subheader(_("Restore"))
st.info(_("Restoring is done from the command line only, into an empty database, so a click can never "
          "overwrite live data:\n\n`python -m db.backup restore FILE --url DATABASE_URL`"))

if config.is_demo() and can(actor, Action.reset_demo):
    st.subheader(_("Demo data"))

    def _stop_confirming() -> None:
        st.session_state.pop(CONFIRMING, None)

    # The dialog stays open across reruns until confirmed, cancelled or dismissed.
    @st.dialog(_("Reset the demo data?"), on_dismiss=_stop_confirming)
    def confirm_reset() -> None:
        st.write(_("Every change made since the demo was loaded will be lost, and the demo users get their "
                   "demo passwords back. Everyone is logged out, you too. This cannot be undone."))
        left, right = st.columns(2)
        if left.button(_("Yes, reset the demo"), type="primary", key="confirm_reset"):
            try:
                with st.spinner(_("Loading the demo data afresh...")):
                    reset_demo_data(actor, reset_demo)
            except DomainError as error:
                st.error(error.message)
                return
            st.cache_data.clear()
            _stop_confirming()
            st.session_state.pop(BACKUP, None)
            st.session_state[FLASH] = _("The demo data was reset.")
            st.rerun()
        if right.button(_("Cancel"), key="cancel_reset"):
            _stop_confirming()
            st.rerun()

    st.write(_("Put the fictional demo data back as it was on first start."))
    if st.button(_("Reset demo data"), key="reset_demo", icon=":material/restart_alt:"):
        st.session_state[CONFIRMING] = True
    if st.session_state.get(CONFIRMING):
        confirm_reset()
