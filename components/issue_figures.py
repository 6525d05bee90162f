"""How the grievance mechanism responds, for the chosen filters: days to acknowledge and to
resolve, targets met (overall and per severity), open issues overdue against target, and the
issues that repeat an earlier one. Aggregates only (db/metrics/issues.py defines each figure)."""
from __future__ import annotations

import streamlit as st

from components.data import cached
from components.filters import Filters
from components.kpi import Kpi, kpi_row, percent
from components.tables import table
from db.metrics import issues as metrics
from db.permissions import Actor
from db.vocab import REPEAT_ISSUE_DAYS, RESPONSE_DAYS, Severity, label
from i18n import _


def _scope(filters: Filters) -> dict:
    return {"group_ids": filters.group_ids, "countries": filters.countries, "period": filters.period}


def response_times(actor: Actor, filters: Filters) -> None:
    """Headline response times and overdue share, then the same per severity."""
    times = cached(metrics.response_times, actor, **_scope(filters))
    overdue = cached(metrics.overdue_against_target, actor, **_scope(filters))
    st.subheader(_("Response times"))
    kpi_row([
        Kpi(_("Median days to acknowledge"), times.median_days_to_acknowledge, fmt="{:,.0f}",
            help=_("From raised to acknowledged, for issues raised in the period that are acknowledged.")),
        Kpi(_("Median days to resolve"), times.median_days_to_resolve, fmt="{:,.0f}",
            help=_("From raised to resolved, for issues raised in the period that are resolved.")),
        Kpi(_("Acknowledged in time"), percent(times.acknowledged_in_time),
            help=_("Share of acknowledge targets met (targets by severity), among those met or missed.")),
        Kpi(_("Resolved in time"), percent(times.resolved_in_time),
            help=_("Share of resolve targets met (targets by severity), among those met or missed.") + " "
            + _(metrics.RESOLVE_TARGET)),
        Kpi(_("Overdue against target"), percent(overdue.share), inverse=True,
            help=_("Open issues past their resolve-by date, or not acknowledged by their acknowledge-by date, "
                   "of all issues open now that were raised by the end of the period.")),
    ])
    if times.targets_decided:
        st.caption(_("{n} response targets met or missed.").format(n=f"{times.targets_decided:,}"))
    if overdue.open:
        st.caption(_("{overdue} of {open} open issues.").format(overdue=f"{overdue.overdue:,}",
                                                                 open=f"{overdue.open:,}"))
    by_severity = cached(metrics.response_times_by_severity, actor, **_scope(filters))
    targets = {s.value: f"{ack} / {res}" for s, (ack, res) in RESPONSE_DAYS.items()}
    shown = by_severity.assign(targets=by_severity["severity"].map(targets),
                               severity=by_severity["severity"].map(lambda s: label(Severity(s))))
    share = lambda title, text: st.column_config.NumberColumn(title, help=text, format="percent")  # noqa: E731
    table(shown[["severity", "targets", "issues", "median_days_to_acknowledge", "median_days_to_resolve",
                 "acknowledged_in_time", "resolved_in_time"]],
          name="response_times_by_severity", key="gm_by_severity",
          empty=_("No issues were raised in this period for these filters: no data."),
          column_config={
              "severity": _("Severity"),
              "targets": st.column_config.TextColumn(
                  _("Targets (days)"), help=_("Days allowed to acknowledge / to resolve an issue of this severity.")),
              "issues": st.column_config.NumberColumn(_("Issues"), help=_("Issues raised in the period.")),
              "median_days_to_acknowledge": st.column_config.NumberColumn(_("Median days to acknowledge"),
                                                                          format="%.1f"),
              "median_days_to_resolve": st.column_config.NumberColumn(_("Median days to resolve"), format="%.1f"),
              "acknowledged_in_time": share(_("Acknowledged in time"),
                                            _("Acknowledge targets met, of those met or missed.")),
              "resolved_in_time": share(_("Resolved in time"), _("Resolve targets met, of those met or missed.") + " "
                                        + _(metrics.RESOLVE_TARGET)),
          })
    st.caption(_("Empty cells: no data (for example no issue of that severity resolved yet)."))


def repeat_issues(actor: Actor, filters: Filters) -> None:
    """Sites and categories where issues come back."""
    st.subheader(_("Repeat issues"))
    st.caption(_("Issues raised in the period at the same site and in the same category as an earlier issue, "
                 "no more than {days} days after it.").format(days=REPEAT_ISSUE_DAYS))
    repeats = cached(metrics.repeat_issues, actor, **_scope(filters))
    shown = repeats.assign(category=repeats["category"].map(label))
    table(shown[["site", "category", "issues", "repeats"]], name="repeat_issues", key="gm_repeats",
          empty=_("No issue in these groups repeats an earlier one at the same site in the same category."),
          column_config={"site": _("Site"), "category": _("Category"),
                         "issues": st.column_config.NumberColumn(_("Issues"), help=_("Issues raised in the period.")),
                         "repeats": st.column_config.NumberColumn(
                             _("Repeats"), help=_("Of those, how many repeat an earlier issue."))})
