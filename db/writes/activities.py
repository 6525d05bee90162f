"""Writes for activities and attendance: schedule, change, postpone or cancel an activity, and
record it as held with attendance per organisation and its outcomes."""
from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import sqlalchemy as sa
from sqlmodel import select

from db import audit
from db.engine import session_scope
from db.errors import NotFound, ValidationFailed
from db.models import (
    Activity,
    ActivityCreate,
    ActivityUpdate,
    Attendance,
    AttendanceCreate,
    Site,
    WorkingGroup,
    WorkPlan,
    WorkPlanItem,
)
from db.periods import today
from db.permissions import Action, Actor, authorize
from db.vocab import ActivityStatus, AuditAction
from db.writes.base import create_record, update_record, validated
from i18n import _

ATTENDANCE_COLUMNS = ("org_id", "invited", "attended", "participants", "women")


def _zone(s, group_id: int | None) -> ZoneInfo:
    group = s.get(WorkingGroup, group_id) if group_id is not None else None
    try:
        return ZoneInfo(group.timezone if group else "UTC")
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def _localised(s, group_id: int | None, values: dict[str, Any]) -> dict[str, Any]:
    """Times typed in the group's local time (naive) become aware in its time zone; the
    database stores them in UTC."""
    zone = _zone(s, group_id)
    out = dict(values)
    for key in ("starts_at", "ends_at"):
        moment = out.get(key)
        if isinstance(moment, datetime) and moment.tzinfo is None:
            out[key] = moment.replace(tzinfo=zone)
    return out


def _check_links(s, data: ActivityCreate) -> None:
    if data.site_id is not None and s.get(Site, data.site_id) is None:
        raise ValidationFailed({"site_id": _("Pick a site from the list.")})
    if data.work_plan_item_id is not None:
        item = s.get(WorkPlanItem, data.work_plan_item_id)
        plan = s.get(WorkPlan, item.work_plan_id) if item else None
        if plan is None or plan.group_id != data.group_id:
            raise ValidationFailed({"work_plan_item_id": _("Pick a work plan item of this working group.")})


def schedule_activity(actor: Actor, values: dict[str, Any]) -> int:
    """Put an activity on the group's calendar (status scheduled); returns its id."""
    with session_scope() as s:
        data = validated(ActivityCreate, _localised(s, values.get("group_id"), {**values, "status": ActivityStatus.scheduled.value}))
        _check_links(s, data)
        return create_record(actor, Action.edit_activity, Activity(**data.model_dump()), session=s).id


def postpone(actor: Actor, activity_id: int, version: int | None, starts_at: datetime | None = None,
             ends_at: datetime | None = None) -> None:
    """Postpone a scheduled activity: with new dates it is rescheduled (stays scheduled),
    without them it is marked postponed until a date is known."""
    with session_scope() as s:
        stored = _stored(s, activity_id)
        if stored.status not in (ActivityStatus.scheduled.value, ActivityStatus.postponed.value):
            raise ValidationFailed({"status": _("Only a scheduled activity can be postponed.")})
        if starts_at is not None and ends_at is not None:
            moved = _localised(s, stored.group_id, {"starts_at": starts_at, "ends_at": ends_at})
            starts_at, ends_at = moved["starts_at"], moved["ends_at"]
            if starts_at <= stored.starts_at:
                raise ValidationFailed({"starts_at": _("The new start must be later than the current one.")})
            changes = ActivityUpdate(starts_at=starts_at, ends_at=ends_at, status=ActivityStatus.scheduled)
        else:
            changes = ActivityUpdate(status=ActivityStatus.postponed)
        update_record(actor, Action.edit_activity, Activity, activity_id, version, changes, session=s)


def cancel(actor: Actor, activity_id: int, version: int | None) -> None:
    """Cancel an activity that has not been held."""
    with session_scope() as s:
        stored = _stored(s, activity_id)
        if stored.status == ActivityStatus.held.value:
            raise ValidationFailed({"status": _("A held activity cannot be cancelled.")})
        update_record(actor, Action.edit_activity, Activity, activity_id, version,
                      ActivityUpdate(status=ActivityStatus.cancelled), session=s)


