"""The issue register's pieces: its filter bar (kept in the URL), its charts, and the issue
page. Every chart takes the pre-aggregated frames of db/reads/issues.summary, so tooltips and
maps carry counts only, never an issue's text."""
from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from components import charts
from components.data import cached
from components.filters import filter_bar
from components.tables import MISSING
from components.text import md
from components.url import ids_param, list_param, set_list_param, set_params
from db.periods import today
from db.permissions import Action, Actor, can
from db.reads import issues as reads
from db.vocab import ISSUE_STATUS_COLOURS, SEVERITY_COLOURS, IssueCategory, IssueStatus, Severity, label, values
from i18n import _, numbers


def issue_filter_bar(actor: Actor) -> reads.IssueFilters:
    """Countries, groups and period, then site, category, severity, status, violence risk,
    overdue and (for roles that see issue rows) a text search; all kept in st.query_params."""
    base = filter_bar(actor, key="issues")
    sites = cached(reads.site_options, actor)
    site_names = dict(zip(sites["id"], sites["name"])) if not sites.empty else {}
    with st.expander(_("More filters"), expanded=any(
            st.query_params.get(p) for p in ("site", "category", "severity", "status", "violence", "overdue", "q"))):
        row = st.columns(4)
        site_ids = row[0].multiselect(_("Sites"), list(site_names), format_func=lambda i: site_names.get(i, str(i)),
                                      default=[i for i in ids_param("site") if i in site_names], key="issues_site",
                                      placeholder=_("All sites"))
        categories = row[1].multiselect(_("Categories"), values(IssueCategory), format_func=label,
                                        default=[c for c in list_param("category") if c in values(IssueCategory)],
                                        key="issues_category", placeholder=_("All categories"))
        severities = row[2].multiselect(_("Severities"), values(Severity), format_func=label,
                                        default=[c for c in list_param("severity") if c in values(Severity)],
                                        key="issues_severity", placeholder=_("All severities"))
        statuses = row[3].multiselect(_("Statuses"), values(IssueStatus), format_func=label,
                                      default=[c for c in list_param("status") if c in values(IssueStatus)],
                                      key="issues_status", placeholder=_("All statuses"))
        row = st.columns(4)
        violence_options = ["any", "yes", "no"]
        violence = row[0].selectbox(_("Risk of violence"), violence_options,
                                    index=violence_options.index(st.query_params.get("violence", "any"))
                                    if st.query_params.get("violence") in violence_options else 0,
                                    format_func=lambda v: _("Any") if v == "any" else label(v), key="issues_violence")
        overdue = row[1].toggle(_("Overdue only"), value=st.query_params.get("overdue") == "1", key="issues_overdue")
        search = ""
        if can(actor, Action.view_issues):
            search = row[2].text_input(_("Search case number, title or description"),
                                       value=st.query_params.get("q", ""), max_chars=100, key="issues_search")
    set_list_param("site", site_ids)
    set_list_param("category", categories)
    set_list_param("severity", severities)
    set_list_param("status", statuses)
    set_params({"violence": None if violence == "any" else violence, "overdue": "1" if overdue else None,
                "q": search.strip()})
    return reads.IssueFilters(group_ids=base.group_ids, countries=base.countries, site_ids=tuple(site_ids),
                              categories=tuple(categories), severities=tuple(severities),
                              statuses=tuple(statuses),
                              violence_risk=None if violence == "any" else violence == "yes",
                              overdue=overdue, period=base.period, search=search.strip(), as_of=today())


# --------------------------------------------------------------------------- charts


def status_pipeline(frame: pd.DataFrame) -> alt.Chart:
    shown = charts.labelled(frame, "status")
    return charts.bars(shown, category="status", value="issues", colour="status", colours=ISSUE_STATUS_COLOURS,
                       colour_title=_("Status"), title=_("Status pipeline: issues at each stage"),
                       category_title=_("Status"), value_title=_("Issues"), sort=[label(s) for s in IssueStatus],
                       horizontal=False)


def open_by_age(frame: pd.DataFrame) -> alt.Chart:
    return charts.bars(frame, category="bucket", value="issues", title=_("Open issues by age"),
                       category_title=_("Days open"), value_title=_("Open issues"),
                       sort=list(frame["bucket"]), horizontal=False)


def per_quarter(frame: pd.DataFrame) -> alt.Chart:
    shown = charts.labelled(frame, "category")
    return charts.bars(shown, category="quarter", value="issues", colour="category", colour_title=_("Category"),
                       title=_("Issues raised per quarter by category"), category_title=_("Quarter raised"),
                       value_title=_("Issues"), sort="ascending", horizontal=False)


