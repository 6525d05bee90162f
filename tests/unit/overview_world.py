"""Small hand-made records for the Overview, early-warning, scorecard and report tests.
Rows go straight into the database (these tests are about reading, not about the write layer)."""
from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta, timezone

from db.engine import session_scope
from db.models import (
    Activity,
    Attendance,
    Commitment,
    Contribution,
    Fund,
    GroupSite,
    Issue,
    Membership,
    Organisation,
    SecurityTraining,
    Site,
    WorkingGroup,
)
from db.vocab import RESPONSE_DAYS, Severity

_case = itertools.count(1)


def add(record):
    with session_scope() as s:
        s.add(record)
        s.flush()
        return record.id


def org(name: str, kind: str = "company", parent_id: int | None = None, country: str = "GH") -> int:
    return add(Organisation(name=name, kind=kind, country=country, parent_id=parent_id))


def group(name: str, country: str = "GH", level: str = "national", status: str = "active",
          established_on: date | None = date(2020, 1, 1)) -> int:
    return add(WorkingGroup(name=name, country=country, level=level, focus="security_human_rights",
                            lead="joint", status=status, established_on=established_on))


def site(name: str, group_id: int, company_id: int | None = None, country: str = "GH") -> int:
    site_id = add(Site(name=name, country=country, region="", latitude=6.0, longitude=-1.5, company_id=company_id))
    with session_scope() as s:
        s.add(GroupSite(group_id=group_id, site_id=site_id))
    return site_id


def member(group_id: int, org_id: int, since: date = date(2020, 1, 1), until: date | None = None) -> int:
    return add(Membership(group_id=group_id, org_id=org_id, role="member", since=since, until=until))


def activity(group_id: int, day: date, kind: str = "plenary", status: str = "held",
             site_id: int | None = None) -> int:
    start = datetime(day.year, day.month, day.day, 9, tzinfo=timezone.utc)
    return add(Activity(group_id=group_id, kind=kind, title=f"{kind} {day}", starts_at=start,
                        ends_at=start + timedelta(hours=3), status=status, site_id=site_id))


def attend(activity_id: int, org_id: int, attended: bool, participants: int = 0, women: int = 0) -> int:
    return add(Attendance(activity_id=activity_id, org_id=org_id, invited=True, attended=attended,
                          participants=participants if attended else 0, women=women if attended else 0))


def issue(group_id: int, raised_on: date, *, site_id: int | None = None, severity: str = "medium",
          status: str = "received", violence_risk: bool = False, confidential: bool = False,
          title: str = "Dust from the haul road", description: str = "", raiser_name: str = "",
          resolved_on: date | None = None, closed_on: date | None = None, category: str = "environment",
          outcome: str = "") -> int:
    ack, resolve = RESPONSE_DAYS[Severity(severity)]
    return add(Issue(group_id=group_id, site_id=site_id, title=title, description=description,
                     category=category, raiser_pillar="community", raiser_name=raiser_name, channel="meeting",
                     raised_on=raised_on, severity=severity, violence_risk=violence_risk, security_actor="none",
                     confidential=confidential, case_number=f"T-{next(_case):05d}", status=status,
                     acknowledge_by=raised_on + timedelta(days=ack), resolve_by=raised_on + timedelta(days=resolve),
                     resolved_on=resolved_on, closed_on=closed_on, outcome=outcome))


def commitment(group_id: int, owner: int, due_on: date | None, status: str = "open",
               done_on: date | None = None, verified_by: int | None = None) -> int:
    return add(Commitment(group_id=group_id, owner_org_id=owner, description="Repair the water point",
                          due_on=due_on, status=status, done_on=done_on, verified_by_org_id=verified_by,
                          verified_on=done_on if verified_by else None))


def fund(group_id: int, name: str, currency: str = "USD") -> int:
    return add(Fund(group_id=group_id, name=name, kind="trust_fund", currency=currency))


def contribution(fund_id: int, org_id: int, amount_minor: int, received_on: date,
                 currency: str = "USD", kind: str = "financial") -> int:
    return add(Contribution(fund_id=fund_id, contributor_org_id=org_id, kind=kind, amount_minor=amount_minor,
                            currency=currency, received_on=received_on))


