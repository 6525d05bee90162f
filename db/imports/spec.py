"""What each import kind looks like: its columns, which are required, what each means and the
values it allows (taken from db/vocab.py), and the write action that guards it."""
from __future__ import annotations

from dataclasses import dataclass, field

from db.permissions import Action, Actor, can
from db.vocab import (
    ActivityKind,
    ActivityStatus,
    Channel,
    ContributionKind,
    IssueCategory,
    IssueStatus,
    OrgKind,
    Pillar,
    SecurityActor,
    Severity,
    values,
)
from i18n import N_, _

YES_NO = ["yes", "no"]


@dataclass(frozen=True)
class Column:
    name: str                      # the header in the file (fixed, not translated)
    meaning: str                   # msgid
    required: bool = False
    allowed: tuple[str, ...] = ()  # vocabulary values, when the column takes one
    example: str = ""


@dataclass(frozen=True)
class Kind:
    key: str
    title: str                     # msgid
    table: str                     # the audit entry's table_name
    action: Action                 # the write action each row is authorised with
    columns: tuple[Column, ...]
    natural_key: str               # msgid: how a re-import finds the stored record
    notes: tuple[str, ...] = field(default=())

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _vocab(enum) -> tuple[str, ...]:
    return tuple(values(enum))


C = Column
ORGANISATIONS = Kind(
    "organisations", N_("Organisations"), "organisation", Action.edit_organisation, (
        C("name", N_("The organisation's name, unique in the register."), True, example="Example Mining Ltd"),
        C("kind", N_("What kind of organisation it is; its pillar follows from the kind."), True, _vocab(OrgKind), "company"),
        C("country", N_("ISO 3166 two-letter country code."), True, example="GH"),
        C("parent", N_("The name of its parent organisation (a subsidiary's group company), if any.")),
        C("vpshr_participant", N_("Participant in the Voluntary Principles: yes or no."), allowed=tuple(YES_NO), example="no"),
        C("icoca_member", N_("Member of ICoCA: yes or no."), allowed=tuple(YES_NO), example="no"),
        C("eiti_supporter", N_("Supports EITI: yes or no."), allowed=tuple(YES_NO), example="no"),
    ), N_("An organisation is found again by its name: a re-import updates it instead of adding a second one."))

ACTIVITIES = Kind(
    "activities", N_("Activities and attendance"), "activity", Action.edit_activity, (
        C("group", N_("The working group's name."), True, example="Example Working Group"),
        C("title", N_("The activity's title."), True, example="Quarterly plenary"),
        C("kind", N_("What kind of activity it is."), True, _vocab(ActivityKind), "plenary"),
        C("starts_at", N_("Start, in the group's local time: YYYY-MM-DD HH:MM."), True, example="2026-12-03 09:00"),
        C("ends_at", N_("End, in the group's local time: YYYY-MM-DD HH:MM."), True, example="2026-12-03 13:00"),
        C("status", N_("The activity's status (held needs outcomes and a start that has passed)."), False, _vocab(ActivityStatus), "scheduled"),
        C("site", N_("The name of the site where it took place, if any.")),
        C("place", N_("The place, in words.")),
        C("summary", N_("What happened.")),
        C("outcomes", N_("What was achieved or agreed.")),
        C("organisation", N_("For attendance: the name of an organisation invited; one row per organisation, repeating the activity's columns. Leave blank for an activity without attendance.")),
        C("invited", N_("The organisation was invited: yes or no (default yes)."), allowed=tuple(YES_NO), example="yes"),
        C("attended", N_("The organisation attended: yes or no."), allowed=tuple(YES_NO), example="yes"),
        C("participants", N_("How many people it sent (0 if it did not attend)."), example="3"),
        C("women", N_("Of whom women (at most the participants)."), example="1"),
    ), N_("An activity is found again by its group, title and start; its attendance by the activity and the organisation."))

