"""The offline round trip: a coordinator downloads a workbook of one working group (members,
upcoming activities with their attendance, open commitments and open issues, each row with
its id and version), fills it in without a connection, and uploads it back.

On upload every changed row is validated with the write layer's models and rules (issue
status changes follow db/vocab.ISSUE_TRANSITIONS) and planned like any import. A row whose
record someone changed since the workbook was made (its stored version differs) is a
CONFLICT: it is listed with your value beside the stored one and never written. The other
changes apply, in one transaction with one audit entry, only after the coordinator confirms.

Confidential issues show what the Issues page shows the same person (db/reads/issues.redacted)."""
from __future__ import annotations

import hashlib
import io
from datetime import date, datetime, timedelta
from typing import Any

import openpyxl
import sqlalchemy as sa
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from sqlmodel import Session, select

from db.engine import read_only_session, session_scope
from db.errors import PermissionDenied, ValidationFailed
from db.exports import neutralise
from db.imports.apply import Conflict, Insert, Plan, Step, versioned_update
from db.imports.parse import (
    FileRefused,
    RowError,
    Table,
    open_workbook,
    read_sheet,
    to_bool,
    to_date,
    to_datetime,
    to_int,
    to_text,
)
from db.imports.validate import ACTIVITY_FIELDS, RowChecker, _held_rules, issue_status_step, status_change
from db.models import (
    Activity,
    ActivityCreate,
    Attendance,
    AttendanceCreate,
    Commitment,
    Issue,
    Membership,
    Organisation,
    WorkingGroup,
)
from db.periods import today
from db.permissions import Action, Actor, authorize, can
from db.reads.activities import local
from db.reads.issues import redacted
from db.reads.scope import day_start
from db.vocab import ActivityKind, ActivityStatus, CommitmentStatus, IssueStatus, values
from db.writes import activities as activity_writes
from i18n import _

ABOUT, MEMBERS, ACTIVITIES, ATTENDANCE, COMMITMENTS, ISSUES = (
    "about", "members", "activities", "attendance", "commitments", "issues")
RECENT_DAYS = 30  # activities that started this recently stay in the workbook, to record attendance

ACTIVITY_COLUMNS = ["id", "version", "title", "kind", "starts_at", "ends_at", "status", "place", "summary", "outcomes"]
ATTENDANCE_COLUMNS = ["activity_id", "activity", "organisation", "version", "invited", "attended", "participants", "women"]
COMMITMENT_COLUMNS = ["id", "version", "description", "owner", "due_on", "status", "done_on"]
ISSUE_COLUMNS = ["id", "version", "case_number", "title", "category", "severity", "status", "new_status", "note",
                 "raiser_informed", "on_date"]


