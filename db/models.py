"""The data model: one SQLModel table per entity of the domain guide.

Layers, as in the full-stack FastAPI template: a `...Base` holds the fields a form edits and
their validation; `...Create` (validated, no table) is what forms hand to db/writes; the
`table=True` class adds keys, versions and constraints. SQLModel table classes skip pydantic
validation, so writes always go through a Create model first.

Money is stored as integer minor units with its ISO 4217 currency (see db/money.py).
Enumerations are CHECKed against db/vocab.py; tests compare the two."""
from __future__ import annotations

import re
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any, ClassVar, Optional

import sqlalchemy as sa
from pydantic import ConfigDict, ValidationInfo, field_validator, model_validator
from sqlmodel import Field, SQLModel

from db import vocab
from db.column_types import DecimalText
from db.vocab import NAME_MAX, NOTE_MAX, TEXT_MAX, TITLE_MAX
from i18n import _

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Control characters other than newline and tab are refused in every text field.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # C0, DEL and C1
# Characters that change how text reads without showing themselves: bidirectional overrides
# and isolates ("report\u202eexe.txt" reads as "reporttxt.exe") and invisible characters
# (zero-width space, word joiner, byte-order mark, soft hyphen). Refused in every text field.
INVISIBLE_CHARS = re.compile("[\u202a-\u202e\u2066-\u2069\u200b\u2060-\u2064\ufeff\u00ad\u180e]")
# Direction marks belong in right-to-left prose, so free text keeps them; names, titles and
# file names, which people compare and search, do not. Zero-width (non-)joiners are part of
# emoji sequences ("👩🏽\u200d🌾") and of Persian and Indic words ("می\u200cخواهم"), so names keep
# them there; next to an ASCII character or at either end they only make look-alikes.
NAME_ONLY_REFUSED = re.compile("[\u200e\u200f\u061c]|(?:^|(?<=[\x00-\x7f]))[\u200c\u200d]|[\u200c\u200d](?=[\x00-\x7f]|$)")
NAME_FIELDS = frozenset({"name", "title", "display_name", "username", "filename", "file_name", "unit",
                         "case_number", "tags"})


def hidden_characters_problem(value: str, *, name: bool) -> str | None:
    """Why a text may not be stored as typed (control or invisible characters), or None."""
    if CONTROL_CHARS.search(value):
        return _("Contains control characters; remove them and try again.")
    if INVISIBLE_CHARS.search(value) or (name and NAME_ONLY_REFUSED.search(value)):
        return _("Contains invisible or direction-changing characters (such as a right-to-left override "
                 "or a zero-width space); retype it without them.")
    return None
# Dates outside this window are typing mistakes in this register (a year 1800 or 2200).
DATE_EARLIEST = date(1950, 1, 1)
DATE_LATEST = date(2100, 12, 31)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def allowed(column: str, enum: type) -> sa.CheckConstraint:
    """CHECK that a column holds one of a vocabulary's values (NULL passes, as in SQL)."""
    return sa.CheckConstraint(sa.column(column).in_(vocab.values(enum)), name=f"{column}_allowed")


