"""The alerts list: open issues that need attention now (critical, violence risk, past their
acknowledge-by or resolve-by date, escalated), newest first. Shown on the issue register and
the Overview. Roles that see issues only as aggregates get the counts per reason instead."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from components.data import cached
from components.tables import MISSING
from db.metrics import issues as metrics
from db.periods import Period
from db.permissions import Action, Actor, can
from db.vocab import label
from i18n import C_, _, numbers


def render(actor: Actor, filters=None, *, limit: int = 10, key: str = "alerts",
           period: Period | None = None, link_to_issue: bool = True) -> None:
    """Show the alerts for the filters (components.filters.Filters or None: everything).
    The period is not applied by default: an old issue still open is still an alert."""
    group_ids = tuple(getattr(filters, "group_ids", ()) or ())
    countries = tuple(getattr(filters, "countries", ()) or ())
    if not can(actor, Action.view_issues):
        counts = cached(metrics.alert_counts, actor, group_ids=group_ids, countries=countries, period=period)
        if counts["issues"].sum() == 0:
            st.success(_("No open issue needs attention for these filters."), icon=":material/check_circle:")
            return
        columns = st.columns(len(counts))
        for column, (reason, issues) in zip(columns, counts.itertuples(index=False)):
            column.metric(_(metrics.ALERT_REASONS[reason]), numbers.number(int(issues)), border=True)
        return
    frame, total = cached(metrics.alerts, actor, group_ids=group_ids, countries=countries, period=period,
                          limit=limit)
    if frame.empty:
        st.success(_("No open issue needs attention for these filters."), icon=":material/check_circle:")
        return
    st.caption(_("{shown} of {total} open issues that need attention, newest alert first.")
               .format(shown=len(frame), total=total))
    shown = pd.DataFrame({
        "case_number": frame["case_number"],
        "alert_on": frame["alert_on"],
        "reasons": frame["reasons"].map(lambda reasons: ", ".join(_(metrics.ALERT_REASONS[r]) for r in reasons)),
        "title": frame["title"],
        "severity": frame["severity"].map(label),
        "status": frame["status"].map(label),
        "site": frame["site"].fillna(""),
        "group": frame["group"],
    })
    if link_to_issue:
        shown.insert(0, "open", frame["id"].map(lambda issue_id: f"/issues?id={int(issue_id)}"))
    st.dataframe(shown, hide_index=True, width="stretch", key=f"{key}_table", placeholder=MISSING, column_config={
        "open": st.column_config.LinkColumn(C_("verb", "Open"), display_text=C_("verb", "Open")),
        "case_number": _("Case"), "alert_on": st.column_config.DateColumn(_("Alert since")),
        "reasons": _("Why"), "title": _("Title"), "severity": _("Severity"), "status": _("Status"),
        "site": _("Site"), "group": _("Working group"),
    })