ISSUES = Kind(
    "issues", N_("Issues"), "issue", Action.edit_issue, (
        C("case_number", N_("Leave blank for a new issue (it gets a case number); give the case number to update a stored one.")),
        C("group", N_("The working group's name."), True, example="Example Working Group"),
        C("site", N_("The name of the site concerned, if any.")),
        C("title", N_("A short title."), True, example="Dust from haul road"),
        C("description", N_("What was raised.")),
        C("category", N_("The issue's category."), True, _vocab(IssueCategory), "environment"),
        C("raiser_pillar", N_("The stakeholder kind of whoever raised it."), True, _vocab(Pillar), "community"),
        C("raiser_organisation", N_("The raising organisation's name, if any.")),
        C("raiser_name", N_("The raiser's name; blank when anonymous.")),
        C("anonymous", N_("Raised anonymously: yes or no."), allowed=tuple(YES_NO), example="no"),
        C("channel", N_("How it was raised."), True, _vocab(Channel), "meeting"),
        C("raised_on", N_("Date raised: YYYY-MM-DD, not in the future."), True, example="2026-11-20"),
        C("severity", N_("How severe it is; sets the acknowledge-by and resolve-by dates."), True, _vocab(Severity), "medium"),
        C("violence_risk", N_("Risk of violence: yes or no."), allowed=tuple(YES_NO), example="no"),
        C("security_actor", N_("Security actors involved."), False, _vocab(SecurityActor), "none"),
        C("owner_organisation", N_("The name of the organisation that owns the follow-up, if any.")),
        C("confidential", N_("Confidential (the raiser's identity must be protected): yes or no."), allowed=tuple(YES_NO), example="no"),
        C("status", N_("For a stored issue: its new status, following the allowed transitions (blank: unchanged). New issues start as received."), False, _vocab(IssueStatus)),
        C("note", N_("A note on the status change (needed to close an issue that was not resolved).")),
    ), N_("An issue is found again by its case number; rows without one are new issues."))

CONTRIBUTIONS = Kind(
    "contributions", N_("Contributions"), "contribution", Action.edit_contribution, (
        C("fund", N_("The fund's name."), True, example="Example Trust Fund"),
        C("contributor", N_("The contributing organisation's name."), True, example="Example Mining Ltd"),
        C("kind", N_("Financial or in kind."), False, _vocab(ContributionKind), "financial"),
        C("amount", N_("The amount (in kind: its estimated value), with a dot for decimals and at most the currency's decimals."), True, example="25000.00"),
        C("currency", N_("ISO 4217 currency code."), True, example="USD"),
        C("description", N_("What was given (needed for in-kind support).")),
        C("received_on", N_("Date received: YYYY-MM-DD."), True, example="2026-10-01"),
        C("earmarked", N_("Earmarked for a purpose: yes or no."), allowed=tuple(YES_NO), example="no"),
        C("earmark_purpose", N_("What earmarked money is for.")),
        C("published", N_("May appear on the public transparency view: yes or no."), allowed=tuple(YES_NO), example="no"),
    ), N_("A contribution is found again by its fund, contributor, date received, amount and currency."))

EXCHANGE_RATES = Kind(
    "exchange_rates", N_("Exchange rates"), "exchange_rate", Action.edit_exchange_rate, (
        C("currency", N_("ISO 4217 currency code (not the reporting currency)."), True, example="GHS"),
        C("date", N_("The date the rate is for: YYYY-MM-DD."), True, example="2026-11-01"),
        C("rate", N_("US dollars one unit of the currency buys, with a dot for decimals (more than zero)."), True, example="0.0821"),
    ), N_("A rate is found again by its currency and date: a re-import updates it instead of adding a second one."))

KINDS: dict[str, Kind] = {k.key: k for k in (ORGANISATIONS, ACTIVITIES, ISSUES, CONTRIBUTIONS, EXCHANGE_RATES)}


def kinds_for(actor: Actor) -> list[Kind]:
    """The kinds this actor may import: import_data plus the kind's own write action
    (HQ: contributions only, scoped to their company row by row)."""
    if not can(actor, Action.import_data):
        return []
    return [k for k in KINDS.values() if can(actor, k.action)]


# describe()'s keys as the headings people read, in their language (English: the keys themselves)
DESCRIBE_HEADINGS = {"column": N_("column"), "required": N_("required"), "meaning": N_("meaning"),
                     "allowed values": N_("allowed values"), "example": N_("example")}


def describe(kind: Kind) -> list[dict[str, str]]:
    """One line per column for the template's explanation sheet and the page."""
    return [{"column": c.name, "required": _("yes") if c.required else _("no"), "meaning": _(c.meaning),
             "allowed values": ", ".join(c.allowed), "example": c.example} for c in kind.columns]