def text(value: Any) -> str:
    """A cell as the text the workbook shows and comparisons use."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def fingerprint(*parts: Any) -> str:
    """A version for rows that have none (attendance): changes whenever a stored value does."""
    return hashlib.sha1("|".join(text(p) for p in parts).encode()).hexdigest()[:10]


# --------------------------------------------------------------------------- download


def _group_for(actor: Actor, s: Session, group_id: int) -> WorkingGroup:
    if not can(actor, Action.import_data):
        raise PermissionDenied(_("Your role may not import data."))
    authorize(actor, Action.edit_activity, group_id=group_id)
    group = s.get(WorkingGroup, group_id)
    if group is None:
        raise ValidationFailed({"group": _("That working group does not exist.")})
    return group


def _upcoming(s: Session, group: WorkingGroup) -> list[Activity]:
    since = day_start(today() - timedelta(days=RECENT_DAYS))
    return list(s.exec(select(Activity).where(
        Activity.group_id == group.id, Activity.starts_at >= since,
        Activity.status.in_([ActivityStatus.scheduled.value, ActivityStatus.postponed.value, ActivityStatus.held.value]))
        .order_by(Activity.starts_at)).all())


def group_sheets(actor: Actor, group_id: int) -> dict[str, list[list[Any]]]:
    """The workbook's sheets as rows (header first), read with the actor's rights."""
    with session_scope() as s:
        group = _group_for(actor, s, group_id)
        members = s.execute(select(Organisation.name, Organisation.kind, Membership.role, Membership.since)
                            .join(Organisation, Organisation.id == Membership.org_id)
                            .where(Membership.group_id == group.id,
                                   sa.or_(Membership.until.is_(None), Membership.until >= today()))
                            .order_by(Organisation.name)).all()
        activities = _upcoming(s, group)
        names = dict(s.execute(select(Organisation.id, Organisation.name)).all())
        attendance = {(a.activity_id, a.org_id): a for a in s.exec(select(Attendance).where(
            Attendance.activity_id.in_([a.id for a in activities] or [-1])))}
        member_ids = [oid for oid, in s.execute(select(Membership.org_id).where(
            Membership.group_id == group.id, sa.or_(Membership.until.is_(None), Membership.until >= today())))]
        commitments = s.exec(select(Commitment).where(
            Commitment.group_id == group.id,
            Commitment.status.in_([CommitmentStatus.open.value, CommitmentStatus.in_progress.value]))
            .order_by(Commitment.due_on)).all()
        issues = s.execute(select(Issue.id, Issue.version, Issue.case_number, redacted(actor, Issue.title, "title"),
                                  Issue.category, Issue.severity, Issue.status)
                           .where(Issue.group_id == group.id, Issue.retired == False,  # noqa: E712
                                  Issue.status != IssueStatus.closed.value)
                           .order_by(Issue.raised_on)).all()
    zone = group.timezone
    sheets: dict[str, list[list[Any]]] = {
        ABOUT: [[_("Working group"), group.name], ["group_id", group.id],
                [_("Made on"), today().isoformat()],
                [_("How to use"), _("Change the white columns offline and upload the workbook under Data entry, Import. "
                                    "Keep the id and version columns as they are; add new activities as rows without an id.")],
                [_("Conflicts"), _("Rows changed by someone else since this workbook was made are listed as conflicts and "
                                   "not written; the other changes apply once you confirm.")]],
        MEMBERS: [["organisation", "kind", "role", "since"]] + [[n, k, r, text(d)] for n, k, r, d in members],
        ACTIVITIES: [ACTIVITY_COLUMNS] + [[a.id, a.version, a.title, a.kind, text(local(a.starts_at, zone)),
                                           text(local(a.ends_at, zone)), a.status, a.place, a.summary, a.outcomes]
                                          for a in activities],
        ATTENDANCE: [ATTENDANCE_COLUMNS],
        COMMITMENTS: [COMMITMENT_COLUMNS] + [[c.id, c.version, c.description, names.get(c.owner_org_id, ""),
                                              text(c.due_on), c.status, text(c.done_on)] for c in commitments],
        ISSUES: [ISSUE_COLUMNS] + [[i.id, i.version, i.case_number, i.title, i.category, i.severity, i.status,
                                    "", "", "no", ""] for i in issues],
    }
    for activity in activities:
        org_ids = sorted(set(member_ids) | {o for (a, o) in attendance if a == activity.id}, key=lambda o: names[o])
        for org_id in org_ids:
            stored = attendance.get((activity.id, org_id))
            flags = _attendance_values(stored)
            sheets[ATTENDANCE].append([activity.id, activity.title, names[org_id], _attendance_version(stored),
                                       *[text(flags[f]) for f in ("invited", "attended", "participants", "women")]])
    return sheets


def _attendance_values(stored: Attendance | None) -> dict[str, Any]:
    if stored is None:
        return {"invited": True, "attended": False, "participants": 0, "women": 0}
    return {f: getattr(stored, f) for f in ("invited", "attended", "participants", "women")}


def _attendance_version(stored: Attendance | None) -> str:
    values_ = _attendance_values(stored)
    return "new" if stored is None else fingerprint(*values_.values())


LOCKED = PatternFill("solid", fgColor="EEEEEE")
EDITABLE = {ACTIVITIES: set(ACTIVITY_COLUMNS) - {"id", "version"},
            ATTENDANCE: {"invited", "attended", "participants", "women"},
            COMMITMENTS: {"status", "done_on", "due_on"},
            ISSUES: {"new_status", "note", "raiser_informed", "on_date"}}
CHOICES = {(ACTIVITIES, "kind"): values(ActivityKind), (ACTIVITIES, "status"): values(ActivityStatus),
           (COMMITMENTS, "status"): values(CommitmentStatus), (ISSUES, "new_status"): values(IssueStatus),
           (ATTENDANCE, "invited"): ["yes", "no"], (ATTENDANCE, "attended"): ["yes", "no"],
           (ISSUES, "raiser_informed"): ["yes", "no"]}


def group_workbook(actor: Actor, group_id: int) -> bytes:
    """The offline workbook as .xlsx bytes (text that looks like a formula is neutralised)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in group_sheets(actor, group_id).items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append([neutralise(v) for v in row])
        if name == ABOUT:
            sheet.column_dimensions["B"].width = 90
            continue
        header = rows[0]
        for index, column in enumerate(header, start=1):
            cell = sheet.cell(1, index)
            cell.font = Font(bold=True)
            letter = cell.column_letter
            sheet.column_dimensions[letter].width = 14 if column in ("id", "version") else 24
            if column not in EDITABLE.get(name, set()):
                for r in range(2, len(rows) + 1):
                    sheet.cell(r, index).fill = LOCKED
            choices = CHOICES.get((name, column))
            if choices:
                rule = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
                sheet.add_data_validation(rule)
                rule.add(f"{letter}2:{letter}{max(len(rows), 1) + 200}")
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------- upload


