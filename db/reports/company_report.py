"""A company's annual engagement report, structured like the Voluntary Principles reporting
headings: commitment; policies and procedures; implementation (working groups, meetings,
commitments, contributions, issues, issues by security actor, training of security
providers); lessons; then an appendix listing the outcomes of resolved issues. Subsidiaries
are rolled up. The first two sections are HQ's own words (the narrative table); the
implementation figures come from the metric modules, exactly as on screen.

HQ users may only make their own company's report; coordinators and admins any company's.
Issue details are redacted by db/reads/issues, as on screen."""
from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd
import sqlalchemy as sa
from sqlmodel import select

from db.engine import session_scope
from db.errors import NotFound, PermissionDenied
from db.models import Issue, Membership, Organisation, Site, WorkingGroup
from db.periods import Period, today
from db.permissions import Action, Actor, authorize, company_scope
from db.reads.common import country_name, data_version
from db.reports.document import Report, Section, Table, printed, shown
from db.vocab import (
    ACCENT,
    PILLAR_COLOURS,
    REPORTING_CURRENCY,
    SEVERITY_COLOURS,
    NarrativeSection,
    Pillar,
    Severity,
    label,
)
from i18n import _

PRINT_ROWS = 40  # outcomes listed in the PDF and Word files (the workbook holds them all)


def report_period(year: int, as_of: date | None = None) -> Period:
    """The calendar year, up to the as-of date when the year is not over."""
    as_of = as_of or today()
    return Period(date(year, 1, 1), min(date(year, 12, 31), as_of))


def may_report_on(actor: Actor, company_id: int) -> bool:
    return company_scope(actor, Action.view_reports).allows(company_id)


def build(actor: Actor, company_id: int, year: int, *, as_of: date | None = None) -> Report:
    """Gather the report's content for a group company and a year."""
    from db.metrics import scorecard
    from db.writes.narrative import narrative_for

    authorize(actor, Action.view_reports)
    if not may_report_on(actor, company_id):
        raise PermissionDenied(_("You may only produce your own company's report."))
    as_of = as_of or today()
    period = report_period(year, as_of)
    company = next((c for c in scorecard.companies() if c.id == company_id), None)
    if company is None:
        raise NotFound(_("That company does not exist."))
    family = tuple(sorted(company.family))
    card = scorecard.scorecard(actor, period=period, company_ids=[company_id]).iloc[0]
    narrative = narrative_for(company_id, year)

    report = Report(
        title=_("{company}: engagement with in-country working groups").format(company=company.name),
        subtitle=_("Annual report {year}, following the Voluntary Principles reporting headings").format(year=year),
        period_start=period.start, period_end=period.end, as_of=as_of, data_version=data_version(),
        prepared_for=label(actor.role), file_stem=f"engagement-report-{_slug(company.name)}-{year}")

    for section in NarrativeSection:
        text = narrative[section.value].text
        report.sections.append(Section(label(section), paragraphs=[text] if text else [
            _("No text was entered for this section (no data). HQ users write it under Data entry, Report narrative.")]))
    report.sections.append(Section(_("Implementation"), paragraphs=[
        _("What the company and its {n} subsidiaries did in the working groups in the period.").format(
            n=int(card["subsidiaries"]))]))
    report.sections += [
        _groups(family, period, card),
        _meetings(actor, family, period, card),
        _commitments(actor, family, period, card),
        _contributions(family, period, card),
        _issues(actor, family, period, card),
        _security_actors(actor, family, period),
        _training(actor, family, period, card),
        _lessons(actor, family, period),
        _outcomes_appendix(actor, family, period),
    ]
    return report


def _slug(name: str) -> str:
    return "-".join("".join(ch.lower() if ch.isalnum() else " " for ch in name).split())[:60]


def _family_groups(family: tuple[int, ...], period: Period) -> pd.DataFrame:
    query = (select(WorkingGroup.id.label("group_id"), WorkingGroup.name.label("group"), WorkingGroup.country,
                    WorkingGroup.level, Organisation.name.label("member"), Membership.role, Membership.since,
                    Membership.until)
             .join(WorkingGroup, WorkingGroup.id == Membership.group_id)
             .join(Organisation, Organisation.id == Membership.org_id)
             .where(Membership.org_id.in_(family), Membership.since <= period.end,
                    sa.or_(Membership.until.is_(None), Membership.until >= period.start))
             .order_by(WorkingGroup.name, Organisation.name))
    with session_scope() as s:
        return pd.DataFrame([r._asdict() for r in s.execute(query)],
                            columns=["group_id", "group", "country", "level", "member", "role", "since", "until"])


