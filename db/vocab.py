"""Every list the app shows, defined once: models build CHECK constraints from these, forms
offer them as options, charts take their colours from here, tests take their expectations.

Values are stored in the database; labels are English msgids marked with N_ so the
translation catalogues pick them up (see i18n/)."""
from enum import StrEnum

from i18n import LANGUAGE_NAMES, LANGUAGES, N_, _


class Role(StrEnum):
    admin = "admin"
    coordinator = "coordinator"
    hq = "hq"
    viewer = "viewer"


class OrgKind(StrEnum):
    government = "government"
    company = "company"
    public_security = "public_security"
    private_security = "private_security"
    civil_society = "civil_society"
    community_group = "community_group"
    international_organisation = "international_organisation"
    donor = "donor"
    academic = "academic"


class Pillar(StrEnum):
    state = "state"
    company = "company"
    civil_society = "civil_society"
    community = "community"
    observer = "observer"


# The domain guide's pillar mapping: "another pillar" always means by this table.
PILLAR_OF_KIND = {
    OrgKind.government: Pillar.state,
    OrgKind.public_security: Pillar.state,
    OrgKind.company: Pillar.company,
    OrgKind.private_security: Pillar.company,
    OrgKind.civil_society: Pillar.civil_society,
    OrgKind.academic: Pillar.civil_society,
    OrgKind.community_group: Pillar.community,
    OrgKind.international_organisation: Pillar.observer,
    OrgKind.donor: Pillar.observer,
}

# The four pillars whose joint presence makes a meeting "balanced".
CORE_PILLARS = (Pillar.state, Pillar.company, Pillar.civil_society, Pillar.community)

SECURITY_PROVIDER_KINDS = (OrgKind.public_security, OrgKind.private_security)


class GroupLevel(StrEnum):
    national = "national"
    regional = "regional"
    provincial = "provincial"
    local = "local"
    operational = "operational"


class GroupFocus(StrEnum):
    security_human_rights = "security_human_rights"
    childrens_rights = "childrens_rights"
    business_human_rights = "business_human_rights"
    oecd_guidelines = "oecd_guidelines"
    other = "other"


class GroupStatus(StrEnum):
    active = "active"
    dormant = "dormant"
    closed = "closed"


class GroupLead(StrEnum):
    civil_society = "civil_society"
    government = "government"
    company = "company"
    joint = "joint"


class Initiative(StrEnum):
    vpshr = "vpshr"
    eiti = "eiti"
    icoca = "icoca"
    oecd_ncp = "oecd_ncp"
    ungps = "ungps"
    local = "local"


class MemberRole(StrEnum):
    chair = "chair"
    co_chair = "co_chair"
    secretariat = "secretariat"
    member = "member"
    observer = "observer"


class WorkItemKind(StrEnum):
    meeting = "meeting"
    workshop = "workshop"
    training = "training"
    tool = "tool"
    monitoring = "monitoring"
    research = "research"
    outreach = "outreach"


class WorkItemStatus(StrEnum):
    planned = "planned"
    in_progress = "in_progress"
    done = "done"
    delayed = "delayed"
    cancelled = "cancelled"


class Proposal(StrEnum):
    """A work-plan item an HQ user proposes waits for the coordinator to adopt or decline it."""
    adopted = "adopted"
    proposed = "proposed"
    declined = "declined"


class ActivityKind(StrEnum):
    plenary = "plenary"
    steering_committee = "steering_committee"
    workshop = "workshop"
    training = "training"
    field_visit = "field_visit"
    community_dialogue = "community_dialogue"
    forum_presentation = "forum_presentation"


# Held activities of these kinds are "meetings"; other kinds count as activities.
MEETING_KINDS = (ActivityKind.plenary, ActivityKind.steering_committee, ActivityKind.community_dialogue)


class ActivityStatus(StrEnum):
    scheduled = "scheduled"
    held = "held"
    postponed = "postponed"
    cancelled = "cancelled"


class CommitmentStatus(StrEnum):
    open = "open"
    in_progress = "in_progress"
    done = "done"
    dropped = "dropped"


