"""A working group's quarterly progress report: meetings and attendance, the balance of
stakeholders, the work plan, commitments, issues, funding and what is getting worse. Figures
come from the metric modules, exactly as on screen; issue details are redacted by
db/reads/issues for roles that may not see them."""
from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd
from sqlmodel import select

from db.engine import session_scope
from db.errors import NotFound
from db.models import WorkingGroup
from db.periods import Period, quarter_of, quarter_period, today
from db.permissions import Action, Actor, authorize
from db.reads.common import country_name, data_version
from db.reports.document import Report, Section, Table, printed, shown
from db.vocab import PILLAR_COLOURS, REPORTING_CURRENCY, Pillar, label
from i18n import _


def quarters(as_of: date | None = None, count: int = 8) -> list[Period]:
    """The current quarter and the ones before it, newest first."""
    as_of = as_of or today()
    found, day = [], as_of
    for _i in range(count):
        quarter = quarter_period(day)
        found.append(quarter)
        day = quarter.start.replace(day=1) - pd.Timedelta(days=1).to_pytimedelta()
    return found


def build(actor: Actor, group_id: int, quarter: Period, *, as_of: date | None = None) -> Report:
    authorize(actor, Action.view_reports)
    as_of = as_of or today()
    period = Period(quarter.start, min(quarter.end, as_of))
    with session_scope() as s:
        group = s.get(WorkingGroup, group_id)
        if group is None:
            raise NotFound(_("That working group does not exist."))
        name, country, level = group.name, group.country, group.level
    report = Report(
        title=_("{group}: quarterly progress report").format(group=name),
        subtitle=_("{quarter}, {level} working group in {country}").format(
            quarter=quarter_of(quarter.start), level=label(level).lower(), country=country_name(country)),
        period_start=period.start, period_end=period.end, as_of=as_of, data_version=data_version(),
        prepared_for=label(actor.role), file_stem=f"progress-report-group-{group_id}-{quarter_of(quarter.start)}")
    scope = dict(group_ids=[group_id])
    report.sections += [
        _meetings(actor, scope, period),
        _work_plan(actor, scope, period, as_of),
        _commitments(actor, scope, period),
        _issues(actor, group_id, period, as_of),
        _funding(group_id, period),
        _warnings(actor, group_id, period),
    ]
    return report


def _meetings(actor, scope, period) -> Section:
    from db.metrics import engagement
    from db.reads.activities import calendar

    held, total = calendar(actor, group_ids=scope["group_ids"], statuses=("held",), period=period, limit=500)
    activities = pd.DataFrame({
        _("Date"): [d.date().isoformat() if d is not None else "" for d in held["starts_at"]],
        _("Activity"): held["kind"].map(label), _("Title"): held["title"],
        _("Organisations attending"): printed(held["organisations"]),
        _("Participants"): printed(held["participants"]), _("Women"): printed(held["women"])})
    balance = engagement.pillar_balance(actor, period=period, **scope)
    charts = []
    if balance["participants"].sum() > 0:
        data = balance.assign(pillar=balance["pillar"].map(label))
        charts.append(alt.Chart(data, title=_("Participants by pillar"))
                      .mark_bar().encode(
                          x=alt.X("participants:Q", title=_("Participants")),
                          y=alt.Y("pillar:N", title=_("Pillar"), sort=[label(p) for p in Pillar]),
                          color=alt.Color("pillar:N", legend=None, scale=alt.Scale(
                              domain=[label(p) for p in Pillar], range=[PILLAR_COLOURS[p] for p in Pillar])))
                      .properties(width=420, height=150))
    return Section(_("Meetings and attendance"), figures=[
        (_("Activities held"), shown(total or None)),
        (_("Meetings held"), shown(engagement.meetings_held(actor, period=period, **scope) or None)),
        (_("Attendance rate"), shown(engagement.attendance_rate(actor, period=period, **scope), "rate")),
        (_("Meetings with all four pillars present"),
         shown(engagement.all_pillars_present_share(actor, period=period, **scope), "rate")),
        (_("Community share of participants"), shown(engagement.community_share(actor, period=period, **scope), "rate")),
        (_("Women's share of participants"), shown(engagement.women_share(actor, period=period, **scope), "rate")),
    ], tables=[Table(_("Activities held"), activities, _("No activity was held in the quarter (no data)."))], charts=charts)


def _work_plan(actor, scope, period, as_of) -> Section:
    from db.metrics import engagement

    progress = engagement.work_plan_progress(actor, period=period, as_of=as_of, **scope)
    items = int(progress["items"].sum()) if not progress.empty else 0
    return Section(_("Work plan"), figures=[
        (_("Work plan items"), shown(items or None)),
        (_("Done"), shown(int(progress["done"].sum()) if items else None)),
        (_("Delayed"), shown(int(progress["delayed"].sum()) if items else None)),
        (_("Overdue"), shown(int(progress["overdue"].sum()) if items else None)),
        (_("Share done"), shown(int(progress["done"].sum()) / items if items else None, "rate")),
    ])