def _groups(family, period, card) -> Section:
    frame = _family_groups(family, period)
    table = pd.DataFrame({
        _("Working group"): frame["group"], _("Country"): frame["country"].map(country_name),
        _("Level"): frame["level"].map(label), _("Member"): frame["member"], _("Role"): frame["role"].map(label),
        _("Since"): frame["since"].map(lambda d: d.isoformat() if d else ""),
        _("Until"): frame["until"].map(lambda d: d.isoformat() if isinstance(d, date) else _("current")),
    })
    return Section(_("Working groups"), level=2,
                   figures=[(_("Working groups joined"), shown(int(card["groups_joined"]) or None))],
                   tables=[Table(_("Working groups"), table, _("The company held no membership in the period (no data)."))])


def _per_group_engagement(actor, family, period) -> pd.DataFrame:
    from db.metrics import engagement

    groups = _family_groups(family, period)[["group_id", "group"]].drop_duplicates()
    rows = []
    for group_id, name in groups.itertuples(index=False):
        e = engagement.organisation_engagement(actor, org_ids=list(family), group_ids=[int(group_id)], period=period)
        rows.append(dict(group=name, invited=int(e["invited"].sum()), attended=int(e["attended"].sum()),
                         due=int(e["commitments_due"].sum()), on_time=int(e["done_on_time"].sum()),
                         kept=int(e["kept"].sum())))
    return pd.DataFrame(rows, columns=["group", "invited", "attended", "due", "on_time", "kept"])


def _meetings(actor, family, period, card) -> Section:
    per_group = _per_group_engagement(actor, family, period)
    per_group = per_group[per_group["invited"] > 0]
    rate = [a / i for a, i in zip(per_group["attended"], per_group["invited"])]
    table = pd.DataFrame({_("Working group"): per_group["group"], _("Meetings invited to"): per_group["invited"],
                          _("Meetings attended"): per_group["attended"], _("Attendance rate"): printed(pd.Series(rate), "rate")})
    charts = []
    if not per_group.empty:
        data = pd.DataFrame({"group": per_group["group"], "rate": rate})
        charts.append(alt.Chart(data, title=_("Meetings attended of those invited, by working group"))
                      .mark_bar(color=ACCENT)
                      .encode(x=alt.X("rate:Q", title=_("Attendance rate"), axis=alt.Axis(format=".0%"),
                                      scale=alt.Scale(domain=[0, 1])),
                              y=alt.Y("group:N", title=None, sort="-x", axis=alt.Axis(labelLimit=260)))
                      .properties(width=420, height=max(60, 26 * len(data))))
    invited = int(card["invited"])
    return Section(_("Meetings"), level=2, figures=[
        (_("Meetings invited to"), shown(invited or None)),
        (_("Meetings attended"), shown(int(card["attended"]) if invited else None)),
        (_("Attendance rate"), shown(card["attendance_rate"], "rate")),
    ], tables=[Table(_("Meetings"), table, _("The company was invited to no meeting in the period (no data)."))],
        charts=charts)


def _commitments(actor, family, period, card) -> Section:
    per_group = _per_group_engagement(actor, family, period)
    per_group = per_group[per_group["due"] > 0]
    table = pd.DataFrame({
        _("Working group"): per_group["group"], _("Commitments due"): per_group["due"],
        _("Done by their due date"): per_group["on_time"], _("Kept, verified by another pillar"): per_group["kept"],
        _("Promise-keeping"): printed(pd.Series([k / d for k, d in zip(per_group["kept"], per_group["due"])]), "rate"),
    })
    due = int(card["commitments_due"])
    return Section(_("Commitments"), level=2, paragraphs=[
        _("A commitment counts as kept only when an organisation of another pillar has verified it.")], figures=[
        (_("Commitments due in the period"), shown(due or None)),
        (_("Done by their due date"), shown(int(card["done_on_time"]) if due else None)),
        (_("Kept, verified by another pillar"), shown(int(card["kept"]) if due else None)),
        (_("Promise-keeping"), shown(card["promise_keeping"], "rate")),
    ], tables=[Table(_("Commitments"), table, _("No commitment of the company fell due in the period (no data)."))])