class IssueCategory(StrEnum):
    employment = "employment"
    land = "land"
    environment = "environment"
    compensation = "compensation"
    resettlement = "resettlement"
    legacy = "legacy"
    protest = "protest"
    security_conduct = "security_conduct"
    access_to_resources = "access_to_resources"
    other = "other"


class Channel(StrEnum):
    meeting = "meeting"
    community_liaison = "community_liaison"
    phone_sms = "phone_sms"
    letter = "letter"
    email = "email"
    web_form = "web_form"
    walk_in = "walk_in"


class Severity(StrEnum):
    low = "low"
    medium = "medium"
    high = "high"
    critical = "critical"


class SecurityActor(StrEnum):
    none = "none"
    public = "public"
    private = "private"
    armed_group = "armed_group"


class IssueStatus(StrEnum):
    received = "received"
    acknowledged = "acknowledged"
    in_dialogue = "in_dialogue"
    action_agreed = "action_agreed"
    resolved = "resolved"
    closed = "closed"
    escalated = "escalated"


OPEN_ISSUE_STATUSES = (IssueStatus.received, IssueStatus.acknowledged, IssueStatus.in_dialogue,
                       IssueStatus.action_agreed, IssueStatus.escalated)

# Allowed status changes, defined once. Closed only after resolved (or with a reason, which
# the write layer demands as a note); escalated from any open state.
ISSUE_TRANSITIONS = {
    IssueStatus.received: {IssueStatus.acknowledged, IssueStatus.escalated, IssueStatus.closed},
    IssueStatus.acknowledged: {IssueStatus.in_dialogue, IssueStatus.action_agreed,
                               IssueStatus.resolved, IssueStatus.escalated, IssueStatus.closed},
    IssueStatus.in_dialogue: {IssueStatus.action_agreed, IssueStatus.resolved,
                              IssueStatus.escalated, IssueStatus.closed},
    IssueStatus.action_agreed: {IssueStatus.in_dialogue, IssueStatus.resolved,
                                IssueStatus.escalated, IssueStatus.closed},
    IssueStatus.escalated: {IssueStatus.in_dialogue, IssueStatus.action_agreed,
                            IssueStatus.resolved, IssueStatus.closed},
    IssueStatus.resolved: {IssueStatus.closed, IssueStatus.in_dialogue},
    IssueStatus.closed: set(),
}
# Closing from anything but resolved needs a reason in the note.
CLOSE_WITHOUT_RESOLUTION_NEEDS_NOTE = True

# Response-time targets per severity: (days to acknowledge, days to resolve).
RESPONSE_DAYS = {
    Severity.critical: (1, 7),
    Severity.high: (3, 30),
    Severity.medium: (7, 60),
    Severity.low: (14, 90),
}


class Referral(StrEnum):
    none = "none"
    prosecutor = "prosecutor"
    nhri = "nhri"
    icoca = "icoca"
    oecd_ncp = "oecd_ncp"


class Satisfaction(StrEnum):
    unknown = "unknown"
    yes = "yes"
    no = "no"


class FundKind(StrEnum):
    trust_fund = "trust_fund"
    pooled_fund = "pooled_fund"
    direct_budget = "direct_budget"


class ContributionKind(StrEnum):
    financial = "financial"
    in_kind = "in_kind"


class SpendingPurpose(StrEnum):
    meetings = "meetings"
    training = "training"
    secretariat = "secretariat"
    monitoring = "monitoring"
    research = "research"
    outreach = "outreach"
    other = "other"


class Forum(StrEnum):
    eiti = "eiti"
    icoca = "icoca"
    oecd = "oecd"
    vpshr_plenary = "vpshr_plenary"
    local = "local"


class DocumentKind(StrEnum):
    terms_of_reference = "terms_of_reference"
    minutes = "minutes"
    report = "report"
    agreement = "agreement"
    other = "other"


class NarrativeSection(StrEnum):
    commitment = "commitment"
    policies = "policies"


# Built from i18n's one list of languages, so a new language needs no second list here.
Language = StrEnum("Language", {code: code for code in LANGUAGES})  # type: ignore[misc]