def _commitments(actor, scope, period) -> Section:
    from db.metrics import engagement

    keeping = engagement.promise_keeping(actor, period=period, **scope)
    table = pd.DataFrame({_("Organisation"): keeping["organisation"], _("Pillar"): keeping["pillar"].map(label),
                          _("Commitments due"): keeping["due"], _("Kept, verified by another pillar"): keeping["kept"],
                          _("Promise-keeping"): printed(keeping["index"], "rate")})
    return Section(_("Commitments"), figures=[
        (_("Follow-through"), shown(engagement.commitment_follow_through(actor, period=period, **scope), "rate"))],
        tables=[Table(_("Promise-keeping"), table, _("No commitment fell due in the quarter (no data)."))])


def _issues(actor, group_id, period, as_of) -> Section:
    from db.metrics import issues as metrics
    from db.reads.issues import IssueFilters, list_issues

    scope = dict(group_ids=[group_id])
    raised, total = list_issues(actor, IssueFilters(group_ids=(group_id,), period=period, as_of=as_of))
    table = pd.DataFrame({
        _("Case"): raised["case_number"], _("Title"): raised["title"], _("Site"): raised["site"].fillna(""),
        _("Category"): raised["category"].map(label), _("Severity"): raised["severity"].map(label),
        _("Status"): raised["status"].map(label), _("Raised"): raised["raised_on"].map(str)})
    ages = metrics.open_issues_by_age(actor, as_of=as_of, **scope)
    median = metrics.median_days_to_resolve(actor, period=period, as_of=as_of, **scope)
    ages_table = pd.DataFrame({_("Days open"): ages["bucket"], _("Open issues"): ages["issues"]})
    return Section(_("Issues"), figures=[
        (_("Issues raised in the quarter"), shown(total or None)),
        (_("Open issues now"), shown(int(ages["issues"].sum()) or None)),
        (_("Median days to resolve"), shown(median, "days")),
        (_("Escalation rate"), shown(metrics.escalation_rate(actor, period=period, as_of=as_of, **scope), "rate")),
    ], tables=[Table(_("Issues raised"), table, _("No issue was raised in the quarter (no data)."), print_rows=60),
               Table(_("Open issues by age"), ages_table)])


def _funding(group_id, period) -> Section:
    from db.metrics import funding

    scope = dict(group_ids=(group_id,), period=period)
    money = lambda v: shown(v, "money", REPORTING_CURRENCY)  # noqa: E731
    by_contributor = funding.received_by_contributor(**scope)
    table = pd.DataFrame({_("Contributor"): by_contributor["contributor"],
                          _("Total"): printed(by_contributor["total"], "money", REPORTING_CURRENCY),
                          _("Share"): printed(by_contributor["share"], "rate")})
    return Section(_("Funding"), figures=[
        (_("Contributions received ({currency})").format(currency=REPORTING_CURRENCY), money(funding.total_received(**scope))),
        (_("Disbursed ({currency})").format(currency=REPORTING_CURRENCY), money(funding.total_disbursed(**scope))),
        (_("Largest funder's share (a company with its subsidiaries)"), shown(_largest_funder_share(funding.neutrality(**scope)), "rate")),
        (_("Cash balance at the end of the quarter ({currency})").format(currency=REPORTING_CURRENCY),
         money(funding.cash_balance(**scope))),
    ], tables=[Table(_("Contributions"), table, _("No contribution was received in the quarter (no data)."))])


def _largest_funder_share(judged: pd.DataFrame):
    """The group's own row of the neutrality judgement (its funds' rows follow it)."""
    whole = judged[judged["fund_id"].isna()]
    return None if whole.empty else whole["share"].iloc[0]


def _warnings(actor, group_id, period) -> Section:
    from db.metrics import early_warning

    listed = early_warning.ranked(actor, group_ids=(group_id,), as_of=period.end)
    table = early_warning.for_display(listed).drop(columns=[_("Working group"), _("Country")]) if not listed.empty \
        else pd.DataFrame()
    return Section(_("What is getting worse"), tables=[
        Table(_("Early warning"), table, _("Nothing is getting worse in this group."))])


def group_options() -> pd.DataFrame:
    with session_scope() as s:
        return pd.DataFrame([r._asdict() for r in s.execute(
            select(WorkingGroup.id, WorkingGroup.name).order_by(WorkingGroup.name))], columns=["id", "name"])
