"""Who may do what: one role-by-action table that drives the navigation (components/nav.py)
and every read and write in db/. Scope rules (a coordinator's own groups, an HQ user's own
company) are applied by `authorize`, next to the table, so no caller can forget them."""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from enum import StrEnum

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

# Writes that are limited to a coordinator's own groups (the record's group must be theirs).
GROUP_SCOPED = frozenset({A.edit_group, A.edit_membership, A.edit_work_plan, A.decide_proposal,
                          A.edit_activity, A.edit_commitment, A.edit_issue, A.edit_fund,
                          A.edit_contribution, A.edit_disbursement, A.edit_forum,
                          A.edit_training, A.edit_document, A.import_data})

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

    @property
    def sees_all_confidential(self) -> bool:
        return self.role == Role.admin


SYSTEM = Actor(id=None, username="system", role=Role.admin, display_name="System")


def can(actor: Actor | None, action: Action) -> bool:
    """Whether the role may use this action at all (pages and menu entries ask this)."""
    return actor is not None and action in ROLE_ACTIONS.get(Role(actor.role), frozenset())


def may_see_confidential(actor: Actor, group_id: int | None) -> bool:
    """Admins and the coordinators of the issue's group see a confidential issue's details."""
    if actor.role == Role.admin:
        return True
    return actor.role == Role.coordinator and group_id is not None and group_id in actor.group_ids


def authorize(actor: Actor | None, action: Action, *, group_id: int | None = None,
              company_id: int | None = None, used_by: Collection[int] | None = None) -> None:
    """Raise PermissionDenied unless the actor may do `action` on a record of this group
    (coordinators: their own groups), this contributor (HQ: their own company), or a shared
    record used by these groups (coordinators: some, and all of them theirs)."""
    if not can(actor, action):
        raise PermissionDenied(_("Your role may not do this."))
    if actor.role == Role.admin:
        return
    if actor.role == Role.coordinator and action in GROUP_SCOPED:
        if group_id is None or group_id not in actor.group_ids:
            raise PermissionDenied(_("You may only change the records of the working groups assigned to you."))
    if actor.role == Role.coordinator and action in SHARED_SCOPED:
        if not used_by or not set(used_by) <= actor.group_ids:
            raise PermissionDenied(_("This record is shared with other working groups (or with none yet): "
                                     "only an administrator may change it."))
    if actor.role == Role.hq:
        if action == A.edit_contribution and (company_id is None or company_id not in actor.company_ids):
            raise PermissionDenied(_("You may only record contributions of your own company."))
        if action == A.propose_work_item and (group_id is None or group_id not in actor.member_group_ids):
            raise PermissionDenied(_("You may only propose items to groups your company belongs to."))
        if action == A.edit_narrative and (company_id is None or company_id not in actor.company_ids):
            raise PermissionDenied(_("You may only write your own company's report narrative."))