def non_negative(column: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(sa.column(column) >= 0, name=f"{column}_non_negative")


class CleanText(SQLModel):
    """Base for every form model: refuses control characters, trims surrounding space and
    refuses dates far outside the register's life (DATE_EARLIEST to DATE_LATEST)."""

    @field_validator("*", mode="before")
    @classmethod
    def _clean_text(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, str):
            if problem := hidden_characters_problem(value, name=info.field_name in NAME_FIELDS):
                raise ValueError(problem)
            return value.strip()
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _plausible_date(cls, value: Any) -> Any:
        day = value.date() if isinstance(value, datetime) else value
        if isinstance(day, date) and not DATE_EARLIEST <= day <= DATE_LATEST:
            raise ValueError(_("Give a date between {earliest} and {latest}.").format(
                earliest=DATE_EARLIEST.isoformat(), latest=DATE_LATEST.isoformat()))
        return value


class Versioned(SQLModel):
    """Optimistic locking: every update checks and bumps the version (db/writes/base.py)."""
    version: int = Field(default=1, nullable=False)


class UpdateModel(CleanText):
    """Base of every `...Update`: what one save changes on a stored record. Every field is
    optional and only the fields set are applied (`model_dump(exclude_unset=True)`), so a
    field left out is kept and one set to None is cleared; None is refused for a column that
    must hold a value, and an unknown field is refused (db/writes/base.update_record)."""
    model_config = ConfigDict(extra="forbid")
    stored_as: ClassVar[type[SQLModel]]
    # The Create model the stored record with these changes must still pass (rules across
    # fields, such as a membership ending after it starts), or None.
    record_rules: ClassVar[Optional[type[SQLModel]]] = None

    @model_validator(mode="after")
    def _none_only_where_allowed(self):
        columns = self.stored_as.__table__.columns
        for name in sorted(self.model_fields_set):
            if getattr(self, name) is None and not (name in columns and columns[name].nullable):
                raise ValueError(name + ": " + _("This field cannot be left empty."))
        return self


# --------------------------------------------------------------------------- organisations


class OrganisationBase(CleanText):
    name: str = Field(max_length=NAME_MAX, min_length=2)
    kind: vocab.OrgKind = Field(sa_type=sa.String(40))
    country: str = Field(max_length=2, min_length=2, description="ISO 3166-1 alpha-2")
    parent_id: Optional[int] = Field(default=None, foreign_key="organisation.id", index=True)
    vpshr_participant: bool = False
    icoca_member: bool = False
    eiti_supporter: bool = False


class OrganisationCreate(OrganisationBase):
    pass


class Organisation(OrganisationBase, Versioned, table=True):
    __tablename__ = "organisation"
    __table_args__ = (sa.UniqueConstraint("name"), allowed("kind", vocab.OrgKind))
    id: Optional[int] = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40, index=True)
    country: str = Field(max_length=2, index=True)


class OrganisationUpdate(UpdateModel):
    stored_as = Organisation
    record_rules = OrganisationCreate
    name: Optional[str] = None
    kind: Optional[vocab.OrgKind] = None
    country: Optional[str] = None
    parent_id: Optional[int] = None
    vpshr_participant: Optional[bool] = None
    icoca_member: Optional[bool] = None
    eiti_supporter: Optional[bool] = None


class SiteBase(CleanText):
    name: str = Field(max_length=NAME_MAX, min_length=2)
    country: str = Field(max_length=2, min_length=2)
    region: str = Field(default="", max_length=NAME_MAX)
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    company_id: Optional[int] = Field(default=None, foreign_key="organisation.id", index=True)


class SiteCreate(SiteBase):
    pass