def _contributions(family, period, card) -> Section:
    from db.metrics import funding

    by_contributor = funding.received_by_contributor(contributor_ids=family, period=period)
    groups = _family_groups(family, period)[["group_id", "group"]].drop_duplicates()
    by_group = []
    for group_id, name in groups.itertuples(index=False):
        total = funding.total_received(group_ids=(int(group_id),), contributor_ids=family, period=period)
        if total is not None:
            by_group.append(dict(group=name, total=total))
    by_group = pd.DataFrame(by_group, columns=["group", "total"])
    money = lambda v: shown(v, "money", REPORTING_CURRENCY)  # noqa: E731
    contributors = pd.DataFrame({
        _("Contributor"): by_contributor["contributor"],
        _("Financial"): printed(by_contributor["cash"], "money", REPORTING_CURRENCY),
        _("In kind"): printed(by_contributor["in_kind"], "money", REPORTING_CURRENCY),
        _("Total"): printed(by_contributor["total"], "money", REPORTING_CURRENCY)})
    groups_table = pd.DataFrame({_("Working group"): by_group["group"],
                                 _("Received"): printed(by_group["total"], "money", REPORTING_CURRENCY)})
    charts = []
    if not by_group.empty:
        data = by_group.assign(total=by_group["total"].astype(float))  # drawing only
        charts.append(alt.Chart(data, title=_("Contributions by working group ({currency})").format(currency=REPORTING_CURRENCY))
                      .mark_bar(color=PILLAR_COLOURS[Pillar.company])  # the company pillar's colour
                      .encode(x=alt.X("total:Q", title=REPORTING_CURRENCY, axis=alt.Axis(format=",.0f")),
                              y=alt.Y("group:N", title=None, sort="-x", axis=alt.Axis(labelLimit=260)))
                      .properties(width=420, height=max(60, 26 * len(data))))
    return Section(_("Contributions"), level=2, figures=[
        (_("Contributions received ({currency})").format(currency=REPORTING_CURRENCY), money(card["contributions"]))],
        tables=[Table(_("Contributions by contributor"), contributors, _("No contribution was recorded in the period (no data).")),
                Table(_("Contributions by group"), groups_table, _("No contribution was recorded in the period (no data)."))],
        charts=charts)


def _issues(actor, family, period, card) -> Section:
    from db.metrics import issues as issue_metrics

    site_ids = _site_ids(family)
    if not site_ids:
        return Section(_("Issues and their outcomes"), level=2, paragraphs=[
            _("No site of the company is recorded, so no issue can be linked to it (no data).")])
    per_category = issue_metrics.issues_per_site_category(actor, period=period)
    per_category = per_category[per_category["site_id"].isin(site_ids)]
    categories = (per_category.groupby("category", as_index=False)["issues"].sum()
                  .sort_values("issues", ascending=False))
    category_table = pd.DataFrame({_("Category"): categories["category"].map(label), _("Issues raised"): categories["issues"]})
    charts = []
    if not categories.empty:
        data = categories.assign(category=categories["category"].map(label))
        charts.append(alt.Chart(data, title=_("Issues raised at the company's sites, by category"))
                      .mark_bar(color=SEVERITY_COLOURS[Severity.high])
                      .encode(x=alt.X("issues:Q", title=_("Issues raised")),
                              y=alt.Y("category:N", title=_("Category"), sort="-x"))
                      .properties(width=420, height=max(60, 26 * len(data))))
    raised = int(categories["issues"].sum()) if not categories.empty else None
    return Section(_("Issues and their outcomes"), level=2, figures=[
        (_("Issues raised at its sites"), shown(raised)),
        (_("Issues resolved in the period"), shown(card["issues_resolved"])),
        (_("Issues open at the end of the period"), shown(card["issues_open"])),
    ], paragraphs=[_("The outcome and remedy of each issue resolved in the period are listed in the appendix.")],
        tables=[Table(_("Issues by category"), category_table, _("No issue was raised at the company's sites in the period (no data)."))],
        charts=charts)