class AuditAction(StrEnum):
    create = "create"
    update = "update"
    delete = "delete"
    bulk_load = "bulk_load"


REPORTING_CURRENCY = "USD"

# Documents: what may be uploaded, and how large.
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "txt": "text/plain",
    "csv": "text/csv",
    "png": "image/png",
    "jpg": "image/jpeg",
}

# Field limits shown to users and enforced in models and forms.
NAME_MAX = 200
TITLE_MAX = 200
TEXT_MAX = 5000
NOTE_MAX = 2000

# Issue ages for "open issues by age".
AGE_BUCKETS = ((0, 30, "0-30"), (31, 90, "31-90"), (91, 180, "91-180"), (181, None, "over 180"))
REPEAT_ISSUE_DAYS = 180
RATE_MAX_AGE_DAYS = 31
NEUTRALITY_THRESHOLD = 0.5

# Colours mean the same thing everywhere. Severity: a sequential, colour-blind-safe ramp.
SEVERITY_COLOURS = {
    Severity.low: "#9ecae1",
    Severity.medium: "#fdae6b",
    Severity.high: "#e6550d",
    Severity.critical: "#a50f15",
}
# Pillars: the Okabe-Ito palette, distinguishable with the common colour-vision deficiencies.
PILLAR_COLOURS = {
    Pillar.state: "#0072B2",
    Pillar.company: "#E69F00",
    Pillar.civil_society: "#009E73",
    Pillar.community: "#CC79A7",
    Pillar.observer: "#999999",
}
ISSUE_STATUS_COLOURS = {
    IssueStatus.received: "#c6dbef",
    IssueStatus.acknowledged: "#9ecae1",
    IssueStatus.in_dialogue: "#6baed6",
    IssueStatus.action_agreed: "#3182bd",
    IssueStatus.resolved: "#31a354",
    IssueStatus.closed: "#969696",
    IssueStatus.escalated: "#a50f15",
}
# Activities: held green, planned blue, postponed amber, cancelled grey (Okabe-Ito).
ACTIVITY_STATUS_COLOURS = {
    ActivityStatus.scheduled: "#0072B2",
    ActivityStatus.held: "#009E73",
    ActivityStatus.postponed: "#E69F00",
    ActivityStatus.cancelled: "#999999",
}
# The theme's colours for what no vocabulary colours: one series of its own, and "today".
ACCENT = "#1f6f78"      # the theme's primary colour (.streamlit/config.toml)
TODAY_MARK = "#a50f15"
# The map: sea, the globe's outline and the graticule; land, borders, country names; the sites'
# outline and names (dark on a pale halo, readable over land, sea and bubbles alike).
MAP_SEA, MAP_OUTLINE, MAP_GRID = "#dcebf3", "#b7cad6", "#c9dce7"
MAP_LAND, MAP_BORDER, MAP_COUNTRY_NAME = "#f4f1ea", "#9a948a", "#6f6a62"
MAP_SITE_OUTLINE, MAP_SITE_NAME, MAP_HALO = "#333333", "#1b1b1b", "#ffffff"
# Marker shapes for a vocabulary's values in order (severity low to critical), so that colour is
# not the only thing telling them apart.
MAP_SHAPES = ("circle", "square", "triangle-up", "diamond", "triangle-down", "cross")

