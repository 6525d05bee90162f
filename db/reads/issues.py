"""Reading issues: the register's rows, one issue's page, and the chart aggregates.

Confidentiality is enforced here, in the SQL, so no page can forget it: for anyone but admins
and the coordinators of the issue's group (db/permissions.confidential_scope), a confidential
issue's title, description, raiser, update notes, outcome, remedy and document titles come back
as "Confidential", and a text search never matches the hidden text. Viewers may read the
aggregates only: the row-level reads raise PermissionDenied for them."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlmodel import select

from db.engine import session_scope
from db.errors import NotFound, PermissionDenied
from db.models import (
    Activity,
    Commitment,
    Document,
    Issue,
    IssueActivity,
    IssueUpdate,
    Organisation,
    Site,
    User,
    WorkingGroup,
)
from db.periods import Period, today
from db.permissions import Action, Actor, can, confidential_scope, group_scope
from db.reads.scope import in_groups
from db.vocab import AGE_BUCKETS, OPEN_ISSUE_STATUSES, Severity
from i18n import N_, _

CONFIDENTIAL = N_("Confidential")
ANONYMOUS = N_("Anonymous")
EXPORT_MAX_ROWS = 50_000  # downloads carry every filtered row up to this; the table shows 200
SEVERITY_RANK = {severity.value: rank for rank, severity in enumerate(Severity, start=1)}
OPEN = tuple(status.value for status in OPEN_ISSUE_STATUSES)
REGISTER_ROWS = 200  # the register shows this many; downloads fetch up to EXPORT_MAX_ROWS on click
HEATMAP_SITES = 25   # the site-by-category heatmap shows the sites with most issues
# What a confidential issue shows to everyone who may read issue rows (domain guide, Decisions):
# case number, category, site, severity, violence risk, status, dates and response times, plus
# the keys a page needs. Every other field is redacted, so a new column is hidden by default.
SHOWN_WHEN_CONFIDENTIAL = frozenset({
    "id", "case_number", "group_id", "group", "site_id", "site", "category", "severity", "violence_risk",
    "status", "raised_on", "acknowledge_by", "resolve_by", "acknowledged_on", "resolved_on", "closed_on",
    "confidential", "retired", "version"})


# --------------------------------------------------------------------------- SQL helpers


def integer_function(name: str, doc: str, *, postgresql: Callable[[list[str]], str],
                     sqlite: Callable[[list[str]], str]) -> type[sa.sql.functions.FunctionElement]:
    """An integer SQL function that the two backends spell differently: each spelling gets the
    compiled arguments, in order."""
    function = type(name, (sa.sql.functions.FunctionElement,),
                    {"__doc__": doc, "type": sa.Integer(), "inherit_cache": True, "name": name})

    def compiled(spell: Callable[[list[str]], str]):
        return lambda element, compiler, **kw: spell([compiler.process(c, **kw) for c in element.clauses])

    compiles(function)(compiled(postgresql))
    compiles(function, "sqlite")(compiled(sqlite))
    return function


days_between = integer_function(
    "days_between", "Whole days from `earlier` to `later` (later - earlier), on SQLite and PostgreSQL.",
    postgresql=lambda args: "(%s - %s)" % (args[0], args[1]),
    sqlite=lambda args: "CAST(julianday(%s) - julianday(%s) AS INTEGER)" % (args[0], args[1]))


def day(value: date):
    """A date as a typed bound parameter (so both backends compare and subtract it as a date)."""
    return sa.bindparam(None, value, type_=sa.Date)


def is_open():
    return Issue.status.in_(OPEN)


def is_overdue(as_of: date):
    """Open and past its resolve-by date, or not yet acknowledged past its acknowledge-by date."""
    return sa.and_(is_open(), sa.or_(Issue.resolve_by < day(as_of),
                                     sa.and_(Issue.acknowledged_on.is_(None),
                                             Issue.acknowledge_by < day(as_of))))


def severity_rank(column=None):
    return sa.case(SEVERITY_RANK, value=column if column is not None else Issue.severity, else_=0)


# --------------------------------------------------------------------------- filters


@dataclass(frozen=True)
class IssueFilters:
    """What the register (and the metrics) narrow issues by. Empty tuples mean "all"."""
    group_ids: tuple[int, ...] = ()
    countries: tuple[str, ...] = ()
    site_ids: tuple[int, ...] = ()
    categories: tuple[str, ...] = ()
    severities: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    violence_risk: bool | None = None
    overdue: bool = False
    period: Period | None = None      # issues raised in this period
    search: str = ""                  # case number, and title/description where visible
    as_of: date = field(default_factory=today)


def conditions(filters: IssueFilters, actor: Actor | None = None) -> list:
    """WHERE clauses for the filters (retired issues are always left out)."""
    where = [Issue.retired == False]  # noqa: E712
    where += in_groups(Issue.group_id, filters.group_ids, filters.countries)
    if filters.site_ids:
        where.append(Issue.site_id.in_(filters.site_ids))
    if filters.categories:
        where.append(Issue.category.in_(filters.categories))
    if filters.severities:
        where.append(Issue.severity.in_(filters.severities))
    if filters.statuses:
        where.append(Issue.status.in_(filters.statuses))
    if filters.violence_risk is not None:
        where.append(Issue.violence_risk == filters.violence_risk)
    if filters.overdue:
        where.append(is_overdue(filters.as_of))
    if filters.period is not None:
        where.append(Issue.raised_on.between(day(filters.period.start), day(filters.period.end)))
    text = filters.search.strip().lower()
    if text:
        matches_case = sa.func.lower(Issue.case_number).contains(text, autoescape=True)
        matches_text = sa.or_(sa.func.lower(Issue.title).contains(text, autoescape=True),
                              sa.func.lower(Issue.description).contains(text, autoescape=True))
        # Hidden text must not match: a search that finds a confidential issue by a word in
        # its description would reveal that word.
        where.append(sa.or_(matches_case, sa.and_(details_visible(actor), matches_text)))
    return where


def readable_conditions(filters: IssueFilters, actor: Actor | None) -> list:
    """The register's WHERE clauses as this reader's figures use them, so a figure and the
    register count the same issues (an aggregate-only role's search never reads issue text)."""
    may_read_rows = actor is not None and can(actor, Action.view_issues)
    return conditions(filters, actor if may_read_rows else None)


# --------------------------------------------------------------------------- redaction


def details_visible(actor: Actor | None):
    """SQL truth value: may this actor see this issue row's identifying details?"""
    scope = confidential_scope(actor)
    if scope.everything:
        return sa.true()
    return sa.or_(Issue.confidential == False, scope.sql(Issue.group_id))  # noqa: E712


def redacted(actor: Actor, column, name: str):
    """`column`, or "Confidential" where the actor may not see this issue's details."""
    if confidential_scope(actor).everything:
        return column.label(name)
    return sa.case((details_visible(actor), column), else_=sa.literal(_(CONFIDENTIAL))).label(name)


def redacted_flag(actor: Actor, column, name: str):
    """`column`, or NULL where the actor may not see this issue's details (a flag has no
    "Confidential" text; NULL says "not shown" without pretending to be yes or no)."""
    if confidential_scope(actor).everything:
        return column.label(name)
    return sa.case((details_visible(actor), column), else_=sa.null()).label(name)


def redact_fields(fields: dict) -> dict:
    """A confidential issue's fields as shown to someone who may not see its details: text
    becomes "Confidential", flags and record ids become None, the listed fields stay."""
    hidden = _(CONFIDENTIAL)
    return {name: value if name in SHOWN_WHEN_CONFIDENTIAL else (hidden if isinstance(value, str) else None)
            for name, value in fields.items()}


def require_rows(actor: Actor) -> None:
    """Row-level issue reads (tables, issue pages, exports) are not for aggregate-only roles."""
    if not can(actor, Action.view_issues):
        raise PermissionDenied(_("Your role may see issues only as figures and charts."))


def require_aggregates(actor: Actor) -> None:
    if not (can(actor, Action.view_issues) or can(actor, Action.view_issue_aggregates)):
        raise PermissionDenied(_("Your role may not see issues."))


# --------------------------------------------------------------------------- the register

RaiserOrg = aliased(Organisation, name="raiser_org")

REGISTER_COLUMNS = ["id", "case_number", "title", "group", "site", "category", "severity",
                    "violence_risk", "status", "raised_on", "acknowledge_by", "resolve_by",
                    "days_open", "overdue", "raiser_pillar", "raiser", "raiser_organisation",
                    "channel", "confidential", "escalated", "version"]


def list_issues(actor: Actor, filters: IssueFilters, *, limit: int = EXPORT_MAX_ROWS) -> tuple[pd.DataFrame, int]:
    """The filtered issues, newest first, redacted for this actor, and how many match in all."""
    require_rows(actor)
    where = conditions(filters, actor)
    as_of = filters.as_of
    raiser_name = sa.case((Issue.anonymous == True, sa.literal(_(ANONYMOUS))), else_=Issue.raiser_name)  # noqa: E712
    query = (
        select(Issue.id, Issue.case_number, redacted(actor, Issue.title, "title"),
               WorkingGroup.name.label("group"), Site.name.label("site"), Issue.category, Issue.severity,
               Issue.violence_risk, Issue.status, Issue.raised_on, Issue.acknowledge_by, Issue.resolve_by,
               sa.case((is_open(), days_between(day(as_of), Issue.raised_on)), else_=None).label("days_open"),
               is_overdue(as_of).label("overdue"), redacted(actor, Issue.raiser_pillar, "raiser_pillar"),
               redacted(actor, raiser_name, "raiser"),
               redacted(actor, RaiserOrg.name, "raiser_organisation"),
               redacted(actor, Issue.channel, "channel"), Issue.confidential,
               redacted_flag(actor, Issue.escalated, "escalated"), Issue.version)
        .join(WorkingGroup, WorkingGroup.id == Issue.group_id)
        .join(Site, Site.id == Issue.site_id, isouter=True)
        .join(RaiserOrg, RaiserOrg.id == Issue.raiser_org_id, isouter=True)
        .where(*where).order_by(Issue.raised_on.desc(), Issue.id.desc()).limit(limit))
    with session_scope() as s:
        total = s.execute(select(sa.func.count(Issue.id)).where(*where)).scalar_one()
        rows = [r._asdict() for r in s.execute(query)]
    frame = pd.DataFrame(rows, columns=REGISTER_COLUMNS)
    for column in ("violence_risk", "overdue", "confidential"):
        frame[column] = frame[column].astype(bool)
    frame["escalated"] = frame["escalated"].astype("boolean")  # <NA> where redacted
    frame["days_open"] = frame["days_open"].astype("Int64")
    return frame, total


def issue_choices(actor: Actor, *, editable_only: bool = True, open_only: bool = False) -> pd.DataFrame:
    """Issues a form may pick (id, case_number, title redacted, group_id, status, version)."""
    require_rows(actor)
    where = [Issue.retired == False]  # noqa: E712
    if editable_only:
        where.append(group_scope(actor, Action.edit_issue).sql(Issue.group_id))
    if open_only:
        where.append(is_open())
    query = (select(Issue.id, Issue.case_number, redacted(actor, Issue.title, "title"), Issue.group_id,
                    Issue.status, Issue.version)
             .where(*where).order_by(Issue.raised_on.desc(), Issue.id.desc()).limit(2000))
    with session_scope() as s:
        return pd.DataFrame([r._asdict() for r in s.execute(query)],
                            columns=["id", "case_number", "title", "group_id", "status", "version"])


# --------------------------------------------------------------------------- one issue


@dataclass(frozen=True)
class IssueDetail:
    """Everything the issue page shows, already redacted for the reader."""
    fields: dict
    redacted: bool
    timeline: pd.DataFrame      # on_date, at, from_status, to_status, note, author, raiser_informed
    activities: pd.DataFrame    # id, title, kind, starts_at, status
    commitments: pd.DataFrame   # id, description, owner, due_on, status
    documents: pd.DataFrame     # id, title, kind, filename, uploaded_at
    days_to_acknowledge_by: int | None  # negative: overdue by that many days; None: done
    days_to_resolve_by: int | None


def issue_detail(actor: Actor, issue_id: int, *, as_of: date | None = None) -> IssueDetail:
    """One issue with its timeline, links and documents; refused for aggregate-only roles."""
    require_rows(actor)
    as_of = as_of or today()
    with session_scope() as s:
        issue = s.get(Issue, issue_id)
        if issue is None or (issue.retired and not can(actor, Action.view_retired)):
            raise NotFound(_("That issue does not exist or has been retired."))
        visible = not issue.confidential or confidential_scope(actor).allows(issue.group_id)
        hidden = _(CONFIDENTIAL)
        names = {
            "group": s.get(WorkingGroup, issue.group_id).name,
            "site": s.get(Site, issue.site_id).name if issue.site_id else "",
            "raiser_organisation": s.get(Organisation, issue.raiser_org_id).name if issue.raiser_org_id else "",
            "owner_organisation": s.get(Organisation, issue.owner_org_id).name if issue.owner_org_id else "",
        }
        fields = {**issue.model_dump(), **names}
        fields["raiser"] = _(ANONYMOUS) if issue.anonymous else issue.raiser_name
        if not visible:
            fields = redact_fields(fields)

        author_org = aliased(Organisation)
        # Who moved a hidden case along would point to its owner, which is redacted.
        author = (sa.func.coalesce(User.display_name, sa.literal(_("System"))) if can(actor, Action.view_entered_by)
                  else sa.func.coalesce(author_org.name, sa.literal(_("Working group secretariat"))) if visible
                  else sa.literal(hidden))
        note = IssueUpdate.note if visible else sa.case((IssueUpdate.note == "", sa.literal("")),
                                                        else_=sa.literal(hidden))
        timeline = pd.DataFrame([r._asdict() for r in s.execute(
            select(IssueUpdate.on_date, IssueUpdate.at, IssueUpdate.from_status, IssueUpdate.to_status,
                   note.label("note"), author.label("author"),
                   (IssueUpdate.raiser_informed if visible else sa.null()).label("raiser_informed"))
            .join(User, User.id == IssueUpdate.user_id, isouter=True)
            .join(author_org, author_org.id == User.org_id, isouter=True)
            .where(IssueUpdate.issue_id == issue_id).order_by(IssueUpdate.at, IssueUpdate.id))],
            columns=["on_date", "at", "from_status", "to_status", "note", "author", "raiser_informed"])
        # A link of a hidden issue says only that it exists: which activity discussed it, or
        # who promised what on it, would point back to the case.
        activity_columns = ((Activity.id, Activity.title, Activity.kind, Activity.starts_at, Activity.status)
                            if visible else (sa.null().label("id"), sa.literal(hidden).label("title"),
                                             sa.null().label("kind"), sa.null().label("starts_at"),
                                             sa.null().label("status")))
        activities = pd.DataFrame([r._asdict() for r in s.execute(
            select(*activity_columns).select_from(Activity)
            .join(IssueActivity, IssueActivity.activity_id == Activity.id)
            .where(IssueActivity.issue_id == issue_id).order_by(Activity.starts_at))],
            columns=["id", "title", "kind", "starts_at", "status"])
        commitments = pd.DataFrame([r._asdict() for r in s.execute(
            select(Commitment.id, (Commitment.description if visible else sa.literal(hidden)).label("description"),
                   (Organisation.name if visible else sa.literal(hidden)).label("owner"),
                   Commitment.due_on, Commitment.status)
            .join(Organisation, Organisation.id == Commitment.owner_org_id)
            .where(Commitment.issue_id == issue_id).order_by(Commitment.due_on, Commitment.id))],
            columns=["id", "description", "owner", "due_on", "status"])
        documents = pd.DataFrame([r._asdict() for r in s.execute(
            select(Document.id, (Document.title if visible else sa.literal(hidden)).label("title"),
                   Document.kind, (Document.filename if visible else sa.literal(hidden)).label("filename"),
                   Document.uploaded_at)
            .where(Document.issue_id == issue_id).order_by(Document.uploaded_at))],
            columns=["id", "title", "kind", "filename", "uploaded_at"])
    still_open = issue.status in OPEN
    to_ack = (issue.acknowledge_by - as_of).days if still_open and issue.acknowledged_on is None else None
    to_resolve = (issue.resolve_by - as_of).days if still_open else None
    return IssueDetail(fields, not visible, timeline, activities, commitments, documents, to_ack, to_resolve)


# --------------------------------------------------------------------------- chart aggregates


@dataclass(frozen=True)
class IssueSummary:
    """The register's figures for the filtered issues: counts only, safe for every role."""
    total: int
    open: int
    overdue: int
    escalated: int
    by_status: pd.DataFrame          # status, issues
    open_by_age: pd.DataFrame        # bucket, issues (every bucket, in order)
    by_quarter_category: pd.DataFrame  # quarter, category, issues
    by_site_category: pd.DataFrame   # site, category, issues (the HEATMAP_SITES sites with most issues)
    site_map: pd.DataFrame           # site, latitude, longitude, open_issues, worst_severity
    sites: int = 0                   # sites with at least one of these issues (the heatmap shows at most HEATMAP_SITES)


def age_bucket(age):
    """SQL CASE naming the AGE_BUCKETS bucket of an age in days."""
    whens = []
    for low, high, name in AGE_BUCKETS:
        whens.append((age <= high if high is not None else age >= low, sa.literal(name)))
    return sa.case(*whens, else_=sa.literal(AGE_BUCKETS[-1][2]))


def summary(actor: Actor, filters: IssueFilters) -> IssueSummary:
    """Counts, status pipeline, open issues by age, quarters by category, sites by category
    (the HEATMAP_SITES sites with most issues) and the site map for the filtered issues
    (six aggregate queries)."""
    require_aggregates(actor)
    where = readable_conditions(filters, actor)
    as_of = filters.as_of
    age = days_between(day(as_of), Issue.raised_on)
    month = sa.cast(sa.extract("month", Issue.raised_on), sa.Integer)
    year = sa.cast(sa.extract("year", Issue.raised_on), sa.Integer)
    quarter = (month - 1) // 3 + 1
    open_count = sa.func.sum(sa.case((is_open(), 1), else_=0))
    with session_scope() as s:
        head = s.execute(select(sa.func.count(Issue.id), open_count,
                                sa.func.sum(sa.case((is_overdue(as_of), 1), else_=0)),
                                sa.func.sum(sa.case((Issue.escalated == True, 1), else_=0)))  # noqa: E712
                         .where(*where)).one()
        by_status = s.execute(select(Issue.status, sa.func.count(Issue.id)).where(*where)
                              .group_by(Issue.status)).all()
        bucket = age_bucket(age)
        by_age = s.execute(select(bucket.label("bucket"), sa.func.count(Issue.id))
                           .where(*where, is_open()).group_by(bucket)).all()
        by_quarter = s.execute(select(year.label("y"), quarter.label("q"), Issue.category, sa.func.count(Issue.id))
                               .where(*where).group_by(year, quarter, Issue.category)).all()
        # One row per site and category (a few thousand at most); the heatmap keeps the busiest sites.
        per_site = pd.DataFrame(s.execute(select(Site.id, Site.name, Issue.category, sa.func.count(Issue.id))
                                          .join(Site, Site.id == Issue.site_id).where(*where)
                                          .group_by(Site.id, Site.name, Issue.category)).all(),
                                columns=["site_id", "site", "category", "issues"])
        worst = sa.func.max(severity_rank())
        map_rows = s.execute(select(Site.name, Site.latitude, Site.longitude, sa.func.count(Issue.id), worst)
                             .join(Site, Site.id == Issue.site_id).where(*where, is_open())
                             .group_by(Site.id, Site.name, Site.latitude, Site.longitude)).all()
    statuses = dict(by_status)
    busiest = (per_site.groupby("site_id")["issues"].sum().reset_index()
               .sort_values(["issues", "site_id"], ascending=[False, True]).head(HEATMAP_SITES)["site_id"])
    by_site = (per_site[per_site["site_id"].isin(busiest)].groupby(["site", "category"], as_index=False)["issues"]
               .sum())  # two sites of one name share a heatmap row, as before
    ages = dict(by_age)
    rank_to_severity = {rank: value for value, rank in SEVERITY_RANK.items()}
    return IssueSummary(
        total=int(head[0] or 0), open=int(head[1] or 0), overdue=int(head[2] or 0), escalated=int(head[3] or 0),
        by_status=pd.DataFrame({"status": [s_.value for s_ in _status_order()],
                                "issues": [int(statuses.get(s_.value, 0)) for s_ in _status_order()]}),
        open_by_age=pd.DataFrame({"bucket": [b[2] for b in AGE_BUCKETS],
                                  "issues": [int(ages.get(b[2], 0)) for b in AGE_BUCKETS]}),
        by_quarter_category=pd.DataFrame([(f"{int(y)}-Q{int(q)}", c, int(n)) for y, q, c, n in by_quarter],
                                         columns=["quarter", "category", "issues"]).sort_values("quarter", kind="stable"),
        by_site_category=by_site,
        site_map=pd.DataFrame([(name, lat, lon, int(n), rank_to_severity.get(int(r or 0), "low"))
                               for name, lat, lon, n, r in map_rows],
                              columns=["site", "latitude", "longitude", "open_issues", "worst_severity"]),
        sites=int(per_site["site_id"].nunique()),
    )


def _status_order():
    from db.vocab import IssueStatus

    return list(IssueStatus)


def site_options(actor: Actor) -> pd.DataFrame:
    """Sites that have issues (id, name), for the register's site filter."""
    require_aggregates(actor)
    with session_scope() as s:
        rows = s.execute(select(Site.id, Site.name).where(Site.id.in_(select(Issue.site_id)))
                         .order_by(Site.name)).all()
    return pd.DataFrame([r._asdict() for r in rows], columns=["id", "name"])
