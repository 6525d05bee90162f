"""The demo data: deterministic, the size the domain guide asks for, plausible to someone from
the field, consistent with the rules the app enforces, and holding working demo logins."""
from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import bcrypt
import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel

import db.models  # noqa: F401  (registers the tables)
from db import money, vocab
from db.engine import get_engine
from db.migrate import upgrade
from db.users import load_actor
from seed.__main__ import main as seed_main
from seed.demo_users import DEMO_USERS
from seed.generator import clear_database, is_empty, load_demo_data, reset_demo

AS_OF = date(2026, 11, 27)
T = SQLModel.metadata.tables
REAL_COMPANIES = ("newmont", "anglogold", "barrick", "glencore", "shell", "total", "chevron", "exxon",
                  "rio tinto", "bhp", "vale", "freeport", "anglo american", "kinross", "gold fields",
                  "eni", "bp ", "equinor", "first quantum", "ivanhoe", "zijin", "tullow", "kosmos")


def rows(url: str, table: str, *columns: str) -> list[sa.Row]:
    t = T[table]
    selected = [t.c[c] for c in columns] if columns else [t]
    with get_engine(url).connect() as c:
        return c.execute(sa.select(*selected)).all()


def count(url: str, table: str) -> int:
    with get_engine(url).connect() as c:
        return c.execute(sa.select(sa.func.count()).select_from(T[table])).scalar_one()


def content_hash(url: str, table: str) -> str:
    t = T[table]
    with get_engine(url).connect() as c:
        data = c.execute(sa.select(t).order_by(*t.primary_key.columns)).all()
    return hashlib.sha256(json.dumps([[_plain(v) for v in r] for r in data], default=str).encode()).hexdigest()