def _stored(s, activity_id: int) -> Activity:
    stored = s.get(Activity, activity_id)
    if stored is None:
        raise NotFound(_("That record no longer exists."))
    return stored


def _attendance_rows(activity_id: int, edited: pd.DataFrame, names: dict[int, str]) -> list[AttendanceCreate]:
    """Validate every row of the edited attendance table; one message listing the problems."""
    problems: list[str] = []
    rows: list[AttendanceCreate] = []
    for row in edited.to_dict("records"):
        org_id = int(row["org_id"])
        name = names.get(org_id, str(org_id))
        values = {"activity_id": activity_id, "org_id": org_id,
                  "invited": bool(row.get("invited", True)), "attended": bool(row.get("attended")),
                  "participants": _count(row.get("participants")), "women": _count(row.get("women"))}
        if values["participants"] is None or values["women"] is None:
            problems.append(_("{org}: participants and women must be whole numbers of 0 or more.").format(org=name))
            continue
        if values["attended"] and values["participants"] == 0:
            problems.append(_("{org}: an organisation that attended had at least one participant.").format(org=name))
            continue
        try:
            rows.append(validated(AttendanceCreate, values))
        except ValidationFailed as error:
            field, message = next(iter(error.errors.items()))
            problems.append(_("{org}: {problem}").format(org=name, problem=message))
    if problems:
        raise ValidationFailed({"attendance": " ".join(problems)})
    return rows


def _count(value) -> int | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return 0
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number >= 0 and number == int(number) else None


def save_attendance(actor: Actor, activity_id: int, edited: pd.DataFrame, *, session=None) -> int:
    """Replace an activity's attendance with the edited table (columns org_id, invited, attended,
    participants, women; org name optional). One audit entry with before and after. Returns
    the number of rows stored."""

    def run(s) -> int:
        activity = _stored(s, activity_id)
        authorize(actor, Action.edit_activity, group_id=activity.group_id)
        names = dict(zip(edited["org_id"], edited["organisation"])) if "organisation" in edited else {}
        rows = _attendance_rows(activity_id, edited, names)
        before = [audit.snapshot(r) for r in s.exec(select(Attendance).where(Attendance.activity_id == activity_id))]
        s.execute(sa.delete(Attendance).where(Attendance.activity_id == activity_id))
        for row in rows:
            s.add(Attendance(**row.model_dump()))
        s.flush()
        after = [audit.snapshot(r) for r in s.exec(select(Attendance).where(Attendance.activity_id == activity_id))]
        audit.record(s, actor, AuditAction.update, "attendance", activity_id,
                     before={"rows": before}, after={"rows": after})
        return len(rows)

    if session is not None:
        return run(session)
    with session_scope() as s:
        return run(s)


def check_held(starts_at: datetime, outcomes: str) -> None:
    """What recording an activity as held needs (the form's save and an import both ask)."""
    if starts_at.date() > today():
        raise ValidationFailed({"status": _("This activity starts in the future; record it as held once it has taken place.")})
    if not outcomes.strip():
        raise ValidationFailed({"outcomes": _("Write what the activity achieved or agreed (the outcomes).")})


def record_held(actor: Actor, activity_id: int, version: int | None, *, summary: str, outcomes: str,
                attendance: pd.DataFrame) -> None:
    """Mark an activity held, with its summary, outcomes and attendance, in one transaction.
    Refused for an activity that starts in the future or was cancelled."""
    with session_scope() as s:
        stored = _stored(s, activity_id)
        if stored.status == ActivityStatus.cancelled.value:
            raise ValidationFailed({"status": _("A cancelled activity cannot be recorded as held.")})
        check_held(stored.starts_at, outcomes)
        update_record(actor, Action.edit_activity, Activity, activity_id, version,
                      ActivityUpdate(status=ActivityStatus.held, summary=summary, outcomes=outcomes), session=s)
        save_attendance(actor, activity_id, attendance, session=s)