def plan_workbook(actor: Actor, filename: str, data: bytes, progress=None) -> Plan:
    """Validate an uploaded offline workbook: errors, conflicts and the writes to make."""
    book = open_workbook(data)
    missing = [n for n in (ABOUT, ACTIVITIES, ATTENDANCE, COMMITMENTS, ISSUES) if n not in book.sheetnames]
    if missing:
        raise FileRefused([RowError(None, "", _("This is not an offline workbook: the sheet {sheet} is missing.")
                                    .format(sheet=missing[0]))])
    about = {to_text(r[0]): r[1] for r in book[ABOUT].iter_rows(max_col=2, values_only=True) if r and r[0] is not None}
    try:
        group_id = int(about.get("group_id"))
    except (TypeError, ValueError):
        raise FileRefused([RowError(2, "group_id", _("The about sheet no longer names its working group."), ABOUT)]) from None
    plan = Plan(source=filename, audit_table="working_group", audit_row=group_id)
    tables = {name: read_sheet(book, name) for name in (ACTIVITIES, ATTENDANCE, COMMITMENTS, ISSUES)}
    total = sum(len(t.rows) for t in tables.values()) or 1
    with read_only_session() as s:  # reads only: others keep saving while the workbook is checked
        group = _group_for(actor, s, group_id)
        orgs = {to_text(n).casefold(): i for i, n in s.execute(select(Organisation.id, Organisation.name))}
        done = 0
        for name, planner in ((ACTIVITIES, _activities), (ATTENDANCE, _attendance), (COMMITMENTS, _commitments),
                              (ISSUES, _issues)):
            planner(actor, s, group, orgs, tables[name], plan)
            done += len(tables[name].rows)
            if progress:
                progress(done / total, _("Checked {done} of {total} rows").format(done=done, total=total))
    if plan.errors:
        plan.steps.clear()
    return plan


def _changed(row: dict, current: dict[str, Any], columns) -> dict[str, tuple[str, str]]:
    """{column: (your value, stored value)} where the sheet differs from what is stored now."""
    return {c: (text(row.get(c)), text(current[c])) for c in columns if text(row.get(c)) != text(current[c])}


def _conflict(plan: Plan, sheet: str, number: int, record: str, changed: dict[str, tuple[str, str]]) -> None:
    plan.conflict_rows.add((sheet, number))
    for column, (yours, stored) in changed.items():
        plan.conflicts.append(Conflict(sheet, number, record, column, yours, stored))


def _version(check: RowChecker, row: dict) -> int | None:
    return check.cell("version", to_int, row.get("version"), None)