def _outcomes_appendix(actor, family, period) -> Section:
    """What changed for each issue resolved in the period: long text, so it sits at the end on
    landscape pages rather than in narrow columns in the body."""
    from db.reads.issues import redacted, require_rows

    site_ids = _site_ids(family)
    require_rows(actor)
    query = (select(Issue.case_number, Site.name.label("site"), Issue.category, Issue.severity, Issue.status,
                    Issue.raised_on, Issue.resolved_on, redacted(actor, Issue.outcome, "outcome"),
                    redacted(actor, Issue.remedy, "remedy"), redacted(actor, Issue.satisfaction, "satisfaction"))
             .join(Site, Site.id == Issue.site_id)
             .where(Issue.retired == False, Issue.site_id.in_(site_ids),  # noqa: E712
                    Issue.resolved_on.is_not(None), Issue.resolved_on >= period.start, Issue.resolved_on <= period.end)
             .order_by(Issue.resolved_on.desc(), Issue.case_number))
    with session_scope() as s:
        resolved = pd.DataFrame([r._asdict() for r in s.execute(query)],
                                columns=["case_number", "site", "category", "severity", "status", "raised_on",
                                         "resolved_on", "outcome", "remedy", "satisfaction"])
    outcomes = pd.DataFrame({
        _("Case"): resolved["case_number"], _("Site"): resolved["site"], _("Category"): resolved["category"].map(label),
        _("Severity"): resolved["severity"].map(label), _("Resolved"): resolved["resolved_on"].map(str),
        _("Outcome"): printed(resolved["outcome"], "text"), _("Remedy"): printed(resolved["remedy"], "text"),
        _("Complainant satisfied"): resolved["satisfaction"].map(label)})
    return Section(_("Appendix: outcomes of resolved issues"), landscape=True, tables=[
        Table(_("Outcomes"), outcomes, _("No issue at the company's sites was resolved in the period (no data)."),
              print_rows=PRINT_ROWS)])


def _site_ids(family) -> list[int]:
    with session_scope() as s:
        return list(s.exec(select(Site.id).where(Site.company_id.in_(family))).all())


def _security_actors(actor, family, period) -> Section:
    """What VPSHR readers look for: the issues that involved public or private security."""
    from db.metrics import issues as issue_metrics

    heading = _("Issues by security actor")
    site_ids = _site_ids(family)
    if not site_ids:
        return Section(heading, level=2, paragraphs=[
            _("No site of the company is recorded, so no issue can be linked to it (no data).")])
    counts = issue_metrics.issues_by_security_actor(actor, site_ids=site_ids, period=period)
    names = [_("Confidential: actor not shown") if key == issue_metrics.ACTOR_NOT_SHOWN else label(key)
             for key in counts["security_actor"]]
    table = pd.DataFrame({
        _("Security actor involved"): names, _("Issues raised"): printed(counts["raised"]),
        _("Of them about security conduct or a risk of violence"): printed(counts["conduct_or_violence"]),
        _("Open at the end of the period"): printed(counts["open_at_end"])})
    paragraphs = [_("Issues at the company's sites, by the security actors involved as recorded on each issue.")]
    if issue_metrics.ACTOR_NOT_SHOWN in set(counts["security_actor"]):
        paragraphs.append(_("Confidential issues are counted, but their security actor is shown only to those "
                            "who may see their details."))
    return Section(heading, level=2, paragraphs=paragraphs, tables=[Table(heading, table)])


def _training(actor, family, period, card) -> Section:
    from db.metrics import learning

    site_ids = _site_ids(family)
    frame = learning.training_by_site(actor, (), period.start, period.end)
    frame = frame[frame["site_id"].isin(site_ids)]
    table = pd.DataFrame({_("Site"): frame["site"], _("People trained"): frame["people_trained"],
                          _("Sessions"): frame["sessions"], _("Security conduct issues"): frame["conduct_issues"]})
    return Section(_("Training of security providers"), level=2, figures=[
        (_("Security personnel trained at its sites"), shown(card["people_trained"]))],
        tables=[Table(_("Training"), table, _("No training was recorded at the company's sites in the period (no data)."))])


def _lessons(actor, family, period) -> Section:
    from db.reads.learning import LessonQuery, lessons

    frame, _total = lessons(actor, LessonQuery(org_ids=tuple(family)), limit=500)
    frame = frame[[period.start <= d <= period.end for d in frame["shared_on"]]] if not frame.empty else frame
    table = pd.DataFrame({_("Shared on"): frame["shared_on"].map(str), _("Lesson"): frame["title"],
                          _("What was learned"): frame["text"], _("Working group"): frame["group"]})
    return Section(_("Lessons"), tables=[Table(_("Lessons"), table, _("No lesson was shared in the period (no data)."))])
