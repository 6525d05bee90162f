"""The one road every write takes: validate, check the permission for the record's scope,
write, and add the audit entry, all in one transaction.

Updates take an Update model (db/models.UpdateModel) and apply the fields it sets. They are
optimistic: the caller passes the version it read; a save against a newer version is refused
with ConflictError carrying the stored values (no silent overwrite)."""
from __future__ import annotations

from enum import Enum
from typing import Any, Callable, TypeVar

import sqlalchemy as sa
from pydantic import ValidationError
from sqlmodel import Session, SQLModel

from db import audit
from db.engine import session_scope
from db.errors import ConflictError, NotFound, ValidationFailed, from_pydantic
from db.models import (
    Activity,
    Attendance,
    Contribution,
    Disbursement,
    Fund,
    GroupSite,
    Issue,
    Membership,
    Organisation,
    Site,
    UpdateModel,
    WorkingGroup,
    WorkPlan,
    WorkPlanItem,
)
from db.permissions import FIELD_ACTIONS, Action, Actor, authorize
from db.versioning import check_version
from db.vocab import AuditAction
from i18n import _

M = TypeVar("M", bound=SQLModel)


def validated(model: type[M], values: dict[str, Any] | SQLModel) -> M:
    """Build a Create or Update model, turning pydantic's errors into field messages."""
    if isinstance(values, SQLModel):
        values = values.model_dump(exclude_unset=True)  # an Update keeps which fields it sets
    try:
        return model.model_validate(values)
    except ValidationError as error:
        failed = from_pydantic(error)
        raise ValidationFailed({**failed.errors, **_plain_messages(error)}) from None


def _plain_messages(error: ValidationError) -> dict[str, str]:
    """Plain, translated messages naming the limit for text that is too long or too short
    (pydantic's own are English only and say nothing for a blank field), and for a field an
    Update model does not have."""
    messages: dict[str, str] = {}
    for item in error.errors():
        field = ".".join(str(part) for part in item.get("loc", ()))
        given = item.get("input")
        length = len(given) if isinstance(given, str) else 0
        limit = (item.get("ctx") or {})
        if not field or field in messages:
            continue
        if item["type"] == "extra_forbidden":
            messages[field] = _("This field does not exist or cannot be changed here.")
        elif item["type"] == "string_too_long":
            messages[field] = _("Use at most {limit} characters; this has {length}.").format(
                limit=limit.get("max_length"), length=length)
        elif item["type"] == "string_too_short":
            messages[field] = (_("Fill in this field (at least {limit} characters).") if not given or not given.strip()
                               else _("Use at least {limit} characters.")).format(limit=limit.get("min_length"))
    return messages


def group_of(session: Session, record: SQLModel) -> int | None:
    """The working group a record belongs to, for coordinators' scope checks."""
    if hasattr(record, "group_id") and getattr(record, "group_id", None) is not None:
        return record.group_id
    if isinstance(record, WorkingGroup):  # a group is its own scope
        return record.id
    if isinstance(record, WorkPlanItem):
        return session.get(WorkPlan, record.work_plan_id).group_id
    if isinstance(record, Attendance):
        return session.get(Activity, record.activity_id).group_id
    if isinstance(record, (Contribution, Disbursement)):
        return session.get(Fund, record.fund_id).group_id
    return None


def groups_using(session: Session, record: SQLModel) -> frozenset[int] | None:
    """The working groups that use a shared record, for coordinators' scope checks
    (db/permissions.SHARED_SCOPED): an organisation's membership groups, past and current;
    the groups covering a site. None for records that are not shared."""
    if isinstance(record, Organisation):
        query = sa.select(Membership.group_id).where(Membership.org_id == record.id).distinct()
    elif isinstance(record, Site):
        query = sa.select(GroupSite.group_id).where(GroupSite.site_id == record.id).distinct()
    else:
        return None
    if record.id is None:
        return frozenset()
    return frozenset(session.execute(query).scalars().all())


def linked_in_group(s: Session, model: type[Activity] | type[Issue], record_id: int | None, group_id: int,
                    *, live: bool = False) -> bool:
    """Whether a record may link to this activity or issue: none, or one of the same working
    group (another group's may be confidential); with `live`, an issue that is not retired."""
    if record_id is None:
        return True
    linked = s.get(model, record_id)
    return linked is not None and linked.group_id == group_id and not (live and getattr(linked, "retired", False))


