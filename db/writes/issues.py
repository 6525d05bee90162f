"""Writes for issues: log one (with its case number and response-time targets), change its
status along db/vocab.ISSUE_TRANSITIONS (each change kept as an issue update), record the
outcome, link an activity, create a commitment from it, retire it (issues are never deleted).

Every write goes through db/writes/base.py: permission for the issue's group (coordinators:
their own groups), the audit entry in the same transaction, optimistic versions on updates."""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from pydantic import Field
from sqlmodel import Session, select

from db import audit
from db.engine import session_scope
from db.errors import NotFound, ValidationFailed
from db.models import (
    Activity,
    CleanText,
    Issue,
    IssueActivity,
    IssueChanges,
    IssueCreate,
    IssueUpdate,
    Organisation,
    Site,
    WorkingGroup,
)
from db.periods import today
from db.permissions import Action, Actor, authorize
from db.vocab import (
    CLOSE_WITHOUT_RESOLUTION_NEEDS_NOTE,
    ISSUE_TRANSITIONS,
    NOTE_MAX,
    RESPONSE_DAYS,
    TEXT_MAX,
    AuditAction,
    IssueStatus,
    Referral,
    Satisfaction,
    Severity,
    label,
)
from db.writes.base import create_record, update_record, validated
from i18n import _

CASE_NUMBER = re.compile(r"^(?P<prefix>[A-Z]{2})-(?P<year>\d{4})-(?P<seq>\d+)$")  # and older, shorter ones
CASE_DIGITS = 5  # every new case number, from the form, an import or the demo: GH-2026-00042


def case_number(country: str, year: int, seq: int) -> str:
    return f"{country.upper()}-{year}-{seq:0{CASE_DIGITS}d}"


class StatusChange(CleanText):
    to_status: IssueStatus
    note: str = Field(default="", max_length=NOTE_MAX)
    raiser_informed: bool = False
    on_date: date


class IssueOutcome(CleanText):
    """What changed for the people who raised the issue (closed is not the same as remedied)."""
    outcome: str = Field(default="", max_length=TEXT_MAX)
    remedy: str = Field(default="", max_length=TEXT_MAX)
    referral: Referral = Referral.none
    satisfaction: Satisfaction = Satisfaction.unknown


def targets(severity: str, raised_on: date) -> tuple[date, date]:
    """Acknowledge-by and resolve-by dates from db/vocab.RESPONSE_DAYS."""
    acknowledge, resolve = RESPONSE_DAYS[Severity(severity)]
    return raised_on + timedelta(days=acknowledge), raised_on + timedelta(days=resolve)


def next_case_seq(s: Session, country: str, year: int) -> int:
    """The next free sequence number for a group's country and year. Numbers issued by an
    earlier release with fewer digits are kept as they are (people quote them) and counted."""
    prefix = f"{country.upper()}-{year}-"
    taken = s.exec(select(Issue.case_number).where(Issue.case_number.startswith(prefix))).all()
    return 1 + max((int(m["seq"]) for m in map(CASE_NUMBER.match, taken) if m), default=0)


def check_new_issue(data: IssueCreate) -> None:
    """What a new issue needs beyond IssueCreate (the form's save and an import both ask)."""
    if data.raised_on > today():
        raise ValidationFailed({"raised_on": _("The date raised cannot be in the future.")})
    if not data.anonymous and not data.raiser_name and data.raiser_org_id is None:
        raise ValidationFailed({"raiser_name": _("Give the raiser's name or organisation, or tick anonymous.")})


def log_issue(actor: Actor, values_: dict[str, Any] | IssueCreate) -> Issue:
    """Log a new issue (anonymous allowed): the app gives it a case number and its response
    targets, and its timeline starts with "received". Returns the stored issue."""
    data = validated(IssueCreate, values_)
    check_new_issue(data)
    acknowledge_by, resolve_by = targets(data.severity, data.raised_on)
    for attempt in range(5):  # two people logging at once may take the same number: try the next
        try:
            with session_scope() as s:
                group = s.get(WorkingGroup, data.group_id)
                if group is None:
                    raise ValidationFailed({"group_id": _("Pick a working group.")})
                if data.site_id is not None and s.get(Site, data.site_id) is None:
                    raise ValidationFailed({"site_id": _("Pick a site from the list.")})
                for name in ("raiser_org_id", "owner_org_id"):
                    org_id = getattr(data, name)
                    if org_id is not None and s.get(Organisation, org_id) is None:
                        raise ValidationFailed({name: _("Pick an organisation from the list.")})
                issue = Issue(**data.model_dump(), case_number=case_number(group.country, data.raised_on.year,
                                                                next_case_seq(s, group.country, data.raised_on.year)),
                              status=IssueStatus.received.value, acknowledge_by=acknowledge_by,
                              resolve_by=resolve_by)

                def first_update(session: Session, stored: Issue) -> None:
                    _add_update(session, actor, stored.id, None, IssueStatus.received.value, "", False, data.raised_on)

                return create_record(actor, Action.edit_issue, issue, group_id=data.group_id,
                                     session=s, after_insert=first_update)
        except ValidationFailed as error:
            if "name" in error.errors and attempt < 4:  # unique case number taken meanwhile
                continue
            raise
    raise ValidationFailed({"form": _("Could not give this issue a case number; please save again.")})