def training(org_id: int, site_id: int | None, held_on: date, people: int) -> int:
    return add(SecurityTraining(org_id=org_id, unit="Unit A", site_id=site_id, held_on=held_on,
                                people_trained=people, topic="Use of force"))


def company_world() -> dict:
    """A group company with two levels of subsidiaries, another company, and their groups,
    meetings, commitments, contributions, sites, issues and training (see test_scorecard)."""
    g1, g2, g3 = group("Tano Basin Working Group"), group("Ashanti Forum"), group("Lima Table", country="PE")
    parent = org("Aurum Holdings")
    sub = org("Aurum Ghana Operations", parent_id=parent)
    subsub = org("Aurum Haulage", parent_id=sub)
    other = org("Condor Copper", country="PE")
    ngo, police = org("Water Watch", "civil_society"), org("Ghana Police, Western Command", "public_security")
    guards = org("Sentinel Guards", "private_security")
    # memberships: parent in g1, sub in g1 and g2 (g1 counted once), subsub left g3 in 2025
    member(g1, parent), member(g1, sub), member(g2, sub)
    member(g3, subsub, since=date(2024, 1, 1), until=date(2025, 6, 30))
    member(g3, other)
    # meetings 2026: parent invited to 2 (attended 1), sub invited to 1 (attended 1); a 2025 one
    m1, m2, m_old = activity(g1, date(2026, 2, 1)), activity(g1, date(2026, 5, 1)), activity(g1, date(2025, 5, 1))
    attend(m1, parent, True, 2), attend(m2, parent, False), attend(m1, sub, True, 1), attend(m_old, sub, False)
    activity(g1, date(2026, 6, 1), kind="workshop")  # not a meeting
    # commitments due 2026: sub owns 3: kept (verified by the NGO), done on time but verified by
    # nobody, open and overdue; a dropped one does not count
    commitment(g1, sub, date(2026, 3, 1), "done", date(2026, 2, 20), verified_by=ngo)
    commitment(g1, sub, date(2026, 4, 1), "done", date(2026, 3, 30))
    commitment(g1, sub, date(2026, 5, 1), "open")
    commitment(g1, sub, date(2026, 5, 1), "dropped")
    # contributions 2026: parent 1,000.00 USD, subsub in kind 500.00; 2025 not counted
    f = fund(g1, "Tano fund")
    contribution(f, parent, 1_000_00, date(2026, 2, 1))
    contribution(f, subsub, 500_00, date(2026, 3, 1), kind="in_kind")
    contribution(f, parent, 9_000_00, date(2025, 3, 1))
    # sites: North Pit (sub), Condor Pit (other)
    pit = site("North Pit", g1, sub)
    site("Condor Pit", g3, other, country="PE")
    issue(g1, date(2026, 2, 1), site_id=pit, status="in_dialogue")
    issue(g1, date(2025, 2, 1), site_id=pit, status="resolved", resolved_on=date(2026, 3, 1))
    issue(g1, date(2026, 2, 1), site_id=pit, status="resolved", resolved_on=date(2026, 4, 1))
    issue(g1, date(2025, 1, 1), site_id=pit, status="resolved", resolved_on=date(2025, 4, 1))
    training(police, pit, date(2026, 6, 1), 30), training(guards, pit, date(2026, 7, 1), 12)
    training(guards, pit, date(2025, 7, 1), 99)
    user("hq1", "hq", org_id=parent)
    return dict(parent=parent, other=other, sub=sub, subsub=subsub, g1=g1, g3=g3, pit=pit, ngo=ngo)


_HASH: list[str] = []


def user(username: str, role: str, org_id: int | None = None, group_ids: tuple[int, ...] = ()) -> int:
    """A user row without the (deliberately slow) bcrypt of db/users: these tests never log in."""
    import bcrypt

    from db.models import User, UserGroup

    if not _HASH:
        _HASH.append(bcrypt.hashpw(b"correct-horse-42", bcrypt.gensalt(rounds=4)).decode())
    user_id = add(User(username=username, display_name=username.title(), password_hash=_HASH[0], role=role,
                       org_id=org_id))
    with session_scope() as s:
        for group_id in group_ids:
            s.add(UserGroup(user_id=user_id, group_id=group_id))
    return user_id
