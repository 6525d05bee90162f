"""Who may do what: one role-by-action table that drives the navigation (components/nav.py)
and every read and write in db/. Scope rules (a coordinator's own groups, an HQ user's own
company) are applied by `authorize`, next to the table, so no caller can forget them."""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from enum import StrEnum

import sqlalchemy as sa

from db.errors import PermissionDenied
from db.vocab import Role
from i18n import _


class Action(StrEnum):
    # pages (reading)
    view_overview = "view_overview"
    view_groups = "view_groups"
    view_activities = "view_activities"
    view_organisations = "view_organisations"
    view_commitments = "view_commitments"
    view_lessons = "view_lessons"
    view_training = "view_training"
    view_documents = "view_documents"
    view_issues = "view_issues"                # the register and issue pages (redacted for hq)
    view_issue_aggregates = "view_issue_aggregates"  # counts and charts only (viewer)
    view_gm_health = "view_gm_health"
    view_funding = "view_funding"
    view_transparency = "view_transparency"
    view_scorecard = "view_scorecard"
    view_reports = "view_reports"
    export = "export"
    data_entry = "data_entry"
    manage_users = "manage_users"
    view_audit = "view_audit"
    backup = "backup"
    reset_demo = "reset_demo"
    # writes (scoped by `authorize`)
    edit_group = "edit_group"
    create_group = "create_group"
    create_organisation = "create_organisation"  # add one to the shared register (no parent)
    edit_organisation = "edit_organisation"  # coordinators: only those their own groups use
    edit_company_family = "edit_company_family"  # an organisation's parent: widens HQ users' scope
    create_site = "create_site"
    edit_site = "edit_site"  # coordinators: only those their own groups cover
    edit_membership = "edit_membership"
    edit_work_plan = "edit_work_plan"
    propose_work_item = "propose_work_item"
    decide_proposal = "decide_proposal"
    edit_activity = "edit_activity"
    edit_commitment = "edit_commitment"
    edit_issue = "edit_issue"
    edit_fund = "edit_fund"
    edit_contribution = "edit_contribution"
    edit_disbursement = "edit_disbursement"
    edit_exchange_rate = "edit_exchange_rate"  # global: every fund's figures use them
    edit_lesson = "edit_lesson"
    edit_forum = "edit_forum"
    edit_training = "edit_training"
    edit_document = "edit_document"
    edit_narrative = "edit_narrative"
    import_data = "import_data"
    # what only some roles are shown
    view_retired = "view_retired"        # retired records stay readable to admins
    view_entered_by = "view_entered_by"  # which user account entered a record (others see the organisation)


A = Action
_READ_ALL = {A.view_overview, A.view_groups, A.view_activities, A.view_organisations,
             A.view_commitments, A.view_lessons, A.view_training, A.view_documents, A.view_issues,
             A.view_issue_aggregates, A.view_gm_health, A.view_funding, A.view_transparency,
             A.view_scorecard, A.view_reports, A.export}

ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.admin: frozenset(Action),
    Role.coordinator: frozenset(_READ_ALL | {
        A.data_entry, A.edit_group, A.create_organisation, A.edit_organisation, A.create_site, A.edit_site,
        A.edit_membership, A.edit_work_plan, A.decide_proposal, A.edit_activity, A.edit_commitment, A.edit_issue,
        A.edit_fund, A.edit_contribution, A.edit_disbursement, A.edit_lesson, A.edit_forum, A.edit_training, A.edit_document, A.import_data,
    }),
    Role.hq: frozenset(_READ_ALL | {
        A.data_entry, A.edit_contribution, A.edit_lesson, A.propose_work_item, A.edit_narrative,
        A.import_data,  # contributions only: each row is authorised as edit_contribution (own company)
    }),
    Role.viewer: frozenset({A.view_overview, A.view_groups, A.view_activities,
                            A.view_organisations, A.view_issue_aggregates, A.view_gm_health,
                            A.view_transparency}),
}

# Roles whose reach is a set of assigned working groups: a user's groups are kept for these only.
GROUP_ASSIGNED_ROLES = frozenset({Role.coordinator})

# Writes that are limited to a coordinator's own groups (the record's group must be theirs).
GROUP_SCOPED = frozenset({A.edit_group, A.edit_membership, A.edit_work_plan, A.decide_proposal,
                          A.edit_activity, A.edit_commitment, A.edit_issue, A.edit_fund,
                          A.edit_contribution, A.edit_disbursement, A.edit_forum,
                          A.edit_training, A.edit_document, A.import_data})

# A coordinator's record of this kind names one of their groups or no group at all (a lesson
# may be general); every other GROUP_SCOPED record must name one of their groups.
GROUP_OPTIONAL = frozenset({A.edit_lesson})

# Writes that are limited, for HQ users, to their own company and its subsidiaries.
COMPANY_SCOPED = frozenset({A.edit_contribution, A.edit_narrative, A.edit_lesson})
# Reads an HQ user makes only for their own company family: the company report (the group
# report is open to every role that sees reports).
COMPANY_READS = frozenset({A.view_reports})

# Writes to records every group shares (the organisation register, sites). A coordinator may
# change one only when the groups using it are all theirs: an organisation is used by the
# groups of its memberships (past and current), a site by the groups that cover it. One that
# no group uses yet is nobody's own and stays with the admins, like one another group uses.
SHARED_SCOPED = frozenset({A.edit_organisation, A.edit_site})