def authorize_fields(actor: Actor, table: str, changed: dict[str, Any]) -> None:
    """Fields with an action of their own (db/permissions.FIELD_ACTIONS) need it too."""
    for name in changed:
        if (table, name) in FIELD_ACTIONS:
            authorize(actor, FIELD_ACTIONS[(table, name)])


def create_record(actor: Actor, action: Action, record: M, *, group_id: int | None = None,
                  company_id: int | None = None, session: Session | None = None,
                  after_insert: Callable[[Session, M], None] | None = None) -> M:
    """Insert one record after the permission check; audit it. Returns the stored record."""

    def run(s: Session) -> M:
        scope = group_id if group_id is not None else group_of(s, record)
        authorize(actor, action, group_id=scope, company_id=company_id, used_by=groups_using(s, record))
        authorize_fields(actor, record.__tablename__,
                         {k: v for k, v in record.model_dump().items() if v is not None})
        s.add(record)
        try:
            s.flush()
        except sa.exc.IntegrityError as error:
            raise integrity_message(error) from None
        if after_insert:
            after_insert(s, record)
        audit.record(s, actor, AuditAction.create, record.__tablename__, record.id,
                     after=audit.snapshot(record))
        return record

    if session is not None:
        return run(session)
    with session_scope() as s:
        return run(s)


def update_record(actor: Actor, action: Action, model: type[M], record_id: int,
                  expected_version: int | None, changes: UpdateModel, *,
                  company_of: Callable[[M], int | None] | None = None,
                  session: Session | None = None) -> M:
    """Apply the fields `changes` sets to one record if nobody changed it since
    `expected_version`; the stored record with them must pass `changes.record_rules`.

    The scope check runs on the stored record and again on the changed one, so a
    coordinator can neither edit another group's record nor move one into it."""
    if not isinstance(changes, UpdateModel) or changes.stored_as is not model:
        raise TypeError(f"update_record takes an Update model stored as {model.__name__} "
                        f"(db.models.UpdateModel), not {type(changes).__name__}")
    given = {name: value.value if isinstance(value, Enum) else value
             for name, value in changes.model_dump(exclude_unset=True).items()}

    def run(s: Session) -> M:
        stored = s.get(model, record_id)
        if stored is None:
            raise NotFound(_("That record no longer exists."))
        before = audit.snapshot(stored)
        authorize(actor, action, group_id=group_of(s, stored),
                  company_id=company_of(stored) if company_of else None, used_by=groups_using(s, stored))
        authorize_fields(actor, model.__tablename__, {k: v for k, v in given.items() if getattr(stored, k, None) != v})
        rules = changes.record_rules
        if rules is not None:
            merged = {**before, **given}
            validated(rules, {k: merged[k] for k in rules.model_fields if k in merged})
        versioned = hasattr(model, "version")
        check_version(stored, expected_version)
        values = dict(given)
        statement = sa.update(model).where(model.id == record_id)
        if versioned:
            statement = statement.where(model.version == stored.version)
            values["version"] = stored.version + 1
        try:
            result = s.execute(statement.values(**values))
        except sa.exc.IntegrityError as error:
            raise integrity_message(error) from None
        if result.rowcount != 1:  # a concurrent writer got there between our read and write
            s.rollback()
            fresh = s.get(model, record_id)
            raise ConflictError(_("Someone else saved this record while you were editing it. "
                                  "Your changes are kept below; compare them with the stored values and save again."),
                                stored=audit.snapshot(fresh))
        s.expire(stored)
        updated = s.get(model, record_id)
        authorize(actor, action, group_id=group_of(s, updated),
                  company_id=company_of(updated) if company_of else None, used_by=groups_using(s, updated))
        audit.record(s, actor, AuditAction.update, model.__tablename__, record_id,
                     before=before, after=audit.snapshot(updated))
        return updated

    if session is not None:
        return run(session)
    with session_scope() as s:
        return run(s)


def integrity_message(error: sa.exc.IntegrityError) -> ValidationFailed:
    """A database constraint refused the row: say so in words, naming the field if we can."""
    text = str(error.orig).lower()
    if "unique" in text or "duplicate" in text:
        return ValidationFailed({"name": _("A record with this name already exists.")})
    if "foreign key" in text:
        return ValidationFailed({"form": _("This refers to a record that does not exist.")})
    if "check" in text:
        return ValidationFailed({"form": _("A value is outside what is allowed.")})
    return ValidationFailed({"form": _("The database refused this change.")})