def site_category_heatmap(frame: pd.DataFrame) -> alt.Chart:
    shown = charts.labelled(frame, "category").astype({"site": object, "category": object})
    return (alt.Chart(shown, title=_("Where concerns cluster: issues by site and category"))
            .mark_rect(stroke="white")
            .encode(x=alt.X("category:N", title=_("Category"), axis=alt.Axis(labelAngle=-30, labelLimit=160,
                                                                          labelOverlap=False)),
                    y=alt.Y("site:N", title=_("Site"), axis=alt.Axis(labelLimit=220, labelOverlap=False)),
                    color=alt.Color("issues:Q", title=_("Issues"), scale=alt.Scale(scheme="orangered"),
                                    legend=alt.Legend(orient="bottom")),
                    tooltip=[alt.Tooltip("site:N", title=_("Site")), alt.Tooltip("category:N", title=_("Category")),
                             alt.Tooltip("issues:Q", title=_("Issues"))])
            .properties(height=alt.Step(24)))  # a fixed pixel height collapses the rows in Streamlit


def issue_map(frame: pd.DataFrame) -> alt.LayerChart:
    shown = charts.labelled(frame, "worst_severity").astype({"site": object, "worst_severity": object})
    return charts.site_map(shown, title=_("Sites by open issues and worst open severity"), name="site",
                           size="open_issues",
                           size_title=_("Open issues"), colour="worst_severity", colours=SEVERITY_COLOURS,
                           colour_title=_("Worst severity"),
                           tooltip=[("site", _("Site")), ("open_issues", _("Open issues")),
                                    ("worst_severity", _("Worst severity"))])


def show_summary_charts(summary: reads.IssueSummary) -> None:
    if summary.total == 0:
        charts.empty_state(_("No issues match these filters: no data to chart."))
        return
    left, right = st.columns(2)
    with left:
        charts.show(status_pipeline(summary.by_status), key="status_pipeline")
    with right:
        if summary.open:
            charts.show(open_by_age(summary.open_by_age), key="open_by_age")
        else:
            charts.empty_state(_("No open issues among these: no data for ages."))
    charts.show(per_quarter(summary.by_quarter_category), key="per_quarter")
    if summary.by_site_category.empty:
        charts.empty_state(_("None of these issues has a site: no data."))
    else:
        charts.show(site_category_heatmap(summary.by_site_category), key="site_category")
        if summary.sites > summary.by_site_category["site"].nunique():
            st.caption(_("The {shown} sites with most issues, of {total} sites with issues.").format(
                shown=summary.by_site_category["site"].nunique(), total=numbers.number(summary.sites)))
    if summary.site_map.empty:
        charts.empty_state(_("No open issues at any site: nothing to map."))
    else:
        charts.show(issue_map(summary.site_map), key="issue_map")


# --------------------------------------------------------------------------- register table


def register_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The register's columns as shown and downloaded (labels, not stored values)."""
    return pd.DataFrame({
        _("Case"): frame["case_number"], _("Title"): frame["title"], _("Working group"): frame["group"],
        _("Site"): frame["site"].fillna(""), _("Category"): frame["category"].map(label),
        _("Severity"): frame["severity"].map(label),
        _("Risk of violence"): frame["violence_risk"].map(lambda v: label("yes" if v else "no")),
        _("Status"): frame["status"].map(label), _("Raised on"): frame["raised_on"],
        _("Acknowledge by"): frame["acknowledge_by"], _("Resolve by"): frame["resolve_by"],
        _("Days open"): frame["days_open"], _("Overdue"): frame["overdue"].map(lambda v: label("yes" if v else "no")),
        _("Raised by"): frame["raiser_pillar"].map(label), _("Raiser"): frame["raiser"].fillna(""),
        _("Raiser's organisation"): frame["raiser_organisation"].fillna(""),
        _("Channel"): frame["channel"].map(label),
        _("Confidential"): frame["confidential"].map(lambda v: label("yes" if v else "no")),
    })


