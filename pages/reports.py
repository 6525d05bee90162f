"""Reports to hand on: a company's annual engagement report (PDF, Word, Excel) and a working
group's quarterly progress report (PDF, Excel). Each states its period, as-of date and data
version; issue details follow the same confidentiality rules as the screens."""
import streamlit as st

from components.forms import pick_record
from components.guard import require
from components.header import page_header
from components.tables import MISSING
from components.text import md
from db import reports
from db.metrics.scorecard import companies
from db.periods import quarter_of, today
from db.permissions import Action
from db.reads.common import data_version
from db.reports import company_report, group_report
from db.reports.document import Report
from i18n import _, current_language

actor = require(Action.view_reports)

FORMAT_LABELS = {"pdf": _("Download PDF"), "docx": _("Download Word"), "xlsx": _("Download Excel")}

page_header(_("Reports"), _("Reports to hand on, made from the data as it is now. Each states its period, "
                            "as-of date and data version."))


def _preview(report: Report) -> None:
    st.markdown(f"**{md(report.title)}**  \n{md(report.subtitle)}")
    st.caption("  \n".join(md(line) for line in report.meta_lines()))
    for section in report.sections:
        if section.figures:
            st.markdown(f"**{md(section.heading)}**")
            st.dataframe({_("Figure"): [f for f, _v in section.figures], _("Value"): [v for _f, v in section.figures]},
                         hide_index=True, width="stretch", placeholder=MISSING)


def _offer(key: str, build, args: tuple, formats: tuple[str, ...]) -> None:
    """Build the report when asked, then offer its files (kept for this user, data version and
    language only: another user of this browser session never gets them)."""
    wanted = (actor.id, key, args, data_version(), current_language())
    if st.button(_("Prepare report"), key=f"{key}_prepare", type="primary"):
        with st.spinner(_("Preparing the report and drawing its charts...")):
            report = build(actor, *args)
            st.session_state[f"{key}_files"] = (wanted, report, {fmt: reports.render(report, fmt) for fmt in formats})
    prepared = st.session_state.get(f"{key}_files")
    if not prepared or prepared[0] != wanted:
        st.caption(_("Choose what the report covers, then prepare it."))
        return
    _wanted, report, files = prepared
    columns = st.columns(len(formats) + 1)
    for column, fmt in zip(columns, formats):
        column.download_button(FORMAT_LABELS[fmt], data=files[fmt], file_name=f"{report.file_stem}.{fmt}",
                               mime=reports.FORMATS[fmt], key=f"{key}_{fmt}", icon=":material/download:")
    _preview(report)


company_tab, group_tab = st.tabs([_("Company annual report"), _("Working group quarterly report")])

with company_tab:
    choices = [c for c in companies() if company_report.may_report_on(actor, c.id)]
    if not choices:
        st.info(_("Your account is not linked to a company, so there is no company report to make."))
    else:
        names = {c.id: c.name for c in choices}
        left, right = st.columns([3, 1])
        company_id = pick_record(left, _("Company"), names, key="report_company")
        year = right.selectbox(_("Year"), list(range(today().year, today().year - 5, -1)), key="report_year")
        st.caption(_("Commitment and policies come from the narrative HQ writes under Data entry; "
                     "the implementation figures from the data, with subsidiaries rolled up."))
        _offer("company_report", company_report.build, (company_id, year), ("pdf", "docx", "xlsx"))

with group_tab:
    groups = group_report.group_options()
    if groups.empty:
        st.info(_("There are no working groups yet."))
    else:
        names = dict(zip(groups["id"], groups["name"]))
        own = [g for g in names if g in actor.group_ids]
        left, right = st.columns([3, 1])
        group_id = pick_record(left, _("Working group"), names, key="report_group",
                                  index=list(names).index(own[0]) if own else 0)
        options = group_report.quarters()
        quarter = right.selectbox(_("Quarter"), options, format_func=lambda q: quarter_of(q.start),
                                  index=1 if len(options) > 1 else 0, key="report_quarter")
        _offer("group_report", group_report.build, (int(group_id), quarter), ("pdf", "xlsx"))
