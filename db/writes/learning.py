"""Writes for lessons learned, forum engagements and security-unit training records.

Lessons: admins; coordinators for their own groups (or none) and an organisation that is a
member of one of their groups (or none); HQ with their own company or a subsidiary as the
organisation. Forum engagements: admins, and coordinators for their own groups. Training
records: admins, and coordinators for a site one of their groups covers; the trained
organisation must be a security provider (db/vocab.SECURITY_PROVIDER_KINDS)."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any, Optional

import pandas as pd
from pydantic import AfterValidator, field_validator
from sqlmodel import Field, select

from db import vocab
from db.engine import session_scope
from db.errors import PermissionDenied, ValidationFailed
from db.models import (
    CleanText,
    ForumEngagement,
    GroupSite,
    Lesson,
    Membership,
    Organisation,
    SecurityTraining,
    Site,
    WorkingGroup,
)
from db.periods import today
from db.permissions import Action, Actor, authorize, can, company_scope, group_scope
from db.vocab import NAME_MAX, TEXT_MAX, TITLE_MAX
from db.writes.base import create_record, validated
from i18n import _

# How far back a record may be dated: older history belongs in a report, not this register.
EARLIEST_YEARS_BACK = 30
# The largest number of people one training record may count (a session, not a programme).
PEOPLE_TRAINED_MAX = 5000
TAGS_MAX = 10


def normalise_tags(text: str) -> str:
    """"Community, grievance ,Community" -> "community, grievance": lower case, no repeats."""
    seen: list[str] = []
    for part in (text or "").split(","):
        tag = " ".join(part.split()).lower()
        if tag and tag not in seen:
            seen.append(tag)
    return ", ".join(seen)


def _earliest() -> date:
    return today() - timedelta(days=365 * EARLIEST_YEARS_BACK)


def _check_past_date(value: date) -> date:
    if value > today():
        raise ValueError(_("The date cannot be after today ({today}): record it once it has happened.")
                         .format(today=today().isoformat()))
    if value < _earliest():
        raise ValueError(_("The date cannot be before {earliest}.").format(earliest=_earliest().isoformat()))
    return value


PastDate = Annotated[date, AfterValidator(_check_past_date)]


class LessonCreate(CleanText):
    title: str = Field(min_length=3, max_length=TITLE_MAX)
    text: str = Field(min_length=10, max_length=TEXT_MAX)
    tags: str = Field(default="", max_length=NAME_MAX)
    org_id: Optional[int] = None
    group_id: Optional[int] = None
    shared_on: PastDate

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: str) -> str:
        value = normalise_tags(value)
        if len(value.split(", ")) > TAGS_MAX:
            raise ValueError(_("Use at most {n} tags.").format(n=TAGS_MAX))
        return value


class ForumEngagementCreate(CleanText):
    group_id: int
    held_on: PastDate
    forum: vocab.Forum
    presented: str = Field(min_length=3, max_length=TEXT_MAX)


class TrainingCreate(CleanText):
    org_id: int
    unit: str = Field(min_length=2, max_length=NAME_MAX)
    site_id: int
    held_on: PastDate
    people_trained: int = Field(ge=1, le=PEOPLE_TRAINED_MAX)
    topic: str = Field(min_length=3, max_length=TITLE_MAX)


def _require(values: dict[str, Any], *fields: str) -> None:
    missing = {name: _("Choose a value.") for name in fields if values.get(name) in (None, "")}
    if missing:
        raise ValidationFailed(missing)


def add_lesson(actor: Actor, values: dict[str, Any]) -> Lesson:
    """Share a lesson learned. HQ users record it for their own company (or a subsidiary);
    when they name no organisation, their own is used. Coordinators speak for their own groups
    and those groups' members."""
    values = dict(values)
    if not company_scope(actor, Action.edit_lesson).everything:
        values["org_id"] = values.get("org_id") or actor.org_id
    authorize(actor, Action.edit_lesson, company_id=values.get("org_id"))  # the role, and HQ's company
    lesson = validated(LessonCreate, values)
    with session_scope() as s:
        authorize(actor, Action.edit_lesson, group_id=lesson.group_id, company_id=lesson.org_id)
        if not group_scope(actor, Action.edit_lesson).everything:
            _check_speaker(actor, lesson)
        if lesson.org_id is not None and s.get(Organisation, lesson.org_id) is None:
            raise ValidationFailed({"org_id": _("That organisation no longer exists.")})
        if lesson.group_id is not None and s.get(WorkingGroup, lesson.group_id) is None:
            raise ValidationFailed({"group_id": _("That working group no longer exists.")})
        return create_record(actor, Action.edit_lesson, Lesson(**lesson.model_dump(), author_user_id=actor.id),
                             company_id=lesson.org_id, session=s)