def _activities(actor: Actor, s: Session, group: WorkingGroup, orgs, table: Table, plan: Plan) -> None:
    editable = [c for c in ACTIVITY_COLUMNS if c not in ("id", "version")]
    for number, row in table.rows:
        check = RowChecker(plan, number, ACTIVITIES)
        record_id = check.cell("id", to_int, row.get("id"), None)
        if check.failed:
            continue
        stored = s.get(Activity, record_id) if record_id is not None else None
        if record_id is not None and (stored is None or stored.group_id != group.id):
            check.fail("id", _("No activity of this working group has this id; leave the id blank for a new activity."))
            continue
        starts = check.cell("starts_at", to_datetime, row.get("starts_at"))
        ends = check.cell("ends_at", to_datetime, row.get("ends_at"))
        if check.failed:
            continue
        sheet_values = {"group_id": group.id, "title": to_text(row.get("title")), "kind": to_text(row.get("kind")),
                        "starts_at": starts, "ends_at": ends,
                        "status": to_text(row.get("status")) or ActivityStatus.scheduled.value,
                        "place": to_text(row.get("place")), "summary": to_text(row.get("summary")),
                        "outcomes": to_text(row.get("outcomes"))}
        if stored is not None:
            current = {c: getattr(stored, c) for c in editable}
            current["starts_at"], current["ends_at"] = local(stored.starts_at, group.timezone), local(stored.ends_at, group.timezone)
            changed = _changed({**row, "starts_at": starts, "ends_at": ends, "status": sheet_values["status"]}, current, editable)
            if not changed:
                plan.steps.append(Step(ACTIVITIES, number, "activity", "unchanged"))
                continue
            version = _version(check, row)
            if version != stored.version:
                _conflict(plan, ACTIVITIES, number, stored.title, changed)
                continue
        values_ = activity_writes._localised(s, group.id, {**sheet_values, "site_id": stored.site_id if stored else None,
                                                            "work_plan_item_id": stored.work_plan_item_id if stored else None})
        data = check.model(ActivityCreate, values_)
        if data is None:
            continue
        try:
            _held_rules(data)
        except ValidationFailed as error:
            check.domain(error)
            continue
        new = {**data.model_dump(), "kind": str(data.kind), "status": str(data.status)}
        if stored is None:
            plan.steps.append(Step(ACTIVITIES, number, "activity", "create", inserts=(Insert(
                Activity, lambda ids, new=new: new,
                check=lambda: authorize(actor, Action.edit_activity, group_id=group.id)),)))
            continue
        changes = {f: new[f] for f in ("title", "starts_at", *ACTIVITY_FIELDS) if f in new and f != "site_id"}

        def update(session: Session, _ctx: dict, record_id=stored.id, version=stored.version, changes=changes):
            authorize(actor, Action.edit_activity, group_id=group.id)
            versioned_update(session, Activity, record_id, version, changes)
        plan.steps.append(Step(ACTIVITIES, number, "activity", "update", update))


def _attendance(actor: Actor, s: Session, group: WorkingGroup, orgs, table: Table, plan: Plan) -> None:
    fields = ("invited", "attended", "participants", "women")
    for number, row in table.rows:
        check = RowChecker(plan, number, ATTENDANCE)
        activity_id = check.cell("activity_id", to_int, row.get("activity_id"), None)
        org_id = orgs.get(to_text(row.get("organisation")).casefold())
        if org_id is None:
            check.fail("organisation", _("No organisation is called {name}.").format(name=to_text(row.get("organisation"))))
        activity = s.get(Activity, activity_id) if activity_id is not None else None
        if activity is None or activity.group_id != group.id:
            check.fail("activity_id", _("No activity of this working group has this id."))
        if check.failed:
            continue
        stored = s.exec(select(Attendance).where(Attendance.activity_id == activity.id, Attendance.org_id == org_id)).first()
        current = _attendance_values(stored)
        values_ = {"invited": check.cell("invited", to_bool, row.get("invited"), True),
                   "attended": check.cell("attended", to_bool, row.get("attended")),
                   "participants": check.cell("participants", to_int, row.get("participants")),
                   "women": check.cell("women", to_int, row.get("women"))}
        if check.failed:
            continue
        changed = _changed(values_, current, fields)
        if not changed:
            plan.steps.append(Step(ATTENDANCE, number, "attendance", "unchanged"))
            continue
        if text(row.get("version")) != _attendance_version(stored):
            _conflict(plan, ATTENDANCE, number, f"{activity.title} / {to_text(row.get('organisation'))}", changed)
            continue
        if values_["attended"] and values_["participants"] == 0:
            check.fail("participants", _("An organisation that attended had at least one participant."))
            continue
        data = check.model(AttendanceCreate, {"activity_id": activity.id, "org_id": org_id, **values_})
        if data is None:
            continue

        new = {f: getattr(data, f) for f in fields}
        if stored is None:
            plan.steps.append(Step(ATTENDANCE, number, "attendance", "create", inserts=(Insert(
                Attendance, lambda ids, data=data, new=new: {"activity_id": data.activity_id, "org_id": data.org_id, **new},
                check=lambda: authorize(actor, Action.edit_activity, group_id=group.id)),)))
            continue

        def write(session: Session, _ctx: dict, stored_id=stored.id, new=new):
            authorize(actor, Action.edit_activity, group_id=group.id)
            versioned_update(session, Attendance, stored_id, None, new)
        plan.steps.append(Step(ATTENDANCE, number, "attendance", "update", write))