# Fields whose change needs an action of its own, whatever the record's action: an
# organisation's parent decides which organisations an HQ user's company covers.
FIELD_ACTIONS: dict[tuple[str, str], Action] = {("organisation", "parent_id"): A.edit_company_family}


@dataclass(frozen=True)
class Actor:
    """The acting user as the data layer sees them: re-read from the database every run."""
    id: int | None
    username: str
    role: Role
    org_id: int | None = None
    group_ids: frozenset[int] = field(default_factory=frozenset)
    company_ids: frozenset[int] = field(default_factory=frozenset)  # own company and subsidiaries
    member_group_ids: frozenset[int] = field(default_factory=frozenset)  # groups the company is in
    display_name: str = ""
    language: str = "en"


SYSTEM = Actor(id=None, username="system", role=Role.admin, display_name="System")


@dataclass(frozen=True)
class Scope:
    """The records an actor reaches, by the id of their group or company: every one
    (`ids is None`) or those listed. One object answers in Python (`allows`) and in SQL (`sql`),
    so a page's check and a query's filter cannot disagree."""
    ids: frozenset[int] | None

    @property
    def everything(self) -> bool:
        return self.ids is None

    @property
    def nothing(self) -> bool:
        return self.ids is not None and not self.ids

    def allows(self, id_: int | None) -> bool:
        return self.ids is None or (id_ is not None and id_ in self.ids)

    def sql(self, column) -> sa.ColumnElement[bool]:
        """A truth value for rows whose `column` is in scope."""
        if self.ids is None:
            return sa.true()
        return column.in_(sorted(self.ids)) if self.ids else sa.false()


EVERYTHING = Scope(None)
NOTHING = Scope(frozenset())


def role_can(role: Role | str, action: Action) -> bool:
    """Whether a role may use this action at all."""
    return action in ROLE_ACTIONS.get(Role(role), frozenset())


def can(actor: Actor | None, action: Action) -> bool:
    """Whether the actor's role may use this action at all (pages and menu entries ask this)."""
    return actor is not None and role_can(actor.role, action)


def group_scope(actor: Actor | None, action: Action) -> Scope:
    """The working groups in which the actor may do `action`: every group for admins and for
    actions no group limits, a coordinator's own groups for GROUP_SCOPED ones, the groups an HQ
    user's company belongs to for proposals, none when the role may not do it at all."""
    if actor is None or not can(actor, action):
        return NOTHING
    role = Role(actor.role)
    if role == Role.admin:
        return EVERYTHING
    if role == Role.coordinator and (action in GROUP_SCOPED or action in GROUP_OPTIONAL or action in SHARED_SCOPED):
        return Scope(frozenset(actor.group_ids))
    if role == Role.hq and action == A.propose_work_item:
        return Scope(frozenset(actor.member_group_ids))
    return EVERYTHING


def company_scope(actor: Actor | None, action: Action) -> Scope:
    """The organisations in whose name the actor may do `action`: an HQ user's own company and
    its subsidiaries for COMPANY_SCOPED and COMPANY_READS actions; other roles are limited by
    their group, not by company."""
    if actor is None or not can(actor, action):
        return NOTHING
    if Role(actor.role) == Role.hq and (action in COMPANY_SCOPED or action in COMPANY_READS):
        return Scope(frozenset(actor.company_ids))
    return EVERYTHING


def confidential_scope(actor: Actor | None) -> Scope:
    """The groups whose confidential issues (and their documents) the actor sees in full: those
    who may handle the issue, that is admins and the coordinators of its group."""
    return group_scope(actor, A.edit_issue)


def refusal(actor: Actor | None, action: Action, *, group_id: int | None = None,
            company_id: int | None = None, used_by: Collection[int] | None = None) -> str | None:
    """Why the actor may not do `action` on a record of this group (coordinators: their own
    groups), this contributor (HQ: their own company), or a shared record used by these groups
    (coordinators: some, and all of them theirs); None when they may."""
    if not can(actor, action):
        return _("Your role may not do this.")
    groups = group_scope(actor, action)
    if action in SHARED_SCOPED:
        if not groups.everything and (not used_by or not all(groups.allows(g) for g in used_by)):
            return _("This record is shared with other working groups (or with none yet): "
                     "only an administrator may change it.")
    elif action in GROUP_OPTIONAL and group_id is None:
        pass
    elif not groups.allows(group_id):
        if action == A.propose_work_item:
            return _("You may only propose items to groups your company belongs to.")
        if action == A.edit_lesson:
            return _("You may only share lessons for the working groups assigned to you.")
        return _("You may only change the records of the working groups assigned to you.")
    if action in COMPANY_SCOPED and not company_scope(actor, action).allows(company_id):
        if action == A.edit_contribution:
            return _("You may only record contributions of your own company.")
        if action == A.edit_lesson:
            return _("You may only share lessons in the name of your own company.")
        return _("You may only write your own company's report narrative.")
    return None


def allowed(actor: Actor | None, action: Action, *, group_id: int | None = None,
            company_id: int | None = None, used_by: Collection[int] | None = None) -> bool:
    """The UI's question: may the actor do `action` on this record? (`authorize` for writes.)"""
    return refusal(actor, action, group_id=group_id, company_id=company_id, used_by=used_by) is None


def authorize(actor: Actor | None, action: Action, *, group_id: int | None = None,
              company_id: int | None = None, used_by: Collection[int] | None = None) -> None:
    """Raise PermissionDenied with the reason unless `allowed`."""
    reason = refusal(actor, action, group_id=group_id, company_id=company_id, used_by=used_by)
    if reason is not None:
        raise PermissionDenied(reason)