def _plain(value):
    """The same instant reads back aware from PostgreSQL and naive (UTC) from SQLite."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(timezone.utc).replace(tzinfo=None)
    return value


# --------------------------------------------------------------------------- determinism


def test_same_seed_and_date_give_the_same_data_and_another_seed_does_not(empty_db, tmp_path):
    other = f"sqlite:///{tmp_path / 'second.sqlite3'}"
    third = f"sqlite:///{tmp_path / 'third.sqlite3'}"
    for url in (other, third):
        upgrade(get_engine(url))
    first_counts = load_demo_data(get_engine(empty_db), scale=1, random_seed=7, as_of=AS_OF)
    second_counts = load_demo_data(get_engine(other), scale=1, random_seed=7, as_of=AS_OF)
    load_demo_data(get_engine(third), scale=1, random_seed=8, as_of=AS_OF)
    assert first_counts == second_counts
    for table in ("organisation", "activity", "attendance", "issue", "issue_update", "contribution",
                  "disbursement", "commitment", "exchange_rate"):
        assert content_hash(empty_db, table) == content_hash(other, table), table
    assert content_hash(empty_db, "issue") != content_hash(third, "issue")


# --------------------------------------------------------------------------- sizes


def test_scale_one_has_the_sizes_of_the_domain_guide(demo_db):
    assert count(demo_db, "working_group") == 12
    assert 130 <= count(demo_db, "organisation") <= 170
    assert count(demo_db, "site") == 25
    assert 550 <= count(demo_db, "activity") <= 650
    assert 5000 <= count(demo_db, "attendance") <= 7000
    assert 950 <= count(demo_db, "issue") <= 1050
    assert 450 <= count(demo_db, "contribution") <= 550
    countries = {r.country for r in rows(demo_db, "working_group", "country")}
    assert 6 <= len(countries) <= 7
    from db.sessions import LOGIN_STATE_TABLES

    for table in T:  # every table holds demo rows (login state is not demo data)
        if table not in LOGIN_STATE_TABLES:
            assert count(demo_db, table) > 0, table
    assert count(demo_db, "issue_update") >= 2 * count(demo_db, "issue")


def test_one_bulk_audit_entry_with_the_counts(demo_db):
    entries = rows(demo_db, "audit_entry", "action", "table_name", "after", "username")
    assert len(entries) == 1
    entry = entries[0]
    assert (entry.action, entry.table_name, entry.username) == ("bulk_load", "*", "system")
    assert json.loads(entry.after)["counts"]["issue"] == count(demo_db, "issue")
    assert rows(demo_db, "data_version", "version")[0].version >= 1


# --------------------------------------------------------------------------- plausibility


def test_this_year_has_held_activities_and_the_future_is_only_scheduled_or_postponed(demo_db):
    activities = rows(demo_db, "activity", "starts_at", "status", "group_id")
    this_year = [a for a in activities if a.starts_at.year == AS_OF.year and a.status == "held"]
    assert len(this_year) > 100
    future = [a for a in activities if a.starts_at.date() > AS_OF + timedelta(days=1)]
    assert future and {a.status for a in future} <= {"scheduled", "postponed"}
    past = [a for a in activities if a.starts_at.date() < AS_OF - timedelta(days=1)]
    assert "scheduled" not in {a.status for a in past}
    assert {"held", "postponed", "cancelled"} <= {a.status for a in past}


def test_attendance_is_consistent_and_falls_in_some_group(demo_db):
    attendance = rows(demo_db, "attendance", "activity_id", "attended", "participants", "women")
    assert all(a.women <= a.participants for a in attendance)
    assert all(a.participants == 0 for a in attendance if not a.attended)
    assert all(a.participants > 0 for a in attendance if a.attended)
    when = {a.id: (a.group_id, a.starts_at.date()) for a in rows(demo_db, "activity", "id", "group_id", "starts_at")}
    early, late = defaultdict(list), defaultdict(list)
    for a in attendance:
        group, day = when[a.activity_id]
        if day < AS_OF - timedelta(days=540):
            early[group].append(a.attended)
        elif day > AS_OF - timedelta(days=180):
            late[group].append(a.attended)
    drops = [sum(early[g]) / len(early[g]) - sum(late[g]) / len(late[g]) for g in early if early[g] and late[g]]
    assert max(drops) > 0.25


def test_some_group_is_dormant_and_holds_nothing_recent(demo_db):
    dormant = [g.id for g in rows(demo_db, "working_group", "id", "status") if g.status == "dormant"]
    assert dormant
    recent = [a for a in rows(demo_db, "activity", "group_id", "starts_at")
              if a.group_id in dormant and a.starts_at.date() > AS_OF - timedelta(days=200)]
    assert recent == []


def test_issues_cluster_at_a_few_sites(demo_db):
    per_site = Counter(r.site_id for r in rows(demo_db, "issue", "site_id") if r.site_id is not None)
    top5 = sum(n for _, n in per_site.most_common(5))
    assert top5 / sum(per_site.values()) >= 0.35


def test_issue_mix_looks_like_the_field(demo_db):
    issues = rows(demo_db, "issue")
    n = len(issues)
    by_category = Counter(i.category for i in issues)
    assert min(by_category[c] for c in ("land", "compensation", "employment", "environment")) > by_category["security_conduct"]
    def severe(cat):
        return sum(i.severity in ("high", "critical") for i in issues if i.category == cat) / by_category[cat]
    assert severe("security_conduct") > 2 * severe("land")
    assert sum(i.severity in ("low", "medium") for i in issues) / n > 0.6
    assert 0.05 <= sum(i.confidential for i in issues) / n <= 0.2
    assert sum(i.raiser_pillar == "community" for i in issues) / n > 0.5
    anonymous = [i for i in issues if i.anonymous]
    assert len(anonymous) > 0.15 * n and all(i.raiser_name == "" and i.raiser_org_id is None for i in anonymous)
    assert any(i.raiser_name for i in issues)
    assert 0.03 <= sum(i.escalated for i in issues) / n <= 0.3
    old = [i for i in issues if i.raised_on < AS_OF - timedelta(days=365)]
    new = [i for i in issues if i.raised_on > AS_OF - timedelta(days=30)]
    closed = ("resolved", "closed")
    assert sum(i.status in closed for i in old) / len(old) > 0.75
    assert sum(i.status not in closed for i in new) / len(new) > 0.7
    overdue = [i for i in issues if i.status not in closed and i.resolve_by < AS_OF]
    assert overdue
    assert len({i.case_number for i in issues}) == n


def test_issue_updates_follow_the_allowed_transitions_in_date_order(demo_db):
    updates = defaultdict(list)
    for u in rows(demo_db, "issue_update", "issue_id", "id", "on_date", "from_status", "to_status", "raiser_informed"):
        updates[u.issue_id].append(u)
    issues = {i.id: i for i in rows(demo_db, "issue", "id", "status", "raised_on", "resolved_on", "acknowledged_on")}
    assert set(updates) == set(issues)
    for issue_id, chain in updates.items():
        chain.sort(key=lambda u: u.id)
        issue = issues[issue_id]
        assert (chain[0].from_status, chain[0].to_status, chain[0].on_date) == (None, "received", issue.raised_on)
        for before, after in zip(chain, chain[1:]):
            assert after.from_status == before.to_status
            assert vocab.IssueStatus(after.to_status) in vocab.ISSUE_TRANSITIONS[vocab.IssueStatus(before.to_status)]
            assert before.on_date <= after.on_date <= AS_OF
        assert chain[-1].to_status == issue.status
    informed = [u.raiser_informed for chain in updates.values() for u in chain]
    assert 0.6 < sum(informed) / len(informed) < 1


def test_commitments_slip_in_places_and_verifiers_come_from_another_pillar(demo_db):
    pillar = {o.id: vocab.PILLAR_OF_KIND[vocab.OrgKind(o.kind)] for o in rows(demo_db, "organisation", "id", "kind")}
    commitments = rows(demo_db, "commitment")
    verified = [c for c in commitments if c.verified_by_org_id is not None]
    assert len(verified) > 100
    assert all(pillar[c.verified_by_org_id] != pillar[c.owner_org_id] for c in verified)
    assert all(c.status == "done" and c.done_on <= c.verified_on <= AS_OF for c in verified)
    due = [c for c in commitments if c.due_on and c.due_on <= AS_OF and c.status != "dropped"]
    on_time = sum(c.status == "done" and c.done_on <= c.due_on for c in due) / len(due)
    late = sum(c.status == "done" and c.done_on > c.due_on for c in due)
    slipping = sum(c.status in ("open", "in_progress") for c in due)
    assert 0.4 < on_time < 0.85 and late > 20 and slipping > 20
    assert any(c.issue_id for c in commitments) and any(c.activity_id for c in commitments)


def _rate(currency: str, day: date, rates: dict) -> Decimal:
    if currency == "USD":
        return Decimal(1)
    rate_day, rate = [(d, r) for d, r in rates[currency] if d <= day][-1]
    assert (day - rate_day).days <= vocab.RATE_MAX_AGE_DAYS
    return rate


def _usd(amount_minor: int, currency: str, day: date, rates: dict) -> Decimal:
    return money.from_minor(amount_minor, currency) * _rate(currency, day, rates)


def _rates(url: str) -> dict:
    rates = defaultdict(list)
    for r in sorted(rows(url, "exchange_rate", "currency", "rate_date", "rate"), key=lambda r: r.rate_date):
        rates[r.currency].append((r.rate_date, Decimal(r.rate)))
    return rates


def test_funding_is_dominated_by_a_company_in_some_group(demo_db):
    rates = _rates(demo_db)
    fund_group = {f.id: f.group_id for f in rows(demo_db, "fund", "id", "group_id")}
    kind = {o.id: o.kind for o in rows(demo_db, "organisation", "id", "kind")}
    totals = defaultdict(Counter)
    contributions = rows(demo_db, "contribution")
    for c in contributions:
        totals[fund_group[c.fund_id]][c.contributor_org_id] += _usd(c.amount_minor, c.currency, c.received_on, rates)
    values = [_usd(c.amount_minor, c.currency, c.received_on, rates) for c in contributions]
    assert all(Decimal(50) < v < Decimal(250_000) for v in values)   # minor units match each currency
    top_shares = {g: max(t.values()) / sum(t.values()) for g, t in totals.items()}
    dominant = [g for g, share in top_shares.items() if share > vocab.NEUTRALITY_THRESHOLD]
    assert dominant and len(dominant) < len(top_shares)
    assert sum(kind[totals[g].most_common(1)[0][0]] == "company" for g in dominant) >= 2
    n = len(contributions)
    assert 0.05 < sum(c.kind == "in_kind" for c in contributions) / n < 0.3
    assert 0.1 < sum(c.earmarked for c in contributions) / n < 0.35
    assert 0.6 < sum(c.published for c in contributions) / n < 0.95
    assert {c.currency for c in contributions} > {"USD"}


def test_no_fund_balance_goes_below_zero_on_any_day(demo_db):
    rates = _rates(demo_db)
    funds = {f.id: f.currency for f in rows(demo_db, "fund", "id", "currency")}
    events = defaultdict(list)
    for c in rows(demo_db, "contribution"):
        if c.kind == "financial":
            fund_currency = funds[c.fund_id]
            converted = money.round_to(_usd(c.amount_minor, c.currency, c.received_on, rates)
                                       / _rate(fund_currency, c.received_on, rates), fund_currency)
            events[c.fund_id].append((c.received_on, 0, converted))
    for d in rows(demo_db, "disbursement"):
        assert d.currency == funds[d.fund_id]
        events[d.fund_id].append((d.spent_on, 1, -money.from_minor(d.amount_minor, d.currency)))
    assert sum(1 for e in events.values() for x in e if x[1] == 1) > 100
    for fund_id, fund_events in events.items():
        balance = Decimal(0)   # in the fund's currency
        for day, _, amount in sorted(fund_events):
            balance += amount
            assert balance >= 0, (fund_id, day)


def test_every_contribution_currency_has_a_recent_rate(demo_db):
    rates = _rates(demo_db)
    for c in rows(demo_db, "contribution", "currency", "amount_minor", "received_on"):
        _usd(c.amount_minor, c.currency, c.received_on, rates)   # asserts the rate is at most 31 days old
    for currency, series in rates.items():
        assert all(0 < r < 1 for _, r in series), currency


def test_names_are_invented_and_sites_lie_in_their_country(demo_db):
    for org in rows(demo_db, "organisation", "name"):
        lowered = f" {org.name.lower()} "
        assert not any(f" {real}" in lowered for real in REAL_COMPANIES), org.name
    boxes = {"GH": (4.5, 11.2, -3.3, 1.2), "NG": (4.2, 13.9, 2.7, 14.7), "CD": (-13.5, 5.4, 12.2, 31.3),
             "PE": (-18.4, -0.1, -81.3, -68.7), "CO": (-4.2, 12.5, -79.0, -66.9), "MZ": (-26.9, -10.5, 30.2, 40.9),
             "KE": (-4.7, 5.0, 33.9, 41.9)}
    for site in rows(demo_db, "site", "country", "latitude", "longitude"):
        south, north, west, east = boxes[site.country]
        assert south <= site.latitude <= north and west <= site.longitude <= east, site


def test_subsidiaries_operate_sites_and_belong_to_their_group_company(demo_db):
    orgs = {o.id: o for o in rows(demo_db, "organisation", "id", "name", "kind", "parent_id")}
    operators = {s.company_id for s in rows(demo_db, "site", "company_id") if s.company_id}
    assert any(orgs[o].parent_id for o in operators)
    assert all(orgs[o].parent_id is None or orgs[orgs[o].parent_id].kind == "company" for o in orgs)


# --------------------------------------------------------------------------- demo users


def test_demo_users_log_in_with_the_right_roles_and_scopes(demo_db):
    hashes = {u.username: u.password_hash for u in rows(demo_db, "app_user", "username", "password_hash")}
    for demo in DEMO_USERS:
        assert bcrypt.checkpw(demo.password.encode(), hashes[demo.username].encode())
        assert load_actor(demo.username).role == demo.role
    coordinator = load_actor("coordinator")
    busiest = Counter(a.group_id for a in rows(demo_db, "activity", "group_id")).most_common(1)[0][0]
    assert 2 <= len(coordinator.group_ids) <= 3 and busiest in coordinator.group_ids
    secretariats = {g.id: g.secretariat_org_id for g in rows(demo_db, "working_group", "id", "secretariat_org_id")}
    assert coordinator.org_id in {secretariats[g] for g in coordinator.group_ids}
    hq = load_actor("hq")
    assert hq.org_id in hq.company_ids and len(hq.company_ids) >= 3
    assert len(hq.member_group_ids) >= 2
    funders = {c.contributor_org_id for c in rows(demo_db, "contribution", "contributor_org_id")}
    assert funders & (hq.company_ids - {hq.org_id})
    proposals = [i for i in rows(demo_db, "work_plan_item", "proposal") if i.proposal == "proposed"]
    assert proposals
    assert load_actor("viewer").role == vocab.Role.viewer and load_actor("admin").role == vocab.Role.admin


# --------------------------------------------------------------------------- command line and reset


def test_command_line_refuses_a_full_database_unless_reset(demo_db, capsys):
    before = count(demo_db, "issue")
    assert seed_main(["--url", demo_db, "--scale", "0.1", "--as-of", "2026-11-27"]) == 1
    assert "--reset" in capsys.readouterr().err
    assert count(demo_db, "issue") == before
    assert seed_main(["--url", demo_db, "--scale", "0.1", "--as-of", "2026-11-27", "--reset"]) == 0
    assert "Loaded scale 0.1" in capsys.readouterr().out
    assert count(demo_db, "issue") == 100
    assert count(demo_db, "audit_entry") == 1


def test_reset_demo_reloads_scale_one_and_bumps_the_data_version(demo_db):
    engine = get_engine(demo_db)
    version = rows(demo_db, "data_version", "version")[0].version
    clear_database(engine)
    assert is_empty(engine)
    counts = reset_demo(engine)
    assert counts["issue"] == count(demo_db, "issue") == 1000
    assert rows(demo_db, "data_version", "version")[0].version > version


@pytest.mark.postgres
def test_loads_into_postgresql_and_new_rows_get_fresh_ids(pg_url):
    engine = get_engine(pg_url)
    upgrade(engine)
    counts = load_demo_data(engine, scale=0.2, random_seed=7, as_of=AS_OF)
    assert counts["issue"] == 200
    with engine.begin() as c:
        new_id = c.execute(T["organisation"].insert().values(
            name="Freshly Added Cooperative", kind="community_group", country="GH", version=1,
            vpshr_participant=False, icoca_member=False, eiti_supporter=False)
            .returning(T["organisation"].c.id)).scalar_one()
    assert new_id == counts["organisation"] + 1


def test_some_community_seat_is_empty(demo_db):
    """A community seat is empty when its organisation attended none of the group's last three meetings."""
    kind = {o.id: o.kind for o in rows(demo_db, "organisation", "id", "kind")}
    meetings = defaultdict(list)
    for a in rows(demo_db, "activity", "id", "group_id", "kind", "status", "starts_at"):
        if a.status == "held" and a.kind in vocab.MEETING_KINDS:
            meetings[a.group_id].append((a.starts_at, a.id))
    attended = defaultdict(set)
    for a in rows(demo_db, "attendance", "activity_id", "org_id", "attended"):
        if a.attended:
            attended[a.activity_id].add(a.org_id)
    empty = []
    for m in rows(demo_db, "membership", "group_id", "org_id", "until"):
        if kind[m.org_id] == "community_group" and m.until is None and len(meetings[m.group_id]) >= 3:
            last_three = [activity for _, activity in sorted(meetings[m.group_id])[-3:]]
            if not any(m.org_id in attended[activity] for activity in last_three):
                empty.append(m)
    assert empty