LABELS = {
    # pillars
    "state": N_("State"), "company": N_("Company"), "civil_society": N_("Civil society"),
    "community": N_("Community"), "observer": N_("Observer"),
    # organisation kinds
    "government": N_("Government"), "public_security": N_("Public security"),
    "private_security": N_("Private security"), "community_group": N_("Community group"),
    "international_organisation": N_("International organisation"), "donor": N_("Donor"),
    "academic": N_("Academic"),
    # levels, focus, status, lead
    "national": N_("National"), "regional": N_("Regional"), "provincial": N_("Provincial"),
    "local": N_("Local"), "operational": N_("Operational"),
    "security_human_rights": N_("Security and human rights"),
    "childrens_rights": N_("Children's rights"),
    "business_human_rights": N_("Business and human rights"),
    "oecd_guidelines": N_("OECD Guidelines"), "other": N_("Other"),
    "active": N_("Active"), "dormant": N_("Dormant"), "closed": N_("Closed"), "joint": N_("Joint"),
    # initiatives and forums
    "vpshr": N_("VPSHR"), "eiti": N_("EITI"), "icoca": N_("ICoCA"), "oecd_ncp": N_("OECD NCP"),
    "ungps": N_("UNGPs"), "oecd": N_("OECD"), "vpshr_plenary": N_("VPSHR plenary"),
    # membership
    "chair": N_("Chair"), "co_chair": N_("Co-chair"), "secretariat": N_("Secretariat"),
    "member": N_("Member"),
    # work plan
    "meeting": N_("Meeting"), "workshop": N_("Workshop"), "training": N_("Training"),
    "tool": N_("Tool or resource"), "monitoring": N_("Monitoring"), "research": N_("Research"),
    "outreach": N_("Outreach"), "planned": N_("Planned"), "in_progress": N_("In progress"),
    "done": N_("Done"), "delayed": N_("Delayed"), "cancelled": N_("Cancelled"),
    "adopted": N_("Adopted"), "proposed": N_("Proposed"), "declined": N_("Declined"),
    # activities
    "plenary": N_("Plenary meeting"), "steering_committee": N_("Steering committee"),
    "field_visit": N_("Field or monitoring visit"), "community_dialogue": N_("Community dialogue"),
    "forum_presentation": N_("Forum presentation"), "scheduled": N_("Scheduled"),
    "held": N_("Held"), "postponed": N_("Postponed"),
    # commitments
    "open": N_("Open"), "dropped": N_("Dropped"),
    # issues
    "employment": N_("Employment"), "land": N_("Land"), "environment": N_("Environment"),
    "compensation": N_("Compensation"), "resettlement": N_("Resettlement"),
    "legacy": N_("Legacy"), "protest": N_("Protest"), "security_conduct": N_("Security conduct"),
    "access_to_resources": N_("Access to resources"),
    "community_liaison": N_("Community liaison"), "phone_sms": N_("Phone or SMS"),
    "letter": N_("Letter"), "email": N_("Email"), "web_form": N_("Web form"),
    "walk_in": N_("Walk-in"),
    "low": N_("Low"), "medium": N_("Medium"), "high": N_("High"), "critical": N_("Critical"),
    "none": N_("None"), "public": N_("Public security forces"),
    "private": N_("Private security"), "armed_group": N_("Armed group"),
    "received": N_("Received"), "acknowledged": N_("Acknowledged"),
    "in_dialogue": N_("In dialogue"), "action_agreed": N_("Action agreed"),
    "resolved": N_("Resolved"), "escalated": N_("Escalated"),
    "prosecutor": N_("Prosecutor"), "nhri": N_("National human rights institution"),
    "unknown": N_("Unknown"), "yes": N_("Yes"), "no": N_("No"),
    # funding
    "trust_fund": N_("Trust fund"), "pooled_fund": N_("Pooled fund"),
    "direct_budget": N_("Direct budget"), "financial": N_("Financial"), "in_kind": N_("In kind"),
    "meetings": N_("Meetings"),
    # documents
    "terms_of_reference": N_("Terms of reference"), "minutes": N_("Minutes"),
    "report": N_("Report"), "agreement": N_("Agreement"),
    # narrative
    "commitment": N_("Commitment"), "policies": N_("Policies and procedures"),
    # roles
    "admin": N_("Administrator"), "coordinator": N_("Coordinator"), "hq": N_("Company HQ"),
    "viewer": N_("Viewer"),
    # audit actions
    "create": N_("Created"), "update": N_("Updated"), "delete": N_("Deleted"), "bulk_load": N_("Bulk load"),
    # languages, each in its own name
    **LANGUAGE_NAMES,
}


def values(enum: type[StrEnum]) -> list[str]:
    """The stored values of a vocabulary, in their defined order."""
    return [member.value for member in enum]


def label(value: object) -> str:
    """The translated display label of a vocabulary value (LABELS), else the value made readable."""
    if value is None:
        return ""
    key = str(value)
    return _(LABELS.get(key, key.replace("_", " ").capitalize()))
