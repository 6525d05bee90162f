"""A small hand-made world of five issues whose figures are worked out by hand in the tests
(as of 2026-11-27, the suite's AS_OF_DATE).

    I1 group A, site S1, land, medium, community, meeting: ack 01-15 (met), resolved 02-19
       (40 days, met), remedy recorded, raiser informed, discussed at an activity.
    I2 group A, site S1, land, high, company, email: ack 03-06 (5 days, missed), resolved 04-30
       (60 days, missed); repeats I1 (50 days later).
    I3 group A, site S2, security conduct, critical, violence risk, anonymous, liaison:
       escalated 06-02, never acknowledged, open (179 days).
    I4 group A, site S1, land, low, community, walk-in, CONFIDENTIAL, received 11-20 (7 days);
       every identifying field holds the word SECRET.
    I5 group B, site S2, employment, medium, civil society, meeting: ack 05-05 (met), open
       since 05-01 (210 days), past its resolve-by date."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

from db.engine import session_scope
from db.models import Activity, Document
from db.permissions import SYSTEM, Action, Actor
from db.users import create_user, load_actor
from db.writes import issues as writes
from db.writes.base import create_record
from tests.unit.ghana_records import group, org, site

PASSWORD = "correct-horse-42"
SECRET = "SECRET"


@dataclass
class IssueWorld:
    group_a: int
    group_b: int
    site_1: int
    site_2: int
    community_org: int
    company_org: int
    ngo_org: int
    activity_a: int
    i1: int
    i2: int
    i3: int
    i4: int
    i5: int

    @staticmethod
    def actor(username: str) -> Actor:
        found = load_actor(username)
        assert found is not None, username
        return found


def _issue(**values) -> int:
    base = dict(description="", raiser_name="", raiser_org_id=None, anonymous=False, violence_risk=False,
                security_actor="none", confidential=False)
    return writes.log_issue(SYSTEM, {**base, **values}).id


def _move(issue_id: int, to: str, on: date, note: str = "", informed: bool = False) -> None:
    with session_scope() as s:
        from db.models import Issue

        version = s.get(Issue, issue_id).version
    writes.change_status(SYSTEM, issue_id, version, to, note=note, raiser_informed=informed, on_date=on)


def build_issue_world() -> IssueWorld:
    group_a, group_b = group("Group Alpha"), group("Group Beta")
    community = org("Riverside Community Council", "community_group")
    company = org("Aurum Ridge Mining", "company")
    ngo = org("Voices for Rights", "civil_society")
    site_1 = site("North Pit", 6.2, -1.6, company)
    site_2 = site("River Camp", 5.9, -2.1, company)
    activity = create_record(SYSTEM, Action.edit_activity, Activity(
        group_id=group_a, kind="community_dialogue", title="Dialogue at North Pit",
        starts_at=datetime(2026, 2, 1, 10, tzinfo=timezone.utc), ends_at=datetime(2026, 2, 1, 12, tzinfo=timezone.utc), status="held")).id

    i1 = _issue(group_id=group_a, site_id=site_1, title="Fence across grazing land", category="land",
                raiser_pillar="community", raiser_org_id=community, channel="meeting",
                raised_on=date(2026, 1, 10), severity="medium")
    _move(i1, "acknowledged", date(2026, 1, 15))
    _move(i1, "resolved", date(2026, 2, 19), note="Fence moved", informed=True)
    with session_scope() as s:
        from db.models import Issue

        version = s.get(Issue, i1).version
    writes.record_outcome(SYSTEM, i1, version, writes.IssueOutcome(outcome="Fence moved back", remedy="Compensation paid",
                                                referral="none", satisfaction="yes"))
    writes.link_activity(SYSTEM, i1, activity)

    i2 = _issue(group_id=group_a, site_id=site_1, title="Land survey dispute", category="land",
                raiser_pillar="company", raiser_org_id=company, channel="email",
                raised_on=date(2026, 3, 1), severity="high")
    _move(i2, "acknowledged", date(2026, 3, 6))
    _move(i2, "resolved", date(2026, 4, 30))

    i3 = _issue(group_id=group_a, site_id=site_2, title="Guards fired warning shots", category="security_conduct",
                raiser_pillar="community", anonymous=True, channel="community_liaison",
                raised_on=date(2026, 6, 1), severity="critical", violence_risk=True, security_actor="private")
    _move(i3, "escalated", date(2026, 6, 2), note="Referred to the company's security manager")

    i4 = _issue(group_id=group_a, site_id=site_1, title="SECRET title about the widow's land", category="land",
                description="SECRET description naming the family", raiser_pillar="community",
                raiser_name="SECRET Ama Mensah", raiser_org_id=community, channel="walk_in",
                raised_on=date(2026, 11, 20), severity="low", confidential=True)
    with session_scope() as s:
        from db.models import Issue

        version = s.get(Issue, i4).version
    writes.record_outcome(SYSTEM, i4, version, writes.IssueOutcome(outcome="SECRET outcome text", remedy="SECRET remedy text",
                                                referral="nhri", satisfaction="unknown"))
    with session_scope() as s:
        s.add(Document(group_id=group_a, issue_id=i4, kind="other", title="SECRET statement",
                       filename="SECRET-statement.pdf", content_type="application/pdf", size_bytes=3,
                       content=b"pdf"))
    # A note on the confidential issue: a status change it may still make later is tested
    # separately; here the received entry has an empty note, so add one through a change.

    i5 = _issue(group_id=group_b, site_id=site_2, title="Local hiring quota ignored", category="employment",
                raiser_pillar="civil_society", raiser_org_id=ngo, raiser_name="Kofi Boateng", channel="meeting",
                raised_on=date(2026, 5, 1), severity="medium")
    _move(i5, "acknowledged", date(2026, 5, 5))

    _add_users(group_a, group_b, ngo, company)
    return IssueWorld(group_a, group_b, site_1, site_2, community, company, ngo, activity, i1, i2, i3, i4, i5)


def _add_users(group_a: int, group_b: int, ngo: int, company: int) -> None:
    """One user per role; bcrypt at its cheapest cost here, since these tests never log in."""
    import bcrypt

    from db import users

    real = users.hash_password
    users.hash_password = lambda password: bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=4)).decode()
    try:
        _create_users(group_a, group_b, ngo, company)
    finally:
        users.hash_password = real


def _create_users(group_a: int, group_b: int, ngo: int, company: int) -> None:
    create_user(SYSTEM, username="admin1", display_name="Ada Admin", password=PASSWORD, role="admin")
    create_user(SYSTEM, username="coord1", display_name="Cora Coordinator", password=PASSWORD,
                role="coordinator", group_ids=[group_a], org_id=ngo)
    create_user(SYSTEM, username="coord2", display_name="Bram Coordinator", password=PASSWORD,
                role="coordinator", group_ids=[group_b], org_id=ngo)
    create_user(SYSTEM, username="hq1", display_name="Hank HQ", password=PASSWORD, role="hq", org_id=company)
    create_user(SYSTEM, username="viewer1", display_name="Vera Viewer", password=PASSWORD, role="viewer")


def add_secret_note(world: IssueWorld, username: str = "coord1") -> None:
    """coord1 acknowledges the confidential issue with a note that must stay hidden."""
    with session_scope() as s:
        from db.models import Issue

        version = s.get(Issue, world.i4).version
    writes.change_status(IssueWorld.actor(username), world.i4, version, "acknowledged",
                         note="SECRET note: spoke with the widow", raiser_informed=True,
                         on_date=date(2026, 11, 24))
