"""Metrics for forums and security training, each aggregated in SQL.

- forum_visibility: forum engagements per working group per calendar year.
- training_by_site: people trained and training sessions per site over a period, set against
  the issues of category "security conduct" raised at the same site in the same period.
- training_by_organisation: people trained and sessions per security provider and site."""
from __future__ import annotations

from datetime import date

import pandas as pd
import sqlalchemy as sa
from sqlmodel import select

from db.engine import session_scope
from db.models import ForumEngagement, Issue, Organisation, SecurityTraining, Site, WorkingGroup
from db.permissions import Action, Actor
from db.reads.learning import _require, sites_of_groups, training_condition
from db.reads.scope import on_days
from db.vocab import IssueCategory


def forum_visibility(actor: Actor, group_ids: tuple[int, ...] = (), start: date | None = None,
                     end: date | None = None) -> pd.DataFrame:
    """Forum engagements per group per calendar year: columns group, year, engagements
    (only group-years with at least one engagement)."""
    _require(actor, Action.view_lessons)
    year = sa.extract("year", ForumEngagement.held_on).label("year")
    statement = (select(WorkingGroup.name.label("group"), year, sa.func.count().label("engagements"))
                 .join(WorkingGroup, WorkingGroup.id == ForumEngagement.group_id)
                 .group_by(WorkingGroup.name, year).order_by(WorkingGroup.name, year))
    if group_ids:
        statement = statement.where(ForumEngagement.group_id.in_(group_ids))
    if start:
        statement = statement.where(ForumEngagement.held_on >= start)
    if end:
        statement = statement.where(ForumEngagement.held_on <= end)
    with session_scope() as s:
        frame = pd.DataFrame([r._asdict() for r in s.execute(statement)], columns=["group", "year", "engagements"])
    return frame.astype({"year": int, "engagements": int})


SITE_COLUMNS = ["site_id", "site", "country", "people_trained", "sessions", "conduct_issues"]


def training_by_site(actor: Actor, group_ids: tuple[int, ...] = (), start: date | None = None,
                     end: date | None = None, org_ids: tuple[int, ...] = ()) -> pd.DataFrame:
    """Per site, over the period: people trained, training sessions, and issues of category
    security conduct raised there (retired issues left out). Sites with training or such
    issues appear; a site with issues but no training shows 0 people trained (that is the
    finding), and with training but no issues 0 issues."""
    _require(actor, Action.view_training)
    trained = (select(SecurityTraining.site_id.label("site_id"),
                      sa.func.sum(SecurityTraining.people_trained).label("people_trained"),
                      sa.func.count().label("sessions"))
               .where(training_condition(group_ids, start, end, org_ids), SecurityTraining.site_id.is_not(None))
               .group_by(SecurityTraining.site_id))
    issue_condition = sa.and_(Issue.category == IssueCategory.security_conduct.value,
                              Issue.retired == sa.false(), Issue.site_id.is_not(None),
                              on_days(Issue.raised_on, start, end))
    if group_ids:
        issue_condition &= Issue.site_id.in_(sites_of_groups(group_ids))
    if org_ids:  # only the sites where the chosen providers trained
        issue_condition &= Issue.site_id.in_(select(SecurityTraining.site_id)
                                             .where(SecurityTraining.org_id.in_(org_ids)))
    conduct = (select(Issue.site_id.label("site_id"), sa.func.count().label("conduct_issues"))
               .where(issue_condition).group_by(Issue.site_id))
    with session_scope() as s:
        trained_rows = {r.site_id: r for r in s.execute(trained)}
        conduct_rows = {r.site_id: r.conduct_issues for r in s.execute(conduct)}
        site_ids = set(trained_rows) | set(conduct_rows)
        names = {r.id: r for r in s.execute(select(Site.id, Site.name, Site.country)
                                             .where(Site.id.in_(site_ids or {-1})))}
    rows = [{"site_id": site_id, "site": names[site_id].name, "country": names[site_id].country,
             "people_trained": int(trained_rows[site_id].people_trained) if site_id in trained_rows else 0,
             "sessions": int(trained_rows[site_id].sessions) if site_id in trained_rows else 0,
             "conduct_issues": int(conduct_rows.get(site_id, 0))}
            for site_id in site_ids]
    frame = pd.DataFrame(rows, columns=SITE_COLUMNS)
    return frame.sort_values(["conduct_issues", "people_trained", "site"], ascending=[False, False, True],
                             ignore_index=True)


ORG_COLUMNS = ["organisation", "kind", "site", "people_trained", "sessions", "first_on", "last_on"]


def training_by_organisation(actor: Actor, group_ids: tuple[int, ...] = (), start: date | None = None,
                             end: date | None = None, org_ids: tuple[int, ...] = ()) -> pd.DataFrame:
    """Per security provider and site: people trained, sessions, first and last training."""
    _require(actor, Action.view_training)
    statement = (select(Organisation.name.label("organisation"), Organisation.kind,
                        Site.name.label("site"),
                        sa.func.sum(SecurityTraining.people_trained).label("people_trained"),
                        sa.func.count().label("sessions"),
                        sa.func.min(SecurityTraining.held_on).label("first_on"),
                        sa.func.max(SecurityTraining.held_on).label("last_on"))
                 .join(Organisation, Organisation.id == SecurityTraining.org_id)
                 .outerjoin(Site, Site.id == SecurityTraining.site_id)
                 .where(training_condition(group_ids, start, end, org_ids))
                 .group_by(Organisation.name, Organisation.kind, Site.name)
                 .order_by(sa.func.sum(SecurityTraining.people_trained).desc(), Organisation.name))
    with session_scope() as s:
        frame = pd.DataFrame([r._asdict() for r in s.execute(statement)], columns=ORG_COLUMNS)
    return frame.astype({"people_trained": int, "sessions": int})
