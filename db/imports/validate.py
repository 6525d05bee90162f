"""Check every row of an import before anything is written, and plan its writes.

Each row is built into the write layer's own Create model (`db.writes.base.validated`) and
passed through the write layer's checks where they are functions (site and work-plan links,
parent cycles, case numbers, response targets, exact money, exchange rates, the permission
scope of `authorize`). Names are resolved to ids with a clear message when not found. Any
error rejects the whole file; the plan lists every row's error, not just the first."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timezone
from decimal import Decimal
from typing import Any, Callable

from sqlmodel import Session, select

from db.engine import read_only_session
from db.errors import DomainError, PermissionDenied, ValidationFailed
from db.imports.apply import Insert, Plan, Progress, Step, versioned_update
from db.imports.parse import CellError, Table, to_amount_text, to_bool, to_date, to_datetime, to_int, to_text
from db.imports.spec import KINDS, Kind
from db.models import (
    Activity,
    ActivityCreate,
    Attendance,
    AttendanceCreate,
    Contribution,
    ExchangeRate,
    Fund,
    Issue,
    IssueCreate,
    IssueUpdate,
    Organisation,
    OrganisationCreate,
    Site,
    WorkingGroup,
)
from db.money import to_minor
from db.periods import today
from db.permissions import Action, Actor, authorize, company_scope
from db.vocab import REPORTING_CURRENCY, ActivityStatus, IssueStatus
from db.writes import activities as activity_writes
from db.writes import funding as funding_writes
from db.writes import issues as issue_writes
from db.writes import organisations as organisation_writes
from db.writes.base import validated
from i18n import _

# Model fields named differently in the file.
FIELD_COLUMN = {"group_id": "group", "site_id": "site", "parent_id": "parent", "raiser_org_id": "raiser_organisation",
                "owner_org_id": "owner_organisation", "fund_id": "fund", "contributor_org_id": "contributor",
                "org_id": "organisation", "to_status": "status", "work_plan_item_id": "work_plan_item",
                "rate_date": "date"}


def _key(name: Any) -> str:
    return to_text(name).strip().casefold()


@dataclass
class Names:
    """Name-to-record lookups loaded once per file (groups, organisations, sites, funds)."""
    groups: dict[str, WorkingGroup]
    orgs: dict[str, Organisation]
    sites: dict[str, list[Site]]
    funds: dict[str, Fund]

    @classmethod
    def load(cls, s: Session) -> "Names":
        sites: dict[str, list[Site]] = {}
        for site in s.exec(select(Site)):
            sites.setdefault(_key(site.name), []).append(site)
        return cls(groups={_key(g.name): g for g in s.exec(select(WorkingGroup))},
                   orgs={_key(o.name): o for o in s.exec(select(Organisation))},
                   sites=sites, funds={_key(f.name): f for f in s.exec(select(Fund))})

    def group(self, name) -> WorkingGroup:
        found = self.groups.get(_key(name))
        if found is None:
            raise CellError(_("No working group is called {name}.").format(name=to_text(name)))
        return found

    def org_id(self, name, *, optional: bool = True) -> int | None:
        if name is None and optional:
            return None
        found = self.orgs.get(_key(name))
        if found is None:
            raise CellError(_("No organisation is called {name}; add it to the register (or import it) first.")
                            .format(name=to_text(name)))
        return found.id

    def site_id(self, name, country: str | None = None) -> int | None:
        if name is None:
            return None
        found = self.sites.get(_key(name), [])
        if country and len(found) > 1:
            found = [s for s in found if s.country == country] or found
        if not found:
            raise CellError(_("No site is called {name}.").format(name=to_text(name)))
        if len(found) > 1:
            raise CellError(_("Several sites are called {name}; rename one to tell them apart.").format(name=to_text(name)))
        return found[0].id

    def fund(self, name) -> Fund:
        found = self.funds.get(_key(name))
        if found is None:
            raise CellError(_("No fund is called {name}.").format(name=to_text(name)))
        return found


class RowChecker:
    """Collects one row's problems as (column, reason), so a row reports all its errors."""

    def __init__(self, plan: Plan, row: int, sheet: str = ""):
        self.plan, self.row, self.sheet, self.failed = plan, row, sheet, False
        self.columns: set[str] = set()

    def fail(self, column: str, reason: str) -> None:
        """Record a problem; only the first per column (a cell refused while reading is not
        reported a second time by the model it was left out of)."""
        self.failed = True
        if column not in self.columns:
            self.columns.add(column)
            self.plan.error(self.row, column, reason, self.sheet)

    def cell(self, column: str, convert: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """`convert(*args, **kwargs)`, or None with the message noted against `column`."""
        try:
            return convert(*args, **kwargs)
        except CellError as error:
            self.fail(column, str(error))
            return None

    def model(self, model, values: dict[str, Any]):
        try:
            return validated(model, values)
        except ValidationFailed as error:
            self.domain(error)
            return None

    def domain(self, error: DomainError) -> None:
        if isinstance(error, ValidationFailed):
            for name, message in error.errors.items():
                self.fail(FIELD_COLUMN.get(name, name), message)
        else:
            self.fail("", error.message)

    def allowed(self, actor: Actor, action: Action, *, group_id: int | None = None, company_id: int | None = None,
                column: str = "group") -> bool:
        try:
            authorize(actor, action, group_id=group_id, company_id=company_id)
            return True
        except PermissionDenied as error:
            self.fail(column, error.message)
            return False


def check_columns(plan: Plan, kind: Kind, table: Table, sheet: str = "") -> bool:
    missing = [c.name for c in kind.columns if c.required and c.name not in table.columns]
    unknown = [c for c in table.columns if c and c not in kind.column_names]
    for name in missing:
        plan.error(1, name, _("This required column is missing from the header row."), sheet)
    for name in unknown:
        plan.error(1, name, _("Unknown column; the template lists the columns this import reads."), sheet)
    if not table.rows:
        plan.error(None, "", _("The file has no data rows."), sheet)
    return not plan.errors


def _report(progress: Progress | None, done: int, total: int) -> None:
    if progress and total and (done % 200 == 0 or done == total):
        progress(done / total, _("Checked {done} of {total} rows").format(done=done, total=total))


def _checked_rows(plan: Plan, table: Table, progress: Progress | None):
    """Each row of the table (its number in the file, its cells) with its checker, saying the
    progress as it goes."""
    for done, (number, row) in enumerate(table.rows, start=1):
        _report(progress, done, len(table.rows))
        yield number, row, RowChecker(plan, number)


def _allowed_group(actor: Actor, action: Action, check: RowChecker, names: Names, row: dict):
    """The row's working group when the actor may do `action` in it; None when it is unknown or
    not theirs (the checker has the reason)."""
    group = check.cell("group", names.group, row.get("group"))
    if group is None or not check.allowed(actor, action, group_id=group.id):
        return None
    return group


def plan_import(actor: Actor, kind_key: str, table: Table, source: str,
                progress: Progress | None = None) -> Plan:
    """Validate every row of `table` as an import of `kind_key`; the plan holds the errors
    (row, column, reason) or the writes to make."""
    kind = KINDS[kind_key]
    plan = Plan(source=source, audit_table=kind.table)
    if not check_columns(plan, kind, table):
        return plan
    planner = {"organisations": _organisations, "activities": _activities, "issues": _issues,
               "contributions": _contributions, "exchange_rates": _exchange_rates}[kind.key]
    with read_only_session() as s:  # reads only: others keep saving while a large file is checked
        planner(actor, s, Names.load(s), table, plan, progress)
    if plan.errors:
        plan.steps.clear()
    return plan


# --------------------------------------------------------------------------- organisations


ORG_FIELDS = ("name", "kind", "country", "parent_id", "vpshr_participant", "icoca_member", "eiti_supporter")


def _organisations(actor: Actor, s: Session, names: Names, table: Table, plan: Plan, progress) -> None:
    in_file: dict[str, int] = {}
    for number, row, check in _checked_rows(plan, table, progress):
        if not check.allowed(actor, Action.edit_organisation, column="name"):
            continue
        name = to_text(row.get("name")).strip()
        if _key(name) in in_file:
            check.fail("name", _("The same organisation is already in row {row}.").format(row=in_file[_key(name)]))
            continue
        in_file[_key(name)] = number
        parent_name = row.get("parent")
        parent_in_file = parent_name is not None and _key(parent_name) in in_file and _key(parent_name) not in names.orgs
        parent_id = None if parent_in_file else check.cell("parent", names.org_id, parent_name)
        values = {"name": name, "kind": to_text(row.get("kind")), "country": to_text(row.get("country")).upper(),
                  "parent_id": parent_id}
        for flag in ("vpshr_participant", "icoca_member", "eiti_supporter"):
            values[flag] = check.cell(flag, to_bool, row.get(flag))
        data = check.model(OrganisationCreate, values)
        if data is None or check.failed:
            continue
        stored = names.orgs.get(_key(name))
        try:
            organisation_writes._check_parent(s, stored.id if stored else None, data.parent_id)
        except ValidationFailed as error:
            check.domain(error)
            continue
        new = data.model_dump()
        if stored is None:
            def columns(ids, new=new, parent_name=parent_name if parent_in_file else None):
                if parent_name is not None:
                    return {**new, "parent_id": ids[("organisation", _key(parent_name))]}
                return new
            plan.steps.append(Step("", number, "organisation", "create", inserts=(Insert(
                Organisation, columns, key=("organisation", _key(name)),
                check=lambda: authorize(actor, Action.edit_organisation)),)))
        else:
            changes = {f: _plain(new[f]) for f in ORG_FIELDS if getattr(stored, f) != _plain(new[f])}
            if not changes:
                plan.steps.append(Step("", number, "organisation", "unchanged"))
                continue

            def update(session: Session, _ctx: dict, record_id=stored.id, version=stored.version, changes=changes):
                authorize(actor, Action.edit_organisation)
                versioned_update(session, Organisation, record_id, version, changes)
            plan.steps.append(Step("", number, "organisation", "update", update))


# --------------------------------------------------------------------------- activities


ACTIVITY_FIELDS = ("kind", "ends_at", "site_id", "place", "status", "summary", "outcomes")


class StoredActivities:
    """A group's stored activities and their attendance, read once per group in the file
    instead of one query per row."""

    def __init__(self, s: Session):
        self.s = s
        self.activities: dict[int, dict[tuple, Activity]] = {}
        self.attendance: dict[tuple[int, int], Attendance] = {}

    def activity(self, group_id: int, title: str, starts_at) -> Activity | None:
        if group_id not in self.activities:
            self.activities[group_id] = {(a.title, _instant(a.starts_at)): a
                                         for a in self.s.exec(select(Activity).where(Activity.group_id == group_id))}
            for row in self.s.exec(select(Attendance).join(Activity).where(Activity.group_id == group_id)):
                self.attendance[(row.activity_id, row.org_id)] = row
        return self.activities[group_id].get((title, _instant(starts_at)))


def _instant(moment):
    """A time as naive UTC, to compare stored times (naive UTC on SQLite) with typed ones."""
    if moment is not None and moment.tzinfo is not None:
        return moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


def _activities(actor: Actor, s: Session, names: Names, table: Table, plan: Plan, progress) -> None:
    activities: dict[tuple, dict] = {}   # natural key -> {"row", "data", "stored"}
    attendance_seen: dict[tuple, int] = {}
    stored_rows = StoredActivities(s)
    for number, row, check in _checked_rows(plan, table, progress):
        group = _allowed_group(actor, Action.edit_activity, check, names, row)
        if group is None:
            continue
        starts = check.cell("starts_at", to_datetime, row.get("starts_at"))
        ends = check.cell("ends_at", to_datetime, row.get("ends_at"))
        site_id = check.cell("site", names.site_id, row.get("site"), group.country)
        if check.failed:
            continue
        title = to_text(row.get("title")).strip()
        key = (group.id, _key(title), starts)
        values = activity_writes._localised(s, group.id, {
            "group_id": group.id, "kind": to_text(row.get("kind")), "title": title, "starts_at": starts, "ends_at": ends,
            "site_id": site_id, "place": to_text(row.get("place")),
            "status": to_text(row.get("status")) or ActivityStatus.scheduled.value,
            "summary": to_text(row.get("summary")), "outcomes": to_text(row.get("outcomes"))})
        if key in activities:
            first = activities[key]
            if first["data"] is not None and any(
                    getattr(first["data"], f) != values[f] for f in ACTIVITY_FIELDS if row.get(_column(f)) is not None):
                check.fail("title", _("This activity's details differ from row {row}; repeat them exactly on each attendance row.")
                           .format(row=first["row"]))
                continue
        else:
            data = check.model(ActivityCreate, values)
            if data is None:
                activities[key] = {"row": number, "data": None}
                continue
            try:
                activity_writes._check_links(s, data)
                _held_rules(data)
            except ValidationFailed as error:
                check.domain(error)
                activities[key] = {"row": number, "data": None}
                continue
            stored = stored_rows.activity(group.id, data.title, data.starts_at)
            activities[key] = {"row": number, "data": data, "stored": stored}
            _plan_activity(actor, plan, number, key, data, stored)
        if row.get("organisation") is None:
            continue
        entry = activities[key]
        org_id = check.cell("organisation", names.org_id, row.get("organisation"), optional=False)
        if org_id is None or entry["data"] is None:
            continue
        if (key, org_id) in attendance_seen:
            check.fail("organisation", _("This organisation's attendance is already in row {row}.")
                       .format(row=attendance_seen[(key, org_id)]))
            continue
        attendance_seen[(key, org_id)] = number
        counts = {c: check.cell(c, to_int, row.get(c)) for c in ("participants", "women")}
        flags = {"invited": check.cell("invited", to_bool, row.get("invited"), True),
                 "attended": check.cell("attended", to_bool, row.get("attended"))}
        if check.failed:
            continue
        if flags["attended"] and counts["participants"] == 0:
            check.fail("participants", _("An organisation that attended had at least one participant."))
            continue
        stored_activity = entry["stored"]
        data = check.model(AttendanceCreate, {"activity_id": stored_activity.id if stored_activity else 0, "org_id": org_id,
                                              **flags, **counts})
        if data is not None:
            _plan_attendance(actor, stored_rows, plan, number, key, data, stored_activity, entry["data"].group_id)


def _column(field: str) -> str:
    return {"site_id": "site"}.get(field, field)


def _held_rules(data: ActivityCreate) -> None:
    if data.status == ActivityStatus.held:
        activity_writes.check_held(data.starts_at, data.outcomes)


def _plan_activity(actor: Actor, plan: Plan, number: int, key: tuple, data: ActivityCreate, stored: Activity | None) -> None:
    new = data.model_dump()
    new["kind"], new["status"] = str(data.kind), str(data.status)
    if stored is None:
        plan.steps.append(Step("", number, "activity", "create", inserts=(Insert(
            Activity, lambda ids: new, key=("activity", key),
            check=lambda: authorize(actor, Action.edit_activity, group_id=new["group_id"])),)))
        return
    changes = {f: new[f] for f in ACTIVITY_FIELDS if getattr(stored, f) != new[f]}
    if not changes:
        plan.steps.append(Step("", number, "activity", "unchanged"))
        return

    def update(session: Session, _ctx: dict, record_id=stored.id, version=stored.version):
        authorize(actor, Action.edit_activity, group_id=stored.group_id)
        versioned_update(session, Activity, record_id, version, changes)
    plan.steps.append(Step("", number, "activity", "update", update))


ATTENDANCE_FIELDS = ("invited", "attended", "participants", "women")


def _plan_attendance(actor: Actor, stored_rows: StoredActivities, plan: Plan, number: int, key: tuple,
                     data: AttendanceCreate, activity: Activity | None, group_id: int) -> None:
    stored = stored_rows.attendance.get((activity.id, data.org_id)) if activity is not None else None
    new = {f: getattr(data, f) for f in ATTENDANCE_FIELDS}
    if stored is not None and all(getattr(stored, f) == new[f] for f in ATTENDANCE_FIELDS):
        plan.steps.append(Step("", number, "attendance", "unchanged"))
        return

    if stored is None:
        def columns(ids):
            activity_id = activity.id if activity is not None else ids[("activity", key)]
            return {"activity_id": activity_id, "org_id": data.org_id, **new}
        plan.steps.append(Step("", number, "attendance", "create", inserts=(Insert(
            Attendance, columns, check=lambda: authorize(actor, Action.edit_activity, group_id=group_id)),)))
        return

    def write(session: Session, _ctx: dict, stored_id=stored.id):
        authorize(actor, Action.edit_activity, group_id=group_id)
        versioned_update(session, Attendance, stored_id, None, new)
    plan.steps.append(Step("", number, "attendance", "update", write))


# --------------------------------------------------------------------------- issues


ISSUE_FIELDS = ("site_id", "title", "description", "category", "raiser_pillar", "raiser_org_id", "raiser_name",
                "anonymous", "channel", "severity", "violence_risk", "security_actor", "owner_org_id", "confidential")


def _issues(actor: Actor, s: Session, names: Names, table: Table, plan: Plan, progress) -> None:
    next_numbers: dict[tuple[str, int], int] = {}
    case_numbers: dict[str, int] = {}
    for number, row, check in _checked_rows(plan, table, progress):
        group = _allowed_group(actor, Action.edit_issue, check, names, row)
        if group is None:
            continue
        values = {"group_id": group.id, "title": to_text(row.get("title")), "description": to_text(row.get("description")),
                  "category": to_text(row.get("category")), "raiser_pillar": to_text(row.get("raiser_pillar")),
                  "raiser_name": to_text(row.get("raiser_name")), "channel": to_text(row.get("channel")),
                  "severity": to_text(row.get("severity")),
                  "security_actor": to_text(row.get("security_actor")) or "none"}
        values["site_id"] = check.cell("site", names.site_id, row.get("site"), group.country)
        values["raiser_org_id"] = check.cell("raiser_organisation", names.org_id, row.get("raiser_organisation"))
        values["owner_org_id"] = check.cell("owner_organisation", names.org_id, row.get("owner_organisation"))
        values["raised_on"] = check.cell("raised_on", to_date, row.get("raised_on"))
        for flag in ("anonymous", "violence_risk", "confidential"):
            values[flag] = check.cell(flag, to_bool, row.get(flag))
        data = check.model(IssueCreate, values)
        if data is None or check.failed:
            continue
        case = to_text(row.get("case_number")).strip().upper()
        status = to_text(row.get("status")).strip()
        note = to_text(row.get("note"))
        if case:
            if case in case_numbers:
                check.fail("case_number", _("The same case number is already in row {row}.").format(row=case_numbers[case]))
                continue
            case_numbers[case] = number
            stored = s.exec(select(Issue).where(Issue.case_number == case)).first()
            if stored is None or stored.retired:
                check.fail("case_number", _("No issue has the case number {case}; leave it blank for a new issue.").format(case=case))
                continue
            if stored.group_id != group.id:
                check.fail("group", _("Issue {case} belongs to another working group; an import does not move issues.").format(case=case))
                continue
            _plan_issue_update(actor, plan, check, number, data, stored, status, note)
            continue
        try:
            issue_writes.check_new_issue(data)
        except ValidationFailed as error:
            check.domain(error)
            continue
        if status and status != IssueStatus.received.value:
            check.fail("status", _("A new issue starts as received; change its status after it is logged."))
            continue
        year_key = (group.country, data.raised_on.year)
        if year_key not in next_numbers:
            next_numbers[year_key] = issue_writes.next_case_seq(s, group.country, data.raised_on.year)
        case_number = issue_writes.case_number(group.country, data.raised_on.year, next_numbers[year_key])
        next_numbers[year_key] += 1
        acknowledge_by, resolve_by = issue_writes.targets(data.severity, data.raised_on)

        issue = {**data.model_dump(), "case_number": case_number, "status": IssueStatus.received.value,
                 "acknowledge_by": acknowledge_by, "resolve_by": resolve_by}
        first_update = {"on_date": data.raised_on, "user_id": actor.id, "from_status": None,
                        "to_status": IssueStatus.received.value, "note": "", "raiser_informed": False}
        plan.steps.append(Step("", number, "issue", "create", inserts=(
            Insert(Issue, lambda ids, issue=issue: issue, key=("issue", case_number),
                   check=lambda group_id=data.group_id: authorize(actor, Action.edit_issue, group_id=group_id)),
            Insert(IssueUpdate, lambda ids, case_number=case_number, first_update=first_update:
                   {**first_update, "issue_id": ids[("issue", case_number)]}))))



def status_change(stored: Issue, target: str, note: str, on_date=None) -> dict[str, Any]:
    """The issue's changed columns for a move to `target`, by the rules of
    db/writes/issues.change_status (transitions from db/vocab.ISSUE_TRANSITIONS)."""
    change = validated(issue_writes.StatusChange, {"to_status": target, "note": note, "on_date": on_date or today()})
    if change.on_date > today():
        raise ValidationFailed({"on_date": _("The date of the change cannot be in the future.")})
    return issue_writes.status_changes(stored, change)


def issue_status_step(actor: Actor, stored: Issue, changes: dict[str, Any], note: str, raiser_informed: bool,
                      on_date, version: int | None = None):
    """A step writing a status change (and its issue update) or other changes to a stored issue."""
    issue_id, group_id, current = stored.id, stored.group_id, stored.status
    expected = stored.version if version is None else version

    def run(session: Session, _ctx: dict):
        authorize(actor, Action.edit_issue, group_id=group_id)
        versioned_update(session, Issue, issue_id, expected, changes)
        if "status" in changes:
            session.add(IssueUpdate(issue_id=issue_id, on_date=on_date or today(), user_id=actor.id, from_status=current,
                                    to_status=changes["status"], note=note, raiser_informed=raiser_informed))
    return run


def _plan_issue_update(actor: Actor, plan: Plan, check: RowChecker, number: int, data: IssueCreate, stored: Issue,
                       status: str, note: str) -> None:
    new = data.model_dump()
    changes = {f: _plain(new[f]) for f in ISSUE_FIELDS if getattr(stored, f) != _plain(new[f])}
    if data.raised_on != stored.raised_on:
        check.fail("raised_on", _("The date raised of a stored issue is not changed by an import."))
        return
    if status and status != stored.status:
        try:
            changes.update(status_change(stored, status, note))
        except ValidationFailed as error:
            check.domain(error)
            return
    if not changes:
        plan.steps.append(Step("", number, "issue", "unchanged"))
        return
    plan.steps.append(Step("", number, "issue", "update", issue_status_step(actor, stored, changes, note, False, today())))


def _plain(value):
    return value.value if hasattr(value, "value") else value


# --------------------------------------------------------------------------- contributions


def _contributions(actor: Actor, s: Session, names: Names, table: Table, plan: Plan, progress) -> None:
    seen: dict[tuple, int] = {}
    for number, row, check in _checked_rows(plan, table, progress):
        fund = check.cell("fund", names.fund, row.get("fund"))
        contributor = check.cell("contributor", names.org_id, row.get("contributor"), optional=False)
        received_on = check.cell("received_on", to_date, row.get("received_on"))
        flags = {f: check.cell(f, to_bool, row.get(f)) for f in ("earmarked", "published")}
        if check.failed:
            continue
        if not check.allowed(actor, Action.edit_contribution, group_id=fund.group_id, company_id=contributor,
                             column="fund" if company_scope(actor, Action.edit_contribution).everything else "contributor"):
            continue
        form = check.model(funding_writes.ContributionCreate, {
            "fund_id": fund.id, "contributor_org_id": contributor, "kind": to_text(row.get("kind")) or "financial",
            "amount": to_amount_text(row.get("amount")), "currency": to_text(row.get("currency")),
            "description": to_text(row.get("description")), "received_on": received_on,
            "earmark_purpose": to_text(row.get("earmark_purpose")), **flags})
        if form is None:
            continue
        amount = form.exact_amount
        try:  # the same rate checks as db/writes/funding.record_contribution
            if form.currency != fund.currency:
                funding_writes._in_fund_currency(s, amount, form.currency, form.received_on, fund, "currency")
            if form.currency != REPORTING_CURRENCY:
                gap = funding_writes.RateBook.load(s, {form.currency}).try_convert(amount, form.currency, form.received_on)[1]
                if gap:
                    raise ValidationFailed({"currency": gap.message() + " " + _("Add the rate under Exchange rates first.")})
        except ValidationFailed as error:
            check.domain(error)
            continue
        minor = to_minor(amount, form.currency)
        key = (fund.id, contributor, form.received_on, minor, form.currency)
        if key in seen:
            check.fail("amount", _("The same contribution is already in row {row}.").format(row=seen[key]))
            continue
        seen[key] = number
        stored = s.exec(select(Contribution).where(
            Contribution.fund_id == fund.id, Contribution.contributor_org_id == contributor,
            Contribution.received_on == form.received_on, Contribution.amount_minor == minor,
            Contribution.currency == form.currency, Contribution.retired == False)).first()  # noqa: E712
        if stored is not None:
            plan.steps.append(Step("", number, "contribution", "unchanged"))
            continue

        columns = {"fund_id": form.fund_id, "contributor_org_id": form.contributor_org_id, "kind": form.kind.value,
                   "amount_minor": minor, "currency": form.currency, "description": form.description,
                   "received_on": form.received_on, "earmarked": form.earmarked,
                   "earmark_purpose": form.earmark_purpose, "published": form.published,
                   "recorded_by_user_id": actor.id}
        plan.steps.append(Step("", number, "contribution", "create", inserts=(Insert(
            Contribution, lambda ids, columns=columns: columns,
            check=lambda group_id=fund.group_id, company_id=form.contributor_org_id: authorize(
                actor, Action.edit_contribution, group_id=group_id, company_id=company_id)),)))


# --------------------------------------------------------------------------- exchange rates


def _exchange_rates(actor: Actor, s: Session, names: Names, table: Table, plan: Plan, progress) -> None:
    """Each row through the rate form's model (db/writes/funding.RateCreate); a stored rate for
    the same currency and date is updated, as save_exchange_rate does."""
    stored = {(r.currency, r.rate_date): r for r in s.exec(select(ExchangeRate))}
    seen: dict[tuple, int] = {}
    for number, row, check in _checked_rows(plan, table, progress):
        if not check.allowed(actor, Action.edit_exchange_rate, column="currency"):
            continue
        rate_date = check.cell("date", to_date, row.get("date"))
        form = check.model(funding_writes.RateCreate, {"currency": to_text(row.get("currency")), "rate_date": rate_date,
                                                       "rate": to_amount_text(row.get("rate"))})
        if form is None or check.failed:
            continue
        key = (form.currency, form.rate_date)
        if key in seen:
            check.fail("date", _("The rate for this currency and date is already in row {row}.").format(row=seen[key]))
            continue
        seen[key] = number
        rate, found = Decimal(form.rate), stored.get(key)
        if found is None:
            plan.steps.append(Step("", number, "exchange_rate", "create", inserts=(Insert(
                ExchangeRate, lambda ids, key=key, rate=rate: {"currency": key[0], "rate_date": key[1], "rate": rate},
                check=lambda: authorize(actor, Action.edit_exchange_rate)),)))
        elif Decimal(found.rate) == rate:
            plan.steps.append(Step("", number, "exchange_rate", "unchanged"))
        else:
            def update(session: Session, _ctx: dict, record_id=found.id, rate=rate):
                authorize(actor, Action.edit_exchange_rate)
                versioned_update(session, ExchangeRate, record_id, None, {"rate": rate})
            plan.steps.append(Step("", number, "exchange_rate", "update", update))