def _commitments(actor: Actor, s: Session, group: WorkingGroup, orgs, table: Table, plan: Plan) -> None:
    fields = ("due_on", "status", "done_on")
    for number, row in table.rows:
        check = RowChecker(plan, number, COMMITMENTS)
        record_id = check.cell("id", to_int, row.get("id"), None)
        stored = s.get(Commitment, record_id) if record_id is not None else None
        if stored is None or stored.group_id != group.id:
            check.fail("id", _("No commitment of this working group has this id; add new commitments on the Commitments form."))
            continue
        due_on = check.cell("due_on", to_date, row.get("due_on"))
        done_on = check.cell("done_on", to_date, row.get("done_on"))
        status = to_text(row.get("status"))
        if check.failed:
            continue
        changed = _changed({"due_on": due_on, "status": status, "done_on": done_on},
                           {f: getattr(stored, f) for f in fields}, fields)
        if not changed:
            plan.steps.append(Step(COMMITMENTS, number, "commitment", "unchanged"))
            continue
        if _version(check, row) != stored.version:
            _conflict(plan, COMMITMENTS, number, stored.description[:60], changed)
            continue
        changes = _commitment_changes(check, stored, status, due_on, done_on)
        if changes is None:
            continue

        def update(session: Session, _ctx: dict, record_id=stored.id, version=stored.version, changes=changes):
            authorize(actor, Action.edit_commitment, group_id=group.id)
            versioned_update(session, Commitment, record_id, version, changes)
        plan.steps.append(Step(COMMITMENTS, number, "commitment", "update", update))


def _commitment_changes(check: RowChecker, stored: Commitment, status: str, due_on, done_on) -> dict | None:
    """The rules of db/writes/commitments.update_status: done needs its date (not in the
    future); leaving done drops the completion and its verification."""
    if status not in values(CommitmentStatus):
        check.fail("status", _("Choose a status from the list."))
        return None
    changes: dict[str, Any] = {"status": status, "due_on": due_on}
    if status == CommitmentStatus.done.value:
        if done_on is None:
            check.fail("done_on", _("Give the date the commitment was done."))
            return None
        if done_on > today():
            check.fail("done_on", _("The date it was done cannot be in the future."))
            return None
        changes["done_on"] = done_on
    else:
        changes.update(done_on=None, verified_by_org_id=None, verified_on=None)
    return changes


def _issues(actor: Actor, s: Session, group: WorkingGroup, orgs, table: Table, plan: Plan) -> None:
    for number, row in table.rows:
        check = RowChecker(plan, number, ISSUES)
        target = to_text(row.get("new_status"))
        if not target:
            plan.steps.append(Step(ISSUES, number, "issue", "unchanged"))
            continue
        record_id = check.cell("id", to_int, row.get("id"), None)
        stored = s.get(Issue, record_id) if record_id is not None else None
        if stored is None or stored.group_id != group.id or stored.retired:
            check.fail("id", _("No open issue of this working group has this id; log new issues on the Issues form."))
            continue
        if target == stored.status:
            plan.steps.append(Step(ISSUES, number, "issue", "unchanged"))
            continue
        if _version(check, row) != stored.version:
            _conflict(plan, ISSUES, number, stored.case_number, {"new_status": (target, stored.status)})
            continue
        on_date = check.cell("on_date", to_date, row.get("on_date"))
        informed = check.cell("raiser_informed", to_bool, row.get("raiser_informed"))
        if check.failed:
            continue
        note = to_text(row.get("note"))
        try:
            changes = status_change(stored, target, note, on_date)
        except ValidationFailed as error:
            check.domain(ValidationFailed({("new_status" if k == "to_status" else k): m for k, m in error.errors.items()}))
            continue
        plan.steps.append(Step(ISSUES, number, "issue", "update",
                               issue_status_step(actor, stored, changes, note, informed, on_date or today())))