def lesson_speakers(actor: Actor) -> pd.DataFrame:
    """The organisations (id, name) `actor` may share a lesson in the name of: any for admins,
    HQ's own company family, a coordinator's groups' member organisations. The lesson form offers
    these; add_lesson refuses any other."""
    query = select(Organisation.id, Organisation.name).order_by(Organisation.name)
    companies, groups = company_scope(actor, Action.edit_lesson), group_scope(actor, Action.edit_lesson)
    if not companies.everything:
        query = query.where(companies.sql(Organisation.id))
    elif not groups.everything:
        query = query.where(Organisation.id.in_(select(Membership.org_id).where(groups.sql(Membership.group_id))))
    with session_scope() as s:
        return pd.DataFrame([r._asdict() for r in s.execute(query)], columns=["id", "name"])


def _check_speaker(actor: Actor, lesson: LessonCreate) -> None:
    """A coordinator speaks for their groups' members only (authorize checked the group)."""
    if lesson.org_id is not None and lesson.org_id not in set(lesson_speakers(actor)["id"]):
        raise PermissionDenied(_("You may only share lessons in the name of an organisation that is a "
                                 "member of one of your working groups."))


def add_forum_engagement(actor: Actor, values: dict[str, Any]) -> ForumEngagement:
    """Record that a group's work was tabled at a forum (its coordinators and admins)."""
    if not can(actor, Action.edit_forum):
        raise PermissionDenied(_("Your role may not do this."))
    _require(values, "group_id")
    authorize(actor, Action.edit_forum, group_id=values["group_id"])
    engagement = validated(ForumEngagementCreate, values)
    return create_record(actor, Action.edit_forum, ForumEngagement(**engagement.model_dump()),
                         group_id=engagement.group_id)


def training_scope(actor: Actor, site_id: int) -> int | None:
    """The working group a training at this site is recorded under: one of the actor's own
    groups covering the site when there is one, else any group covering it."""
    with session_scope() as s:
        covering = list(s.exec(select(GroupSite.group_id).where(GroupSite.site_id == site_id)
                               .order_by(GroupSite.group_id)))
    own = [g for g in covering if g in actor.group_ids]
    return (own or covering or [None])[0]


def add_training(actor: Actor, values: dict[str, Any]) -> SecurityTraining:
    """Record a human-rights training of a security unit at a site."""
    if not can(actor, Action.edit_training):  # refuse the role before judging the input
        raise PermissionDenied(_("Your role may not do this."))
    scope = training_scope(actor, values["site_id"]) if values.get("site_id") else None
    if values.get("site_id"):
        authorize(actor, Action.edit_training, group_id=scope)
    # Every field's problem at once, so one correction round suffices.
    errors = {name: message for name, message in (("org_id", _("Choose the security provider that was trained.")),
                                                  ("site_id", _("Choose the site where the unit serves.")))
              if values.get(name) in (None, "")}
    try:
        training = validated(TrainingCreate, {**values, **{name: 0 for name in errors}})
    except ValidationFailed as refused:
        errors.update({k: v for k, v in refused.errors.items() if k not in errors})
    if errors:
        raise ValidationFailed(errors)
    with session_scope() as s:
        organisation = s.get(Organisation, training.org_id)
        if organisation is None:
            raise ValidationFailed({"org_id": _("That organisation no longer exists.")})
        if organisation.kind not in vocab.SECURITY_PROVIDER_KINDS:
            raise ValidationFailed({"org_id": _("Choose a security provider (public or private security); "
                                                "{name} is not one.").format(name=organisation.name)})
        if s.get(Site, training.site_id) is None:
            raise ValidationFailed({"site_id": _("That site no longer exists.")})
        return create_record(actor, Action.edit_training, SecurityTraining(**training.model_dump()),
                             group_id=scope, session=s)
