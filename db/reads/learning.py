"""Lessons learned, forum engagements and training records as small frames for the pages.

Authors and uploaders appear as their organisation to everyone but admins (no personal
names outside the admin's view)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import sqlalchemy as sa
from sqlmodel import select

from db.engine import session_scope
from db.errors import PermissionDenied
from db.models import ForumEngagement, GroupSite, Lesson, Organisation, SecurityTraining, Site, User, WorkingGroup
from db.permissions import Action, Actor, can, group_scope
from db.reads.scope import newest_first, on_days
from i18n import _

LIKE_ESCAPE = "\\"


def _require(actor: Actor, action: Action) -> None:
    if not can(actor, action):
        raise PermissionDenied(_("Your role may not see this."))


def like_pattern(text: str) -> str:
    """A case-folded LIKE pattern matching `text` anywhere, with % and _ taken literally."""
    escaped = (text.lower().replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
               .replace("%", LIKE_ESCAPE + "%").replace("_", LIKE_ESCAPE + "_"))
    return f"%{escaped}%"


def _normalised_tags(column):
    """",tag one,tag two," from "Tag one, tag two" so a tag matches whole, in SQL."""
    return sa.func.lower("," + sa.func.replace(sa.func.replace(column, ", ", ","), " ,", ",") + ",")


@dataclass(frozen=True)
class LessonQuery:
    text: str = ""
    tag: str = ""
    group_ids: tuple[int, ...] = ()
    org_ids: tuple[int, ...] = ()


LESSON_COLUMNS = ["id", "shared_on", "title", "text", "tags", "group", "organisation", "author"]


def lessons(actor: Actor, query: LessonQuery | None = None, *, limit: int = 200) -> tuple[pd.DataFrame, int]:
    """Lessons matching the search, newest first, at most `limit`, and how many match in all.
    Text matches title, text or tags (case-insensitive); a tag matches a whole tag."""
    if query is None:
        query = LessonQuery()
    _require(actor, Action.view_lessons)
    author_org = sa.orm.aliased(Organisation)
    condition = sa.true()
    if query.text.strip():
        pattern = like_pattern(query.text.strip())
        condition &= sa.or_(*(sa.func.lower(column).like(pattern, escape=LIKE_ESCAPE)
                              for column in (Lesson.title, Lesson.text, Lesson.tags)))
    if query.tag.strip():
        tag = " ".join(query.tag.split()).lower()
        escaped = like_pattern(tag)[1:-1]
        condition &= _normalised_tags(Lesson.tags).like(f"%,{escaped},%", escape=LIKE_ESCAPE)
    if query.group_ids:
        condition &= Lesson.group_id.in_(query.group_ids)
    if query.org_ids:
        condition &= Lesson.org_id.in_(query.org_ids)
    statement = (
        select(Lesson.id, Lesson.shared_on, Lesson.title, Lesson.text, Lesson.tags,
               sa.func.coalesce(WorkingGroup.name, "").label("group"),
               sa.func.coalesce(Organisation.name, author_org.name, "").label("organisation"),
               sa.func.coalesce(User.display_name, "").label("author"))
        .outerjoin(WorkingGroup, WorkingGroup.id == Lesson.group_id)
        .outerjoin(Organisation, Organisation.id == Lesson.org_id)
        .outerjoin(User, User.id == Lesson.author_user_id)
        .outerjoin(author_org, author_org.id == User.org_id)
    )
    rows, total = newest_first(statement, Lesson, Lesson.shared_on, condition, limit)
    frame = pd.DataFrame(rows, columns=LESSON_COLUMNS)
    if not can(actor, Action.view_entered_by):
        frame = frame.drop(columns=["author"])
    return frame, total


def lesson_tags(actor: Actor) -> list[str]:
    """Every tag in use, alphabetically."""
    _require(actor, Action.view_lessons)
    with session_scope() as s:
        rows = s.execute(select(Lesson.tags).distinct().where(Lesson.tags != "")).scalars().all()
    return sorted({tag.strip().lower() for row in rows for tag in row.split(",") if tag.strip()})


def lesson_organisations(actor: Actor) -> pd.DataFrame:
    """Organisations that have shared lessons (id, name), for the filter."""
    _require(actor, Action.view_lessons)
    statement = (select(Organisation.id, Organisation.name).join(Lesson, Lesson.org_id == Organisation.id)
                 .distinct().order_by(Organisation.name))
    with session_scope() as s:
        return pd.DataFrame([r._asdict() for r in s.execute(statement)], columns=["id", "name"])


FORUM_COLUMNS = ["id", "held_on", "group", "forum", "presented"]


def forum_engagements(actor: Actor, group_ids: tuple[int, ...] = (), start: date | None = None,
                      end: date | None = None, *, limit: int = 200) -> tuple[pd.DataFrame, int]:
    """Forum engagements, newest first, and how many match in all."""
    _require(actor, Action.view_lessons)
    condition = on_days(ForumEngagement.held_on, start, end)
    if group_ids:
        condition &= ForumEngagement.group_id.in_(group_ids)
    statement = (select(ForumEngagement.id, ForumEngagement.held_on, WorkingGroup.name.label("group"),
                        ForumEngagement.forum, ForumEngagement.presented)
                 .join(WorkingGroup, WorkingGroup.id == ForumEngagement.group_id))
    rows, total = newest_first(statement, ForumEngagement, ForumEngagement.held_on, condition, limit)
    return pd.DataFrame(rows, columns=FORUM_COLUMNS), total


TRAINING_COLUMNS = ["id", "held_on", "organisation", "unit", "site", "country", "people_trained", "topic"]


def training_records(actor: Actor, group_ids: tuple[int, ...] = (), start: date | None = None,
                     end: date | None = None, org_ids: tuple[int, ...] = (), *,
                     limit: int = 200) -> tuple[pd.DataFrame, int]:
    """Training records, newest first (sites of the chosen groups only), and the total."""
    _require(actor, Action.view_training)
    condition = training_condition(group_ids, start, end, org_ids)
    statement = (select(SecurityTraining.id, SecurityTraining.held_on, Organisation.name.label("organisation"),
                        SecurityTraining.unit, Site.name.label("site"), Site.country,
                        SecurityTraining.people_trained, SecurityTraining.topic)
                 .join(Organisation, Organisation.id == SecurityTraining.org_id)
                 .outerjoin(Site, Site.id == SecurityTraining.site_id))
    rows, total = newest_first(statement, SecurityTraining, SecurityTraining.held_on, condition, limit)
    return pd.DataFrame(rows, columns=TRAINING_COLUMNS), total


def sites_of_groups(group_ids: tuple[int, ...]):
    """A subquery of the site ids the given groups cover."""
    return select(GroupSite.site_id).where(GroupSite.group_id.in_(group_ids))


def training_condition(group_ids: tuple[int, ...] = (), start: date | None = None, end: date | None = None,
                       org_ids: tuple[int, ...] = ()):
    condition = on_days(SecurityTraining.held_on, start, end)
    if group_ids:
        condition &= SecurityTraining.site_id.in_(sites_of_groups(group_ids))
    if org_ids:
        condition &= SecurityTraining.org_id.in_(org_ids)
    return condition


def security_providers(actor: Actor) -> pd.DataFrame:
    """Security providers with training records (id, name, kind), for the filter."""
    _require(actor, Action.view_training)
    statement = (select(Organisation.id, Organisation.name, Organisation.kind)
                 .join(SecurityTraining, SecurityTraining.org_id == Organisation.id)
                 .distinct().order_by(Organisation.name))
    with session_scope() as s:
        return pd.DataFrame([r._asdict() for r in s.execute(statement)], columns=["id", "name", "kind"])


def training_sites(actor: Actor, *, editable_only: bool = False) -> pd.DataFrame:
    """Sites a training may be recorded at (id, name, country): for coordinators the sites
    their groups cover; for admins every site."""
    statement = select(Site.id, Site.name, Site.country).order_by(Site.name)
    scope = group_scope(actor, Action.edit_training)
    if editable_only and not scope.everything:
        statement = statement.where(Site.id.in_(sites_of_groups(tuple(scope.ids) or (-1,))))
    with session_scope() as s:
        return pd.DataFrame([r._asdict() for r in s.execute(statement)], columns=["id", "name", "country"])