class Site(SiteBase, Versioned, table=True):
    __tablename__ = "site"
    __table_args__ = (
        sa.UniqueConstraint("name", "country", name="uq_site_name_country"),
        sa.CheckConstraint("latitude BETWEEN -90 AND 90", name="latitude_range"),
        sa.CheckConstraint("longitude BETWEEN -180 AND 180", name="longitude_range"),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    country: str = Field(max_length=2, index=True)


class SiteUpdate(UpdateModel):
    stored_as = Site
    record_rules = SiteCreate
    name: Optional[str] = None
    country: Optional[str] = None
    region: Optional[str] = None
    latitude: Optional[float] = None
    longitude: Optional[float] = None
    company_id: Optional[int] = None


# --------------------------------------------------------------------------- working groups


class WorkingGroupBase(CleanText):
    name: str = Field(max_length=NAME_MAX, min_length=3)
    country: str = Field(max_length=2, min_length=2)
    level: vocab.GroupLevel = Field(sa_type=sa.String(20))
    focus: vocab.GroupFocus = Field(sa_type=sa.String(30))
    status: vocab.GroupStatus = Field(default=vocab.GroupStatus.active, sa_type=sa.String(20))
    established_on: Optional[date] = None
    lead: vocab.GroupLead = Field(sa_type=sa.String(20))
    secretariat_org_id: Optional[int] = Field(default=None, foreign_key="organisation.id", index=True)
    timezone: str = Field(default="UTC", max_length=64)
    description: str = Field(default="", max_length=TEXT_MAX)


class WorkingGroupCreate(WorkingGroupBase):
    initiatives: list[vocab.Initiative] = []
    site_ids: list[int] = []


class WorkingGroup(WorkingGroupBase, Versioned, table=True):
    __tablename__ = "working_group"
    __table_args__ = (
        sa.UniqueConstraint("name"),
        allowed("level", vocab.GroupLevel), allowed("focus", vocab.GroupFocus),
        allowed("status", vocab.GroupStatus), allowed("lead", vocab.GroupLead),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    country: str = Field(max_length=2, index=True)
    level: str = Field(max_length=20)
    focus: str = Field(max_length=30)
    status: str = Field(max_length=20, index=True)
    lead: str = Field(max_length=20)


class WorkingGroupUpdate(UpdateModel):
    """A group's fields and its links (initiatives, sites: db/writes/groups.py sets those)."""
    stored_as = WorkingGroup
    record_rules = WorkingGroupCreate
    name: Optional[str] = None
    country: Optional[str] = None
    level: Optional[vocab.GroupLevel] = None
    focus: Optional[vocab.GroupFocus] = None
    status: Optional[vocab.GroupStatus] = None
    established_on: Optional[date] = None
    lead: Optional[vocab.GroupLead] = None
    secretariat_org_id: Optional[int] = None
    timezone: Optional[str] = None
    description: Optional[str] = None
    initiatives: Optional[list[vocab.Initiative]] = None
    site_ids: Optional[list[int]] = None


class GroupSite(SQLModel, table=True):
    __tablename__ = "group_site"
    group_id: int = Field(foreign_key="working_group.id", primary_key=True, ondelete="CASCADE")
    site_id: int = Field(foreign_key="site.id", primary_key=True, index=True)


class GroupInitiative(SQLModel, table=True):
    __tablename__ = "group_initiative"
    __table_args__ = (allowed("initiative", vocab.Initiative),)
    group_id: int = Field(foreign_key="working_group.id", primary_key=True, ondelete="CASCADE")
    initiative: str = Field(max_length=20, primary_key=True)


class MembershipBase(CleanText):
    group_id: int = Field(foreign_key="working_group.id", index=True)
    org_id: int = Field(foreign_key="organisation.id", index=True)
    role: vocab.MemberRole = Field(default=vocab.MemberRole.member, sa_type=sa.String(20))
    since: date
    until: Optional[date] = None

    @model_validator(mode="after")
    def _until_after_since(self):
        if self.until is not None and self.until < self.since:
            raise ValueError("until: " + _("the end date must be on or after the start date"))
        return self


class MembershipCreate(MembershipBase):
    pass


class Membership(MembershipBase, Versioned, table=True):
    """Memberships are ended (until), never deleted: attendance history refers to them."""
    __tablename__ = "membership"
    __table_args__ = (
        allowed("role", vocab.MemberRole),
        sa.CheckConstraint("until IS NULL OR until >= since", name="until_after_since"),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    role: str = Field(max_length=20)


class MembershipUpdate(UpdateModel):
    """A membership's role and dates; its group and organisation never change."""
    stored_as = Membership
    record_rules = MembershipCreate
    role: Optional[vocab.MemberRole] = None
    since: Optional[date] = None
    until: Optional[date] = None


class WorkPlanBase(CleanText):
    group_id: int = Field(foreign_key="working_group.id", index=True)
    title: str = Field(max_length=TITLE_MAX, min_length=3)
    period_start: date
    period_end: date

    @model_validator(mode="after")
    def _end_after_start(self):
        if self.period_end < self.period_start:
            raise ValueError("period_end: " + _("the period must end after it starts"))
        return self


class WorkPlanCreate(WorkPlanBase):
    pass


class WorkPlan(WorkPlanBase, Versioned, table=True):
    __tablename__ = "work_plan"
    __table_args__ = (sa.CheckConstraint("period_end >= period_start", name="period_order"),)
    id: Optional[int] = Field(default=None, primary_key=True)


class WorkPlanItemBase(CleanText):
    work_plan_id: int = Field(foreign_key="work_plan.id", index=True)
    title: str = Field(max_length=TITLE_MAX, min_length=3)
    kind: vocab.WorkItemKind = Field(sa_type=sa.String(20))
    owner_org_id: Optional[int] = Field(default=None, foreign_key="organisation.id", index=True)
    due_on: Optional[date] = None
    status: vocab.WorkItemStatus = Field(default=vocab.WorkItemStatus.planned, sa_type=sa.String(20))
    progress: int = Field(default=0, ge=0, le=100)
    proposal: vocab.Proposal = Field(default=vocab.Proposal.adopted, sa_type=sa.String(20))


class WorkPlanItemCreate(WorkPlanItemBase):
    pass


class WorkPlanItem(WorkPlanItemBase, Versioned, table=True):
    __tablename__ = "work_plan_item"
    __table_args__ = (
        allowed("kind", vocab.WorkItemKind), allowed("status", vocab.WorkItemStatus),
        allowed("proposal", vocab.Proposal),
        sa.CheckConstraint("progress BETWEEN 0 AND 100", name="progress_range"),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)
    status: str = Field(max_length=20, index=True)
    proposal: str = Field(max_length=20)
    proposed_by_user_id: Optional[int] = Field(default=None, foreign_key="app_user.id")


class WorkPlanItemUpdate(UpdateModel):
    """What the work plan table and a coordinator's decision change on an item."""
    stored_as = WorkPlanItem
    status: Optional[vocab.WorkItemStatus] = None
    progress: Optional[int] = None
    proposal: Optional[vocab.Proposal] = None


# --------------------------------------------------------------------------- activities


class ActivityBase(CleanText):
    group_id: int = Field(foreign_key="working_group.id", index=True)
    kind: vocab.ActivityKind = Field(sa_type=sa.String(30))
    title: str = Field(max_length=TITLE_MAX, min_length=3)
    starts_at: datetime = Field(description="local time in the group's time zone")
    ends_at: datetime
    site_id: Optional[int] = Field(default=None, foreign_key="site.id", index=True)
    place: str = Field(default="", max_length=NAME_MAX)
    status: vocab.ActivityStatus = Field(default=vocab.ActivityStatus.scheduled, sa_type=sa.String(20))
    summary: str = Field(default="", max_length=TEXT_MAX)
    outcomes: str = Field(default="", max_length=TEXT_MAX)
    work_plan_item_id: Optional[int] = Field(default=None, foreign_key="work_plan_item.id", index=True)

    @model_validator(mode="after")
    def _end_after_start(self):
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at: " + _("the end must be after the start"))
        return self


class ActivityCreate(ActivityBase):
    pass


class Activity(ActivityBase, Versioned, table=True):
    __tablename__ = "activity"
    __table_args__ = (
        allowed("kind", vocab.ActivityKind), allowed("status", vocab.ActivityStatus),
        sa.CheckConstraint("ends_at > starts_at", name="end_after_start"),
        sa.Index("ix_activity_group_start", "group_id", "starts_at"),
        sa.Index("ix_activity_status_start", "status", "starts_at"),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    kind: str = Field(max_length=30)
    status: str = Field(max_length=20)


class ActivityUpdate(UpdateModel):
    """What postponing, cancelling and recording as held change on an activity."""
    stored_as = Activity
    record_rules = ActivityCreate
    status: Optional[vocab.ActivityStatus] = None
    starts_at: Optional[datetime] = None
    ends_at: Optional[datetime] = None
    summary: Optional[str] = None
    outcomes: Optional[str] = None


class AttendanceBase(CleanText):
    activity_id: int = Field(foreign_key="activity.id", index=True, ondelete="CASCADE")
    org_id: int = Field(foreign_key="organisation.id", index=True)
    invited: bool = True
    attended: bool = False
    participants: int = Field(default=0, ge=0, le=10000)
    women: int = Field(default=0, ge=0, le=10000)

    @model_validator(mode="after")
    def _women_within_participants(self):
        if self.women > self.participants:
            raise ValueError("women: " + _("the number of women cannot be more than the participants"))
        if not self.attended and self.participants:
            raise ValueError("participants: " + _("an organisation that did not attend has no participants"))
        return self


class AttendanceCreate(AttendanceBase):
    pass


class Attendance(AttendanceBase, table=True):
    __tablename__ = "attendance"
    __table_args__ = (
        sa.UniqueConstraint("activity_id", "org_id", name="uq_attendance_activity_org"),
        # Attendance per organisation (scorecard, organisations, promise-keeping) reads this
        # alone; without it SQLite walks every held activity and probes each (5 s at scale 100).
        sa.Index("ix_attendance_org_invited", "org_id", "invited", "activity_id", "attended"),
        sa.CheckConstraint("women <= participants", name="women_within_participants"),
        non_negative("participants"), non_negative("women"),
    )
    id: Optional[int] = Field(default=None, primary_key=True)


# --------------------------------------------------------------------------- issues


class IssueBase(CleanText):
    group_id: int = Field(foreign_key="working_group.id", index=True)
    site_id: Optional[int] = Field(default=None, foreign_key="site.id", index=True)
    title: str = Field(max_length=TITLE_MAX, min_length=3)
    description: str = Field(default="", max_length=TEXT_MAX)
    category: vocab.IssueCategory = Field(sa_type=sa.String(30))
    raiser_pillar: vocab.Pillar = Field(sa_type=sa.String(20))
    raiser_org_id: Optional[int] = Field(default=None, foreign_key="organisation.id", index=True)
    raiser_name: str = Field(default="", max_length=NAME_MAX, description="blank when anonymous")
    anonymous: bool = False
    channel: vocab.Channel = Field(sa_type=sa.String(20))
    raised_on: date
    severity: vocab.Severity = Field(sa_type=sa.String(20))
    violence_risk: bool = False
    security_actor: vocab.SecurityActor = Field(default=vocab.SecurityActor.none, sa_type=sa.String(20))
    owner_org_id: Optional[int] = Field(default=None, foreign_key="organisation.id", index=True)
    confidential: bool = False


class IssueCreate(IssueBase):
    @model_validator(mode="after")
    def _anonymous_has_no_name(self):
        if self.anonymous and self.raiser_name:
            raise ValueError("raiser_name: " + _("leave the name blank for an anonymous issue"))
        return self


class Issue(IssueBase, Versioned, table=True):
    __tablename__ = "issue"
    __table_args__ = (
        sa.UniqueConstraint("case_number"),
        allowed("category", vocab.IssueCategory), allowed("raiser_pillar", vocab.Pillar),
        allowed("channel", vocab.Channel), allowed("severity", vocab.Severity),
        allowed("security_actor", vocab.SecurityActor), allowed("status", vocab.IssueStatus),
        allowed("referral", vocab.Referral), allowed("satisfaction", vocab.Satisfaction),
        sa.Index("ix_issue_group_raised", "group_id", "raised_on"),
        sa.Index("ix_issue_status_severity", "status", "severity"),
        sa.Index("ix_issue_site_category", "site_id", "category", "raised_on"),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    case_number: str = Field(max_length=20)
    category: str = Field(max_length=30)
    raiser_pillar: str = Field(max_length=20)
    channel: str = Field(max_length=20)
    severity: str = Field(max_length=20)
    security_actor: str = Field(max_length=20)
    status: str = Field(default=vocab.IssueStatus.received, max_length=20)
    acknowledge_by: date
    resolve_by: date
    acknowledged_on: Optional[date] = None
    escalated: bool = False
    referral: str = Field(default=vocab.Referral.none, max_length=20)
    outcome: str = Field(default="", max_length=TEXT_MAX)
    remedy: str = Field(default="", max_length=TEXT_MAX)
    satisfaction: str = Field(default=vocab.Satisfaction.unknown, max_length=20)
    resolved_on: Optional[date] = None
    closed_on: Optional[date] = None
    retired: bool = Field(default=False, description="retired, not deleted: history matters")


class IssueChanges(UpdateModel):
    """What a status change, the outcome and retiring change on an issue. Not "IssueUpdate":
    that name is the issue's timeline (one row per status change), below."""
    stored_as = Issue
    status: Optional[vocab.IssueStatus] = None
    acknowledged_on: Optional[date] = None
    escalated: Optional[bool] = None
    resolved_on: Optional[date] = None
    closed_on: Optional[date] = None
    outcome: Optional[str] = None
    remedy: Optional[str] = None
    referral: Optional[vocab.Referral] = None
    satisfaction: Optional[vocab.Satisfaction] = None
    retired: Optional[bool] = None


class IssueUpdate(SQLModel, table=True):
    """One change of an issue's status: when, by whom, from, to, note."""
    __tablename__ = "issue_update"
    __table_args__ = (allowed("from_status", vocab.IssueStatus), allowed("to_status", vocab.IssueStatus))
    id: Optional[int] = Field(default=None, primary_key=True)
    issue_id: int = Field(foreign_key="issue.id", index=True)
    at: datetime = Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True))
    on_date: date = Field(description="the day the change took effect")
    user_id: Optional[int] = Field(default=None, foreign_key="app_user.id", index=True)
    from_status: Optional[str] = Field(default=None, max_length=20)
    to_status: str = Field(max_length=20)
    note: str = Field(default="", max_length=NOTE_MAX)
    raiser_informed: bool = False


class IssueActivity(SQLModel, table=True):
    __tablename__ = "issue_activity"
    issue_id: int = Field(foreign_key="issue.id", primary_key=True)
    activity_id: int = Field(foreign_key="activity.id", primary_key=True, index=True)


# --------------------------------------------------------------------------- commitments


class CommitmentBase(CleanText):
    group_id: int = Field(foreign_key="working_group.id", index=True)
    activity_id: Optional[int] = Field(default=None, foreign_key="activity.id", index=True)
    issue_id: Optional[int] = Field(default=None, foreign_key="issue.id", index=True)
    owner_org_id: int = Field(foreign_key="organisation.id", index=True)
    description: str = Field(max_length=TEXT_MAX, min_length=3)
    due_on: Optional[date] = None


class CommitmentCreate(CommitmentBase):
    pass


class Commitment(CommitmentBase, Versioned, table=True):
    __tablename__ = "commitment"
    __table_args__ = (
        allowed("status", vocab.CommitmentStatus),
        sa.CheckConstraint("verified_by_org_id IS NULL OR verified_by_org_id <> owner_org_id",
                           name="verifier_not_owner"),
        sa.Index("ix_commitment_status_due", "status", "due_on"),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    status: str = Field(default=vocab.CommitmentStatus.open, max_length=20)
    done_on: Optional[date] = None
    verified_by_org_id: Optional[int] = Field(default=None, foreign_key="organisation.id", index=True)
    verified_on: Optional[date] = None


class CommitmentUpdate(UpdateModel):
    """A commitment's status, when it was done, and who verified it when."""
    stored_as = Commitment
    status: Optional[vocab.CommitmentStatus] = None
    done_on: Optional[date] = None
    verified_by_org_id: Optional[int] = None
    verified_on: Optional[date] = None


# --------------------------------------------------------------------------- funding


class FundBase(CleanText):
    group_id: int = Field(foreign_key="working_group.id", index=True)
    name: str = Field(max_length=NAME_MAX, min_length=3)
    kind: vocab.FundKind = Field(sa_type=sa.String(20))
    administrator_org_id: Optional[int] = Field(default=None, foreign_key="organisation.id", index=True)
    currency: str = Field(max_length=3, min_length=3)
    governance_notes: str = Field(default="", max_length=TEXT_MAX)


class FundCreate(FundBase):
    pass


class Fund(FundBase, Versioned, table=True):
    __tablename__ = "fund"
    __table_args__ = (sa.UniqueConstraint("name"), allowed("kind", vocab.FundKind))
    id: Optional[int] = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)


class Contribution(Versioned, table=True):
    """Financial (amount in minor units of its currency) or in-kind (estimated value)."""
    __tablename__ = "contribution"
    __table_args__ = (
        allowed("kind", vocab.ContributionKind), non_negative("amount_minor"),
        sa.Index("ix_contribution_fund_received", "fund_id", "received_on"),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    fund_id: int = Field(foreign_key="fund.id", index=True)
    contributor_org_id: int = Field(foreign_key="organisation.id", index=True)
    kind: str = Field(max_length=20)
    amount_minor: int = Field(sa_type=sa.BigInteger, description="amount, or in-kind estimated value, in minor units (BIGINT: 50,000 USD in COP or CDF overflows 32 bits)")
    currency: str = Field(max_length=3)
    description: str = Field(default="", max_length=TEXT_MAX)
    received_on: date
    earmarked: bool = False
    earmark_purpose: str = Field(default="", max_length=NAME_MAX)
    published: bool = False
    retired: bool = False
    recorded_by_user_id: Optional[int] = Field(default=None, foreign_key="app_user.id")


class Disbursement(Versioned, table=True):
    __tablename__ = "disbursement"
    __table_args__ = (
        allowed("purpose", vocab.SpendingPurpose), non_negative("amount_minor"),
        sa.Index("ix_disbursement_fund_spent", "fund_id", "spent_on"),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    fund_id: int = Field(foreign_key="fund.id", index=True)
    amount_minor: int = Field(sa_type=sa.BigInteger)
    currency: str = Field(max_length=3)
    spent_on: date
    purpose: str = Field(max_length=20)
    description: str = Field(default="", max_length=TEXT_MAX)
    activity_id: Optional[int] = Field(default=None, foreign_key="activity.id", index=True)
    work_plan_item_id: Optional[int] = Field(default=None, foreign_key="work_plan_item.id", index=True)
    approved_by_org_id: Optional[int] = Field(default=None, foreign_key="organisation.id")
    approved_by_name: str = Field(default="", max_length=NAME_MAX)
    published: bool = False
    retired: bool = False


class ExchangeRate(SQLModel, table=True):
    """How many units of the reporting currency one unit of `currency` buys on `rate_date`."""
    __tablename__ = "exchange_rate"
    __table_args__ = (sa.UniqueConstraint("currency", "rate_date", name="uq_exchange_rate_currency_date"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    currency: str = Field(max_length=3)
    rate_date: date
    rate: Decimal = Field(sa_type=DecimalText)


# --------------------------------------------------------------------------- learning


class ForumEngagement(SQLModel, table=True):
    __tablename__ = "forum_engagement"
    __table_args__ = (allowed("forum", vocab.Forum),)
    id: Optional[int] = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="working_group.id", index=True)
    held_on: date
    forum: str = Field(max_length=20)
    presented: str = Field(max_length=TEXT_MAX)


class Lesson(SQLModel, table=True):
    __tablename__ = "lesson"
    id: Optional[int] = Field(default=None, primary_key=True)
    title: str = Field(max_length=TITLE_MAX)
    text: str = Field(max_length=TEXT_MAX)
    tags: str = Field(default="", max_length=NAME_MAX, description="comma-separated")
    org_id: Optional[int] = Field(default=None, foreign_key="organisation.id", index=True)
    group_id: Optional[int] = Field(default=None, foreign_key="working_group.id", index=True)
    shared_on: date
    author_user_id: Optional[int] = Field(default=None, foreign_key="app_user.id")


class SecurityTraining(SQLModel, table=True):
    __tablename__ = "security_training"
    __table_args__ = (non_negative("people_trained"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organisation.id", index=True)
    unit: str = Field(max_length=NAME_MAX)
    site_id: Optional[int] = Field(default=None, foreign_key="site.id", index=True)
    held_on: date
    people_trained: int
    topic: str = Field(max_length=TITLE_MAX)


class Document(SQLModel, table=True):
    """Stored in the database, so a backup holds it."""
    __tablename__ = "document"
    __table_args__ = (allowed("kind", vocab.DocumentKind), non_negative("size_bytes"))
    id: Optional[int] = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="working_group.id", index=True)
    activity_id: Optional[int] = Field(default=None, foreign_key="activity.id", index=True)
    issue_id: Optional[int] = Field(default=None, foreign_key="issue.id", index=True)
    kind: str = Field(max_length=30)
    title: str = Field(max_length=TITLE_MAX)
    filename: str = Field(max_length=NAME_MAX)
    content_type: str = Field(max_length=100)
    size_bytes: int
    content: bytes = Field(sa_type=sa.LargeBinary)
    uploaded_by_user_id: Optional[int] = Field(default=None, foreign_key="app_user.id")
    uploaded_at: datetime = Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True))


class Narrative(Versioned, table=True):
    """HQ's own words for a company's annual report: commitment, policies and procedures."""
    __tablename__ = "narrative"
    __table_args__ = (
        sa.UniqueConstraint("company_org_id", "year", "section", name="uq_narrative_company_year_section"),
        allowed("section", vocab.NarrativeSection),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    company_org_id: int = Field(foreign_key="organisation.id", index=True)
    year: int
    section: str = Field(max_length=20)
    text: str = Field(default="", max_length=TEXT_MAX)


class NarrativeUpdate(UpdateModel):
    stored_as = Narrative
    text: Optional[str] = None


# --------------------------------------------------------------------------- users and audit


class User(Versioned, table=True):
    __tablename__ = "app_user"
    __table_args__ = (sa.UniqueConstraint("username"), allowed("role", vocab.Role),
                      allowed("language", vocab.Language))
    id: Optional[int] = Field(default=None, primary_key=True)
    username: str = Field(max_length=60)
    display_name: str = Field(max_length=NAME_MAX)
    email: str = Field(default="", max_length=NAME_MAX)
    password_hash: str = Field(max_length=100)
    role: str = Field(max_length=20)
    org_id: Optional[int] = Field(default=None, foreign_key="organisation.id", index=True)
    language: str = Field(default=vocab.Language.en, max_length=5)
    active: bool = True
    # Bumped by every password change: sessions made under an older one are no longer valid.
    password_version: int = Field(default=1, nullable=False, sa_column_kwargs={"server_default": "1"})


class UserSession(SQLModel, table=True):
    """A server-side login session. The browser's cookie holds a random token; only its
    SHA-256 is stored, so a copied database cannot be turned into logins."""
    __tablename__ = "user_session"
    id: Optional[int] = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="app_user.id", index=True, ondelete="CASCADE")
    password_version: int
    created_at: datetime = Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True))
    last_seen_at: datetime = Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True))
    revoked_at: Optional[datetime] = Field(default=None, sa_type=sa.DateTime(timezone=True))
    user_agent: str = Field(default="", max_length=200)


class LoginThrottle(SQLModel, table=True):
    """Failed logins in a row, per account ("user:<name>") and per client ("client:<address>"),
    counted atomically; each key is slowed down on its own (db/sessions.py)."""
    __tablename__ = "login_throttle"
    key: str = Field(max_length=120, primary_key=True)
    failures: int = 0
    last_failure_at: Optional[datetime] = Field(default=None, sa_type=sa.DateTime(timezone=True))


class UserGroup(SQLModel, table=True):
    """The working groups a coordinator may edit."""
    __tablename__ = "user_group"
    user_id: int = Field(foreign_key="app_user.id", primary_key=True, ondelete="CASCADE")
    group_id: int = Field(foreign_key="working_group.id", primary_key=True, index=True)


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_entry"
    __table_args__ = (allowed("action", vocab.AuditAction),
                      sa.Index("ix_audit_table_row", "table_name", "row_id"))
    id: Optional[int] = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True), index=True)
    user_id: Optional[int] = Field(default=None, foreign_key="app_user.id", index=True)
    username: str = Field(max_length=60)
    action: str = Field(max_length=20)
    table_name: str = Field(max_length=40)
    row_id: Optional[int] = None
    before: Optional[str] = Field(default=None, sa_type=sa.Text)
    after: Optional[str] = Field(default=None, sa_type=sa.Text)


class DataVersion(SQLModel, table=True):
    """One row, bumped by every write: caches in every app process key on it."""
    __tablename__ = "data_version"
    id: int = Field(default=1, primary_key=True)
    version: int = 0