def _add_update(s: Session, actor: Actor, issue_id: int, from_status: str | None, to_status: str,
                note: str, raiser_informed: bool, on_date: date) -> IssueUpdate:
    update = IssueUpdate(issue_id=issue_id, on_date=on_date, user_id=actor.id, from_status=from_status,
                         to_status=to_status, note=note, raiser_informed=raiser_informed)
    s.add(update)
    s.flush()
    audit.record(s, actor, AuditAction.create, IssueUpdate.__tablename__, update.id, after=audit.snapshot(update))
    return update


def allowed_next(status: str) -> list[str]:
    """The statuses an issue may move to from `status`, in the vocabulary's order."""
    nexts = ISSUE_TRANSITIONS[IssueStatus(status)]
    return [s.value for s in IssueStatus if s in nexts]


def status_changes(stored: Issue, change: "StatusChange") -> dict[str, Any]:
    """Check one status change against the allowed transitions and say which columns it sets.
    The issue form and the import (offline workbook) both go through here."""
    current, target = stored.status, change.to_status.value
    if target not in allowed_next(current):
        raise ValidationFailed({"to_status": _("An issue that is {current} cannot become {target}.")
                                .format(current=label(current), target=label(target))})
    if (target == IssueStatus.closed and current != IssueStatus.resolved
            and CLOSE_WITHOUT_RESOLUTION_NEEDS_NOTE and not change.note):
        raise ValidationFailed({"note": _("Give the reason for closing an issue that was not resolved.")})
    if change.on_date < stored.raised_on:
        raise ValidationFailed({"on_date": _("The change cannot come before the issue was raised.")})
    changes: dict[str, Any] = {"status": target}
    if target == IssueStatus.acknowledged:
        changes["acknowledged_on"] = change.on_date
    if target == IssueStatus.escalated:
        changes["escalated"] = True
    if target == IssueStatus.resolved:
        changes["resolved_on"] = change.on_date
    elif current == IssueStatus.resolved and target != IssueStatus.closed:
        changes["resolved_on"] = None  # reopened: no longer resolved
    if target == IssueStatus.closed:
        changes["closed_on"] = change.on_date
    return changes


def change_status(actor: Actor, issue_id: int, version: int | None, to_status: str, *, note: str = "",
                  raiser_informed: bool = False, on_date: date | None = None) -> Issue:
    """Move an issue along the allowed transitions, keeping the change as an issue update.
    Closing from anything but resolved needs a reason in the note; escalating sets the
    escalated flag; acknowledging and resolving record their dates."""
    change = validated(StatusChange, {"to_status": to_status, "note": note, "raiser_informed": raiser_informed,
                                      "on_date": on_date or today()})
    if change.on_date > today():
        raise ValidationFailed({"on_date": _("The date of the change cannot be in the future.")})
    with session_scope() as s:
        stored = s.get(Issue, issue_id)
        if stored is None or stored.retired:
            raise NotFound(_("That issue does not exist or has been retired."))
        authorize(actor, Action.edit_issue, group_id=stored.group_id)
        current, target = stored.status, change.to_status.value
        changes = status_changes(stored, change)
        updated = update_record(actor, Action.edit_issue, Issue, issue_id, version, IssueChanges(**changes), session=s)
        _add_update(s, actor, issue_id, current, target, change.note, change.raiser_informed, change.on_date)
        return updated


def record_outcome(actor: Actor, issue_id: int, version: int | None, outcome: IssueOutcome) -> Issue:
    """Record the outcome and remedy (what changed), the referral and whether the complainant
    is satisfied."""
    return update_record(actor, Action.edit_issue, Issue, issue_id, version, IssueChanges(**outcome.model_dump()))


def retire_issue(actor: Actor, issue_id: int, version: int | None) -> Issue:
    """Take an issue (logged by mistake, a duplicate) out of lists and figures; it is kept."""
    return update_record(actor, Action.edit_issue, Issue, issue_id, version, IssueChanges(retired=True))


def link_activity(actor: Actor, issue_id: int, activity_id: int | None) -> None:
    """Record that the issue was discussed at an activity of the same working group."""
    with session_scope() as s:
        issue = s.get(Issue, issue_id)
        if issue is None or issue.retired:
            raise NotFound(_("That issue does not exist or has been retired."))
        authorize(actor, Action.edit_issue, group_id=issue.group_id)
        activity = s.get(Activity, activity_id) if activity_id is not None else None
        if activity is None or activity.group_id != issue.group_id:
            raise ValidationFailed({"activity_id": _("Pick an activity of this issue's working group.")})
        if s.get(IssueActivity, (issue_id, activity_id)) is not None:
            raise ValidationFailed({"activity_id": _("This activity is already linked to the issue.")})
        link = IssueActivity(issue_id=issue_id, activity_id=activity_id)
        s.add(link)
        s.flush()
        audit.record(s, actor, AuditAction.create, IssueActivity.__tablename__, issue_id,
                     after={"issue_id": issue_id, "activity_id": activity_id})


def commitment_from_issue(actor: Actor, issue_id: int, values_: dict[str, Any]) -> int:
    """Create a commitment agreed in response to the issue (in the issue's working group)."""
    with session_scope() as s:
        issue = s.get(Issue, issue_id)
        if issue is None or issue.retired:
            raise NotFound(_("That issue does not exist or has been retired."))
        group_id = issue.group_id
    authorize(actor, Action.edit_commitment, group_id=group_id)
    from db.writes.commitments import add_commitment

    return add_commitment(actor, {**values_, "group_id": group_id, "issue_id": issue_id})