def register_downloads(actor: Actor, filters: reads.IssueFilters) -> None:
    """CSV and Excel of every filtered issue (up to reads.EXPORT_MAX_ROWS), read and written
    only when a button is clicked: the register itself reads just the 200 rows it shows."""
    from db.exports import to_csv_bytes, to_excel_bytes

    def export() -> pd.DataFrame:
        return register_frame(reads.list_issues(actor, filters, limit=reads.EXPORT_MAX_ROWS)[0])

    row = st.container(horizontal=True)
    row.download_button(_("Download CSV"), data=lambda: to_csv_bytes(export()), file_name="issues.csv",
                        mime="text/csv", key="csv_issue_register", icon=":material/download:")
    row.download_button(_("Download Excel"), data=lambda: to_excel_bytes({"issues": export()}),
                        file_name="issues.xlsx", key="xlsx_issue_register", icon=":material/download:",
                        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


# --------------------------------------------------------------------------- one issue


def days_note(days: int | None, done_on) -> str:
    if done_on is not None:
        return _("done on {date}").format(date=done_on.isoformat())
    if days is None:
        return _("no longer open")
    if days < 0:
        return _("overdue by {n} days").format(n=-days)
    return _("{n} days left").format(n=days)


def show_issue(actor: Actor, detail: reads.IssueDetail) -> None:
    """The issue page: details, targets, timeline, outcome, links and documents."""
    f = detail.fields
    st.title(md(f"{f['case_number']} · {f['title']}"))
    badges = [label(f["status"]), _("Severity: {s}").format(s=label(f["severity"]))]
    if f["violence_risk"]:
        badges.append(_("Risk of violence"))
    if f["escalated"]:
        badges.append(_("Escalated"))
    if f["confidential"]:
        badges.append(_("Confidential"))
    if f.get("retired"):
        badges.append(_("Retired"))
    st.markdown(" · ".join(f"**{b}**" for b in badges))
    if detail.redacted:
        st.info(_("This issue is confidential: its identifying details are shown only to administrators and "
                  "the coordinators of its working group."), icon=":material/lock:")
    cols = st.columns(4)
    cols[0].metric(_("Raised on"), f["raised_on"].isoformat(), border=True)
    cols[1].metric(_("Acknowledge by"), f["acknowledge_by"].isoformat(),
                   days_note(detail.days_to_acknowledge_by, f["acknowledged_on"]), border=True,
                   delta_color="off" if (detail.days_to_acknowledge_by or 0) >= 0 else "inverse",
                   delta_arrow="off")
    cols[2].metric(_("Resolve by"), f["resolve_by"].isoformat(),
                   days_note(detail.days_to_resolve_by, f["resolved_on"]), border=True,
                   delta_color="off" if (detail.days_to_resolve_by or 0) >= 0 else "inverse",
                   delta_arrow="off")
    cols[3].metric(_("Complainant satisfied"), label(f["satisfaction"]), border=True)

    left, right = st.columns(2)
    with left:
        st.subheader(_("Details"))
        # st.table draws its cells as Markdown: the values are names people typed
        st.table(pd.DataFrame({_("Field"): [
            _("Working group"), _("Site"), _("Category"), _("Raised by"), _("Raiser"), _("Raiser's organisation"),
            _("Channel"), _("Security actors involved"), _("Owner"), _("Referral")],
            _("Value"): [md(value) for value in (
                f["group"], f["site"] or MISSING, label(f["category"]), label(f["raiser_pillar"]),
                f["raiser"] or MISSING, f["raiser_organisation"] or MISSING, label(f["channel"]),
                label(f["security_actor"]), f["owner_organisation"] or MISSING, label(f["referral"]))]}))
    with right:
        st.subheader(_("Description"))
        st.text(f["description"] or _("No description recorded."))
        st.subheader(_("Outcome and remedy"))
        st.caption(_("Closed is not the same as remedied: what changed is recorded here."))
        st.markdown("**" + _("Outcome") + "**")
        st.text(f["outcome"] or _("No outcome recorded yet."))
        st.markdown("**" + _("Remedy") + "**")
        st.text(f["remedy"] or _("No remedy recorded yet."))

    st.subheader(_("Timeline"))
    timeline = detail.timeline
    if timeline.empty:
        st.info(_("No status changes recorded."))
    else:
        st.dataframe(pd.DataFrame({
            _("Date"): timeline["on_date"],
            _("From"): timeline["from_status"].map(lambda v: label(v) if pd.notna(v) and v else MISSING),
            _("To"): timeline["to_status"].map(label),
            _("Note"): timeline["note"],
            _("By"): timeline["author"],
            _("Raiser informed"): timeline["raiser_informed"].map(lambda v: label("yes" if v else "no")),
        }), hide_index=True, width="stretch", placeholder=MISSING, key="issue_timeline")

    left, right = st.columns(2)
    with left:
        st.subheader(_("Discussed at"))
        if detail.activities.empty:
            st.caption(_("Not linked to any activity yet."))
        elif detail.redacted:  # the data layer blanked which activities: say how many, not rows of blanks
            st.caption(_("Linked activities: {count} (details confidential).").format(count=len(detail.activities)))
        else:
            acts = detail.activities
            st.dataframe(pd.DataFrame({_("Activity"): acts["title"], _("Kind"): acts["kind"].map(label),
                                       _("Starts"): acts["starts_at"], _("Status"): acts["status"].map(label)}),
                         hide_index=True, width="stretch", placeholder=MISSING, key="issue_activities")
    with right:
        st.subheader(_("Commitments"))
        if detail.commitments.empty:
            st.caption(_("No commitments made on this issue yet."))
        else:
            com = detail.commitments
            st.dataframe(pd.DataFrame({_("Commitment"): com["description"], _("Owner"): com["owner"],
                                       _("Due"): com["due_on"], _("Status"): com["status"].map(label)}),
                         hide_index=True, width="stretch", placeholder=MISSING, key="issue_commitments")
    if not detail.documents.empty:
        st.subheader(_("Documents"))
        docs = detail.documents
        st.dataframe(pd.DataFrame({_("Title"): docs["title"], _("Kind"): docs["kind"].map(label),
                                   _("File"): docs["filename"], _("Uploaded"): docs["uploaded_at"]}),
                     hide_index=True, width="stretch", placeholder=MISSING, key="issue_documents")
