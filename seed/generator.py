"""The demo-data generator: plausible, fictional and deterministic for a random seed and an
as-of date, and scalable from a stakeholder demo (scale 1) to a load test (scale 100).

Structure (countries, organisations, sites, groups, memberships) grows more slowly than the
records (activities, issues, contributions): scale 100 has about 200 working groups, each much
busier than at scale 1. Everything is generated group by group with a random generator seeded
from (seed, group), and bulk-inserted with SQLAlchemy Core in chunks, parents first."""
from __future__ import annotations

import bisect
import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from db import (
    audit,
    models,  # noqa: F401  (registers the tables)
    money,
)
from db.permissions import SYSTEM
from db.vocab import (
    MEETING_KINDS,
    PILLAR_OF_KIND,
    RESPONSE_DAYS,
    AuditAction,
    OrgKind,
    Pillar,
    Role,
)
from db.writes.issues import case_number
from seed import texts
from seed.demo_users import demo_user_rows, user_id_of
from seed.places import (
    ACADEMIC_PATTERNS,
    COMMUNITY_PATTERNS,
    COMPANY_SECTORS,
    COMPANY_STEMS,
    COUNTRIES,
    CSO_PATTERNS,
    HQ_COUNTRIES,
    INTERNATIONAL_ORGS,
    LOCAL_COMPANY_KINDS,
    PRIVATE_SECURITY_PATTERNS,
    SECURITY_STEMS,
    SITE_KINDS,
    Country,
    person_name,
    town_names,
)

SPAN_DAYS = 730          # two years of history before the as-of date
FUTURE_DAYS = 75         # the calendar runs this far ahead
FLUSH_ROWS = 40_000      # buffered rows before a flush (memory stays flat at scale 100)

BASE = {  # scale-1 sizes (the domain guide's Decisions)
    "groups": 12, "activities": 600, "issues": 1000, "contributions": 500,
    "sites": 25, "parents": 6,
}
PER_COUNTRY_ORGS = {  # organisations per country at scale 1, besides companies' subsidiaries
    OrgKind.government: 4, OrgKind.public_security: 2, OrgKind.private_security: 2,
    OrgKind.civil_society: 4, OrgKind.community_group: 5, OrgKind.academic: 1, OrgKind.company: 2,
}
HQ_PARENT_COUNTRIES = ("GH", "CD", "PE", "MZ", "KE")   # the demo HQ company operates here

# Group traits by position (i % 12) so proportions hold at every scale.
ISSUE_WEIGHT = (3.0, 1.5, 1.0, 1.2, 0.8, 1.8, 0.6, 0.3, 0.8, 1.0, 0.7, 0.6)
ACTIVITY_WEIGHT = (2.2, 1.4, 1.0, 1.0, 0.9, 1.0, 1.0, 0.5, 0.9, 1.0, 0.8, 0.8)
DECLINING_ATTENDANCE = {2, 5}
EMPTY_COMMUNITY_SEATS = {3}
DORMANT = {7}
RISING_ISSUES = {5}
SLIPPING_COMMITMENTS = {9, 2}
DOMINANT_FUNDER = {0, 9}

CATEGORY_WEIGHTS = {"land": 18, "compensation": 16, "employment": 16, "environment": 15,
                    "access_to_resources": 8, "resettlement": 7, "legacy": 6, "protest": 6,
                    "security_conduct": 6, "other": 2}
SEVERITY_WEIGHTS = {"low": 45, "medium": 35, "high": 15, "critical": 5}
SEVERITY_WEIGHTS_SECURITY = {"low": 10, "medium": 30, "high": 38, "critical": 22}
CHANNEL_WEIGHTS = {"community_liaison": 30, "meeting": 20, "walk_in": 15, "phone_sms": 15,
                   "letter": 8, "web_form": 7, "email": 5}
RAISER_WEIGHTS = {Pillar.community: 66, Pillar.civil_society: 20, Pillar.company: 5,
                  Pillar.state: 5, Pillar.observer: 4}
ACTIVITY_KIND_WEIGHTS = {"plenary": 24, "steering_committee": 20, "workshop": 14, "training": 12,
                         "field_visit": 12, "community_dialogue": 14, "forum_presentation": 4}


def _choice(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


# --------------------------------------------------------------------------- buffering


class Sink:
    """Rows per table with explicit ids, flushed in foreign-key order in chunks."""

    def __init__(self, connection: sa.Connection):
        self.connection = connection
        self.tables = SQLModel.metadata.tables
        self.order = [t.name for t in SQLModel.metadata.sorted_tables]
        self.buffers: dict[str, list[dict]] = {name: [] for name in self.order}
        self.counts: dict[str, int] = {name: 0 for name in self.order}
        self.next_ids: dict[str, int] = {name: 1 for name in self.order}
        self.defaults = {name: self._defaults(table) for name, table in self.tables.items()}
        self.buffered = 0

    @staticmethod
    def _defaults(table: sa.Table) -> dict:
        values = {}
        for column in table.columns:
            default = column.default
            values[column.name] = default.arg if default is not None and default.is_scalar else None
        return values

    def new_id(self, table: str) -> int:
        value = self.next_ids[table]
        self.next_ids[table] = value + 1
        return value

    def add(self, table: str, **values) -> int | None:
        row = dict(self.defaults[table])
        if "id" in row and values.get("id") is None:
            values["id"] = self.new_id(table)
        row.update(values)
        self.buffers[table].append(row)
        self.buffered += 1
        return row.get("id")

    def add_rows(self, table: str, rows: list[dict]) -> None:
        for row in rows:
            self.add(table, **row)

    def maybe_flush(self) -> None:
        if self.buffered >= FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        for name in self.order:
            rows = self.buffers[name]
            if rows:
                if self.connection.dialect.name == "postgresql":
                    self._copy(name, rows)
                else:
                    for start in range(0, len(rows), 10_000):
                        self.connection.execute(self.tables[name].insert(), rows[start:start + 10_000])
                self.counts[name] += len(rows)
                self.buffers[name] = []
        self.buffered = 0

    def _copy(self, name: str, rows: list[dict]) -> None:
        """PostgreSQL: COPY is several times faster than executemany, in the same transaction.
        Table and column names come from the metadata and are quoted as identifiers."""
        from psycopg import sql

        columns = list(rows[0])
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(name), sql.SQL(", ").join(sql.Identifier(c) for c in columns))
        driver = self.connection.connection.driver_connection
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])


# --------------------------------------------------------------------------- world structure


@dataclass(eq=False)
class Org:
    id: int
    name: str
    kind: str
    country: str
    parent_id: int | None = None

    @property
    def pillar(self) -> str:
        return PILLAR_OF_KIND[OrgKind(self.kind)]


@dataclass
class SiteInfo:
    id: int
    name: str
    town: str
    country: str
    company_id: int | None


@dataclass
class Member:
    org: Org
    role: str
    since: date
    until: date | None

    def active_on(self, day: date) -> bool:
        return self.since <= day and (self.until is None or self.until >= day)


@dataclass
class GroupPlan:
    index: int
    id: int
    name: str
    country: Country
    sites: list[SiteInfo]
    towns: list[str]
    members: list[Member] = field(default_factory=list)
    level: str = "national"
    secretariat: Org | None = None
    dormant_from: date | None = None

    @property
    def trait(self) -> int:
        return self.index % 12


class Rates:
    """Monthly exchange rates: USD per one unit of each currency, as exact decimals."""

    def __init__(self, rng: random.Random, countries: tuple[Country, ...], first: date, last: date):
        self.by_currency: dict[str, tuple[list[date], list[Decimal]]] = {}
        months = []
        day = date(first.year, first.month, 1)
        while day <= last:
            months.append(day)
            day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        for country in countries:
            rate, values = country.usd_per_unit, []
            for _ in months:
                values.append(Decimal(f"{rate:.6g}"))
                rate *= 1 - country.monthly_drift + rng.gauss(0, 0.012)
            self.by_currency[country.currency] = (months, values)

    def usd_per_unit(self, currency: str, day: date) -> Decimal:
        if currency == "USD":
            return Decimal(1)
        months, values = self.by_currency[currency]
        return values[max(0, bisect.bisect_right(months, day) - 1)]

    def rows(self) -> list[dict]:
        return [{"currency": cur, "rate_date": d, "rate": v}
                for cur, (months, values) in self.by_currency.items() for d, v in zip(months, values)]


def _minor(amount: Decimal, currency: str) -> int:
    """An amount in integer minor units of its currency (COP has none in CLDR, USD two)."""
    return money.to_minor(money.round_to(amount, currency), currency)


class World:
    """Organisations, sites and group plans: the structure every record hangs on."""

    def __init__(self, rng: random.Random, sink: Sink, scale: float, as_of: date):
        self.rng, self.sink, self.as_of = rng, sink, as_of
        self.start = as_of - timedelta(days=SPAN_DAYS)
        self.structure = max(1.0, scale) ** 0.61 if scale >= 1 else scale
        self.countries = COUNTRIES[:6] if scale <= 1 else COUNTRIES
        self.orgs: dict[int, Org] = {}
        self.by_country_kind: dict[tuple[str, str], list[Org]] = {}
        self.names: set[str] = set()
        self.towns: dict[str, list[str]] = {}
        self.sites: dict[str, list[SiteInfo]] = {}
        self.parents: list[Org] = []
        self.internationals: list[Org] = []

    def n(self, base: float) -> int:
        return max(1, round(base * self.structure))

    def org(self, name: str, kind: str, country: str, parent_id: int | None = None) -> Org:
        base, k = name, 2
        while name in self.names:
            name, k = f"{base} {k}", k + 1
        self.names.add(name)
        rng = self.rng
        company_like = kind in ("company", "private_security")
        org_id = self.sink.add(
            "organisation", name=name, kind=kind, country=country, parent_id=parent_id,
            vpshr_participant=(company_like and rng.random() < 0.6) or (kind == "government" and rng.random() < 0.3)
                              or (kind == "civil_society" and rng.random() < 0.3),
            icoca_member=kind == "private_security" and rng.random() < 0.5,
            eiti_supporter=(company_like and rng.random() < 0.5) or (kind == "government" and rng.random() < 0.4))
        org = Org(org_id, name, kind, country, parent_id)
        self.orgs[org_id] = org
        self.by_country_kind.setdefault((country, kind), []).append(org)
        return org

    def build(self) -> None:
        rng = self.rng
        for i, (name, kind) in enumerate(INTERNATIONAL_ORGS):
            self.internationals.append(self.org(name, kind, "CH" if i % 2 else "NO"))
        stems = list(COMPANY_STEMS)
        for i in range(self.n(BASE["parents"])):
            stem = stems[i % len(stems)] + ("" if i < len(stems) else f" {chr(65 + i // len(stems))}")
            sector = "Resources plc" if i == 0 else rng.choice(COMPANY_SECTORS)
            self.parents.append(self.org(f"{stem} {sector}", "company", HQ_COUNTRIES[i % len(HQ_COUNTRIES)]))
        codes = [c.code for c in self.countries]
        for country in self.countries:
            count_towns = 40 + self.n(40)
            self.towns[country.code] = town_names(rng, country, count_towns)
        for country in self.countries:
            self._country_orgs(country)
        # Subsidiaries: the HQ company in several countries, the others in two or three.
        for i, parent in enumerate(self.parents):
            stem = parent.name.rsplit(" ", 2)[0] if i else "Orvanta"
            where = [c for c in HQ_PARENT_COUNTRIES if c in codes] if i == 0 else rng.sample(codes, k=min(len(codes), rng.choice((2, 3))))
            for code in where:
                country = next(c for c in self.countries if c.code == code)
                self.org(f"{stem} {country.name} {country.company_suffix}", "company", code, parent.id)
        for country in self.countries:
            self._country_sites(country)

    def _country_orgs(self, country: Country) -> None:
        rng, code, towns = self.rng, country.code, self.towns[country.code]
        regions = [r.name for r in country.regions]
        for kind, base in PER_COUNTRY_ORGS.items():
            for j in range(self.n(base)):
                town, region = rng.choice(towns), regions[j % len(regions)]
                if kind == OrgKind.government:
                    name = (country.ministry if j == 0 else
                            f"{region} Regional Administration" if j % 2 else f"{town} District Assembly")
                elif kind == OrgKind.public_security:
                    name = (f"{country.police}, {region} Command" if j % 2 == 0 else f"{country.army}, {region} Sector")
                elif kind == OrgKind.private_security:
                    name = rng.choice(PRIVATE_SECURITY_PATTERNS).format(stem=rng.choice(SECURITY_STEMS),
                                                                        suffix=country.company_suffix)
                elif kind == OrgKind.civil_society:
                    name = CSO_PATTERNS[j % len(CSO_PATTERNS)].format(town=town, region=region)
                elif kind == OrgKind.community_group:
                    name = rng.choice(COMMUNITY_PATTERNS).format(town=town)
                elif kind == OrgKind.academic:
                    name = rng.choice(ACADEMIC_PATTERNS).format(town=town, region=region)
                else:
                    name = f"{town} {rng.choice(LOCAL_COMPANY_KINDS[code])} {country.company_suffix}"
                self.org(name, str(kind), code)

    def _country_sites(self, country: Country) -> None:
        rng, code = self.rng, country.code
        companies = self.by_country_kind.get((code, "company"), [])
        subsidiaries = [o for o in companies if o.parent_id is not None]
        hq_subsidiary = [o for o in subsidiaries if o.parent_id == self.parents[0].id]
        total = round(BASE["sites"] * self.structure)
        position = [c.code for c in self.countries].index(code)
        count = max(2, total // len(self.countries) + (position < total % len(self.countries)))
        towns = rng.sample(self.towns[code], k=count)
        sites: list[SiteInfo] = []
        for j in range(count):
            region = country.regions[j % len(country.regions)]
            town = towns[j]
            if j == 0 and hq_subsidiary:
                operator = hq_subsidiary[0]
            elif rng.random() < 0.12:
                operator = None
            else:
                operator = subsidiaries[j % len(subsidiaries)] if subsidiaries and rng.random() < 0.6 else rng.choice(companies)
            if operator is None:
                name = f"{town} Community Lands"
            else:
                word = next((w for w in SITE_KINDS if operator.name.endswith(f"{w} {country.company_suffix}") or w in operator.name), "Mining")
                name = f"{town} {SITE_KINDS.get(word, 'mine').title()}"
            site_id = self.sink.add("site", name=name, country=code, region=region.name,
                                    latitude=round(region.lat + rng.uniform(-0.3, 0.3), 4),
                                    longitude=round(region.lon + rng.uniform(-0.3, 0.3), 4),
                                    company_id=operator.id if operator else None)
            sites.append(SiteInfo(site_id, name, town, code, operator.id if operator else None))
        self.sites[code] = sites

    # ----------------------------------------------------------------- groups

    def plan_groups(self) -> list[GroupPlan]:
        rng, plans = self.rng, []
        n_groups = self.n(BASE["groups"])
        nc = len(self.countries)
        levels = ("regional", "provincial", "local", "operational")
        group_names: set[str] = set()
        for i in range(n_groups):
            country = self.countries[i % nc]
            sites = self.sites[country.code]
            national = i < nc
            if national:
                chosen = list(sites[:4])
                name = f"{country.name} National Working Group on Security and Human Rights"
                level = "national"
            else:
                k = min(len(sites), rng.choice((2, 3, 3)))
                chosen = [sites[i // nc % len(sites)]] + rng.sample([s for s in sites if s is not sites[i // nc % len(sites)]], k=k - 1)
                level = levels[i % len(levels)]
                region = country.regions[i // nc % len(country.regions)].name
                name = {"regional": f"{region} Regional Security and Human Rights Forum",
                        "provincial": f"{region} Multi-Stakeholder Platform on Business and Human Rights",
                        "local": f"{chosen[0].town} Local Dialogue Group",
                        "operational": f"{chosen[0].name} Operational Working Group"}[level]
            base, k = name, 2
            while name in group_names:
                name, k = f"{base} ({k})", k + 1
            group_names.add(name)
            plan = GroupPlan(i, self.sink.new_id("working_group"), name, country, chosen,
                             [s.town for s in chosen], level=level)
            plans.append(plan)
        return plans

    def fill_group(self, plan: GroupPlan, secretariat: Org | None = None) -> None:
        """Memberships, sites, initiatives and the working_group row of one group."""
        rng, code = self.rng, plan.country.code
        established = self.as_of - timedelta(days=rng.randint(400, 3000))
        def pick(kind, k):
            found = self.by_country_kind.get((code, kind), [])
            return rng.sample(found, k=min(k, len(found)))
        operators = [self.orgs[s.company_id] for s in plan.sites if s.company_id is not None]
        companies = list(dict.fromkeys(operators))
        others = [o for o in self.by_country_kind.get((code, "company"), []) if o not in companies]
        if others and rng.random() < 0.5:
            companies.append(rng.choice(others))
        government = pick("government", rng.choice((2, 3)))
        cso = pick("civil_society", rng.choice((2, 3, 3)))
        if secretariat is not None and secretariat not in cso:
            cso = [secretariat] + cso[:-1] if cso else [secretariat]
        lead = rng.choice(("government", "joint")) if plan.index < len(self.countries) else rng.choice(("civil_society", "company", "joint", "civil_society"))
        orgs_roles: list[tuple[Org, str]] = []
        secretariat = secretariat or (cso[0] if cso else government[0])
        chair = {"government": government[0], "company": companies[0] if companies else government[0],
                 "civil_society": cso[-1] if len(cso) > 1 else government[0], "joint": government[0]}[lead]
        co_chair = cso[-1] if lead == "joint" and len(cso) > 1 else None
        members = (government + pick("public_security", rng.choice((1, 2))) + companies
                   + pick("private_security", rng.choice((1, 2))) + cso + pick("community_group", rng.choice((3, 3, 4)))
                   + pick("academic", 1 if rng.random() < 0.3 else 0))
        for org in dict.fromkeys(members):
            role = ("secretariat" if org is secretariat else "chair" if org is chair
                    else "co_chair" if org is co_chair else "member")
            orgs_roles.append((org, role))
        if rng.random() < 0.6:
            orgs_roles.append((rng.choice(self.internationals), "observer"))
        for org, role in orgs_roles:
            since = established if rng.random() < 0.7 else self.start + timedelta(days=rng.randint(0, 500))
            since = max(since, established)
            until = None
            if role == "member" and rng.random() < 0.1:
                until = min(self.as_of - timedelta(days=5), since + timedelta(days=rng.randint(120, 600)))
                until = max(until, since)
            plan.members.append(Member(org, role, since, until))
            self.sink.add("membership", group_id=plan.id, org_id=org.id, role=role, since=since, until=until)
        plan.secretariat = secretariat
        status = "active"
        if plan.trait in DORMANT:
            status = "dormant"
            plan.dormant_from = self.as_of - timedelta(days=rng.randint(240, 330))
        initiatives = ["vpshr", "ungps"] + (["eiti"] if plan.index < len(self.countries) else []) \
            + (["icoca"] if rng.random() < 0.4 else []) + (["oecd_ncp"] if rng.random() < 0.2 else []) \
            + (["local"] if rng.random() < 0.2 else [])
        self.sink.add("working_group", id=plan.id, name=plan.name, country=code,
                      level=plan.level,
                      focus="security_human_rights" if rng.random() < 0.8 else rng.choice(("business_human_rights", "oecd_guidelines", "childrens_rights")),
                      status=status, established_on=established, lead=lead,
                      secretariat_org_id=secretariat.id, timezone=plan.country.timezone,
                      description=f"Brings together government, companies, civil society and communities around "
                                  f"{', '.join(s.name for s in plan.sites)}.")
        for site in plan.sites:
            self.sink.add("group_site", group_id=plan.id, site_id=site.id)
        for initiative in initiatives:
            self.sink.add("group_initiative", group_id=plan.id, initiative=initiative)


# --------------------------------------------------------------------------- one group's records


@dataclass
class Users:
    admin: int
    coordinator: int
    hq: int
    coordinator_groups: frozenset[int]


class GroupRecords:
    """Work plans, activities, attendance, issues, commitments, funds and the rest of one group."""

    def __init__(self, world: World, plan: GroupPlan, rng: random.Random, users: Users,
                 rates: Rates, hq_family: set[int]):
        self.w, self.plan, self.rng, self.users, self.rates = world, plan, rng, users, rates
        self.sink, self.as_of, self.start = world.sink, world.as_of, world.start
        self.hq_family = hq_family
        self.last_day = plan.dormant_from or self.as_of
        self.held: list[tuple[date, int, str, str]] = []    # (day, activity id, kind, title)
        self.items_by_year_kind: dict[tuple[int, str], list[int]] = {}
        self.editor = users.coordinator if plan.id in users.coordinator_groups else users.admin

    def members_on(self, day: date) -> list[Member]:
        return [m for m in self.plan.members if m.active_on(day)]

    def member_of_kind(self, day: date, kinds: tuple[str, ...]) -> Org | None:
        found = [m.org for m in self.members_on(day) if m.org.kind in kinds]
        return self.rng.choice(found) if found else None

    def day_between(self, first: date, last: date) -> date:
        return first + timedelta(days=self.rng.randint(0, max(0, (last - first).days)))

    # ----------------------------------------------------------------- work plans

    def work_plans(self) -> None:
        rng, plan = self.rng, self.plan
        for year in range(self.start.year, self.as_of.year + 1):
            if plan.dormant_from and year > plan.dormant_from.year:
                continue
            plan_id = self.sink.add("work_plan", group_id=plan.id, title=f"Work plan {year}",
                                    period_start=date(year, 1, 1), period_end=date(year, 12, 31))
            for _ in range(rng.randint(5, 8)):
                kind = rng.choice(list(texts.WORK_ITEMS))
                due = date(year, rng.randint(2, 12), rng.randint(1, 28))
                if due <= self.as_of:
                    status = _choice(rng, {"done": 60, "delayed": 15, "in_progress": 18, "cancelled": 7})
                else:
                    status = _choice(rng, {"planned": 55, "in_progress": 40, "done": 5})
                progress = {"done": 100, "planned": 0, "cancelled": rng.randint(0, 40),
                            "delayed": rng.randint(10, 60), "in_progress": rng.randint(10, 90)}[status]
                owner = self.member_of_kind(due, ("civil_society", "government", "company", "international_organisation"))
                item_id = self.sink.add("work_plan_item", work_plan_id=plan_id, title=rng.choice(texts.WORK_ITEMS[kind]),
                                        kind=kind, owner_org_id=owner.id if owner else None, due_on=due,
                                        status=status, progress=progress, proposal="adopted")
                self.items_by_year_kind.setdefault((year, kind), []).append(item_id)
            if year == self.as_of.year and plan.index < 3 * len(self.w.countries) and \
                    any(m.org.id in self.hq_family for m in plan.members):
                for k, proposal in enumerate(("proposed", "declined" if plan.index == 0 else "proposed")):
                    self.sink.add("work_plan_item", work_plan_id=plan_id, title=texts.PROPOSED_ITEMS[(plan.index + k) % 3],
                                  kind="training" if k else "outreach", owner_org_id=None,
                                  due_on=self.as_of + timedelta(days=60 + 30 * k), status="planned", progress=0,
                                  proposal=proposal, proposed_by_user_id=self.users.hq)

    # ----------------------------------------------------------------- activities

    def activities(self, count: int) -> None:
        rng, plan = self.rng, self.plan
        last = plan.dormant_from or self.as_of + timedelta(days=FUTURE_DAYS)
        span = (last - self.start).days
        zone = ZoneInfo(plan.country.timezone)
        days = sorted(self.start + timedelta(days=rng.randint(0, span)) for _ in range(count))
        for day in days:
            kind = _choice(rng, ACTIVITY_KIND_WEIGHTS)
            if day > self.as_of:
                status = "postponed" if rng.random() < 0.08 else "scheduled"
            else:
                status = _choice(rng, {"held": 87, "postponed": 7, "cancelled": 6})
            site = rng.choice(plan.sites)
            town = rng.choice(plan.towns)
            title = rng.choice(texts.ACTIVITY_TITLES[kind]).format(site=site.name, town=town)
            # A local time in the group's time zone (stored as UTC by the column type).
            starts = datetime.combine(day, time(rng.choice((9, 9, 10, 14)), rng.choice((0, 0, 30))), tzinfo=zone)
            ends = starts + timedelta(hours=texts.ACTIVITY_HOURS[kind] + rng.choice((-1, 0, 0, 1)))
            at_site = kind in ("field_visit", "community_dialogue", "training")
            item_kind = {"workshop": "workshop", "training": "training", "plenary": "meeting",
                         "field_visit": "monitoring"}.get(kind)
            items = self.items_by_year_kind.get((day.year, item_kind), [])
            held = status == "held"
            activity_id = self.sink.add(
                "activity", group_id=plan.id, kind=kind, title=title, starts_at=starts, ends_at=ends,
                site_id=site.id if at_site else None,
                place=site.town if at_site else f"{plan.country.regions[plan.index % len(plan.country.regions)].name} regional administration hall",
                status=status, summary=rng.choice(texts.SUMMARIES) if held else "",
                outcomes=rng.choice(texts.OUTCOME_TEXTS) if held else "",
                work_plan_item_id=rng.choice(items) if items and rng.random() < 0.4 else None)
            if held:
                self.held.append((day, activity_id, kind, title))
                self.attendance(activity_id, day)

    def attendance(self, activity_id: int, day: date) -> None:
        rng, trait = self.rng, self.plan.trait
        progress = (day - self.start).days / SPAN_DAYS
        for member in self.members_on(day):
            kind = member.org.kind
            p = {"company": 0.85, "government": 0.72, "public_security": 0.65, "private_security": 0.7,
                 "civil_society": 0.9, "community_group": 0.8, "academic": 0.6}.get(kind, 0.5)
            if trait in DECLINING_ATTENDANCE:
                p *= 1.05 - 0.65 * progress
            if trait in EMPTY_COMMUNITY_SEATS and kind == "community_group" and day > self.as_of - timedelta(days=200):
                p = 0.0
            attended = rng.random() < p
            participants = (rng.randint(2, 8) if kind == "community_group" else rng.randint(1, 3)) if attended else 0
            share = 0.95 if "Women" in member.org.name else 0.35
            women = sum(rng.random() < share for _ in range(participants))
            self.sink.add("attendance", activity_id=activity_id, org_id=member.org.id, invited=True,
                          attended=attended, participants=participants, women=women)

    # ----------------------------------------------------------------- issues

    def issues(self, count: int, case_numbers: dict[tuple[str, int], int]) -> None:
        rng, plan = self.rng, self.plan
        site_weights = [1 / (k + 1) ** 1.6 for k in range(len(plan.sites))]
        span = (self.last_day - self.start).days
        held_days = [h[0] for h in self.held]
        for _ in range(count):
            u = rng.random()
            offset = span * (math.sqrt(u) if plan.trait in RISING_ISSUES else u ** 0.85)
            raised = self.start + timedelta(days=int(offset))
            site = rng.choices(plan.sites, weights=site_weights)[0] if rng.random() > 0.05 else None
            town = site.town if site else rng.choice(plan.towns)
            category = _choice(rng, CATEGORY_WEIGHTS)
            security = category in ("security_conduct", "protest")
            severity = _choice(rng, SEVERITY_WEIGHTS_SECURITY if category == "security_conduct" else SEVERITY_WEIGHTS)
            violence = rng.random() < (0.5 if security else 0.06) + (0.2 if severity in ("high", "critical") else 0)
            actor = "none"
            if category == "security_conduct":
                actor = _choice(rng, {"public": 50, "private": 40, "armed_group": 10})
            elif category == "protest" or violence:
                actor = _choice(rng, {"none": 50, "public": 35, "private": 15})
            pillar = _choice(rng, RAISER_WEIGHTS)
            anonymous = rng.random() < {"community": 0.45, "civil_society": 0.15}.get(pillar, 0)
            raiser_org = None
            if not anonymous:
                kinds = {"community": ("community_group",), "civil_society": ("civil_society", "academic"),
                         "company": ("company", "private_security"), "state": ("government", "public_security"),
                         "observer": ("international_organisation", "donor")}[pillar]
                if pillar != "community" or rng.random() < 0.5:
                    raiser_org = self.member_of_kind(raised, kinds)
            raiser_name = person_name(rng, plan.country.language) if not anonymous and pillar in ("community", "civil_society") and rng.random() < 0.5 else ""
            operator = self.w.orgs.get(site.company_id) if site and site.company_id else None
            owner = operator if operator and rng.random() < 0.7 else (self.plan.secretariat if rng.random() < 0.5 else self.member_of_kind(raised, ("government",)))
            key = (plan.country.code, raised.year)
            case_numbers[key] = case_numbers.get(key, 0) + 1
            steps, fields = self.lifecycle(raised, severity, violence)
            ack_days, resolve_days = RESPONSE_DAYS[severity]
            issue_id = self.sink.add(
                "issue", group_id=plan.id, site_id=site.id if site else None,
                title=rng.choice(texts.ISSUE_TITLES[category]).format(site=site.name if site else town, town=town),
                description=rng.choice(texts.ISSUE_DESCRIPTIONS).format(town=town), category=category,
                raiser_pillar=pillar, raiser_org_id=raiser_org.id if raiser_org else None, raiser_name=raiser_name,
                anonymous=anonymous, channel=_choice(rng, CHANNEL_WEIGHTS), raised_on=raised, severity=severity,
                violence_risk=violence, security_actor=actor, owner_org_id=owner.id if owner else None,
                confidential=rng.random() < (0.25 if category == "security_conduct" else 0.08),
                case_number=case_number(plan.country.code, raised.year, case_numbers[key]),
                acknowledge_by=raised + timedelta(days=ack_days), resolve_by=raised + timedelta(days=resolve_days),
                version=len(steps), retired=False, **fields)
            previous = None
            for to_status, day, note in steps:
                self.sink.add("issue_update", issue_id=issue_id,
                              at=datetime.combine(day, time(rng.randint(7, 16), rng.randint(0, 59)), tzinfo=timezone.utc),
                              on_date=day, user_id=self.editor, from_status=previous, to_status=to_status, note=note,
                              raiser_informed=rng.random() < (0.7 if previous is None else 0.85))
                previous = to_status
            end = fields["resolved_on"] or fields["closed_on"] or self.as_of
            if held_days and rng.random() < 0.35:
                first = bisect.bisect_left(held_days, raised)
                last = bisect.bisect_right(held_days, end)
                if first < last:
                    self.sink.add("issue_activity", issue_id=issue_id, activity_id=self.held[rng.randrange(first, last)][1])
            agreed = next((day for status, day, _ in steps if status == "action_agreed"), None)
            if agreed is not None:
                self.commitment(agreed, owner, issue_id=issue_id, town=town, site=site)

    def lifecycle(self, raised: date, severity: str, violence: bool):
        """The status changes an issue went through up to the as-of date, and its fields."""
        rng = self.rng
        ack_target, resolve_target = RESPONSE_DAYS[severity]
        ack_day = raised + timedelta(days=max(0, round(ack_target * rng.lognormvariate(-0.4, 0.8))))
        resolve_after = max(ack_day - raised + timedelta(days=1),
                            timedelta(days=round(resolve_target * rng.lognormvariate(-0.3, 0.6))))
        path = ["acknowledged"]
        roll = rng.random()
        escalate = rng.random() < 0.04 + (0.25 if violence else 0) + (0.15 if severity == "critical" else 0)
        if rng.random() < 0.7:
            path.append("in_dialogue")
        if escalate:
            path.append("escalated")
            path.append("in_dialogue")
        if roll < 0.05:
            path.append("closed")
        elif roll < 0.13:                 # stuck: still open however old
            path.append("action_agreed")
            resolve_after = timedelta(days=10_000)
        else:
            if rng.random() < 0.55:
                path.append("action_agreed")
            path.append("resolved")
            if rng.random() < 0.65:
                path.append("closed")
        resolve_day = raised + resolve_after
        middle = [s for s in path[1:] if s not in ("resolved", "closed")]
        steps = [("received", raised, texts.UPDATE_NOTES["received"]),
                 ("acknowledged", ack_day, texts.UPDATE_NOTES["acknowledged"])]
        cursor = ack_day
        gap = max(1, (min(resolve_day, ack_day + timedelta(days=400)) - ack_day).days // (len(middle) + 1))
        for status in middle:
            cursor = cursor + timedelta(days=rng.randint(1, max(1, gap)))
            steps.append((status, cursor, texts.UPDATE_NOTES[status]))
        if "resolved" in path:
            cursor = max(cursor + timedelta(days=1), resolve_day)
            steps.append(("resolved", cursor, texts.UPDATE_NOTES["resolved"]))
            if "closed" in path:
                steps.append(("closed", cursor + timedelta(days=rng.randint(7, 45)), texts.UPDATE_NOTES["closed"]))
        elif "closed" in path:
            cursor = cursor + timedelta(days=rng.randint(5, 60))
            steps.append(("closed", cursor, texts.CLOSED_UNRESOLVED_NOTE))
        steps = [s for s in steps if s[1] <= self.as_of]
        reached = {s[0]: s[1] for s in steps}
        resolved = "resolved" in reached
        outcome, remedy = rng.choice(texts.OUTCOMES) if resolved else ("", "")
        fields = {
            "status": steps[-1][0], "acknowledged_on": reached.get("acknowledged"),
            "escalated": "escalated" in reached,
            "referral": rng.choice(texts.REFERRALS_FOR_ESCALATION) if "escalated" in reached and rng.random() < 0.5 else "none",
            "outcome": outcome, "remedy": remedy,
            "satisfaction": _choice(rng, {"yes": 60, "no": 15, "unknown": 25}) if resolved else "unknown",
            "resolved_on": reached.get("resolved"), "closed_on": reached.get("closed"),
        }
        return steps, fields

    # ----------------------------------------------------------------- commitments

    def meeting_commitments(self) -> None:
        for day, activity_id, kind, _ in self.held:
            if kind in MEETING_KINDS:
                for _ in range(self.rng.choice((0, 1, 1, 2))):
                    self.commitment(day, None, activity_id=activity_id, town=self.rng.choice(self.plan.towns),
                                    site=self.rng.choice(self.plan.sites))

    def commitment(self, agreed: date, owner: Org | None, *, activity_id: int | None = None,
                   issue_id: int | None = None, town: str, site: SiteInfo | None) -> None:
        rng = self.rng
        owner = owner or self.member_of_kind(agreed, ("company",) if rng.random() < 0.4 else
                                             ("government", "public_security", "civil_society", "private_security"))
        if owner is None:
            return
        due = agreed + timedelta(days=rng.randint(21, 120)) if rng.random() > 0.05 else None
        done_on = None
        if due is None or due > self.as_of:
            status = _choice(rng, {"open": 40, "in_progress": 40, "done": 20})
            if status == "done":
                done_on = self.day_between(agreed, min(self.as_of, due or self.as_of))
        else:
            slipping = self.plan.trait in SLIPPING_COMMITMENTS
            fate = _choice(rng, {"on_time": 30, "late": 25, "slipping": 35, "dropped": 10} if slipping
                           else {"on_time": 57, "late": 18, "slipping": 17, "dropped": 8})
            if fate == "on_time":
                status, done_on = "done", self.day_between(agreed, due)
            elif fate == "late" and due + timedelta(days=1) <= self.as_of:
                status, done_on = "done", self.day_between(due + timedelta(days=1), min(self.as_of, due + timedelta(days=75)))
            elif fate == "dropped":
                status = "dropped"
            else:
                status = rng.choice(("open", "in_progress"))
        verifier, verified_on = None, None
        if done_on and rng.random() < 0.65:
            others = [m.org for m in self.members_on(done_on) if m.org.pillar != owner.pillar]
            if others:
                verifier = rng.choice(others)
                verified_on = min(self.as_of, done_on + timedelta(days=rng.randint(0, 30)))
        self.sink.add("commitment", group_id=self.plan.id, activity_id=activity_id, issue_id=issue_id,
                      owner_org_id=owner.id,
                      description=rng.choice(texts.COMMITMENTS).format(site=site.name if site else town, town=town),
                      due_on=due, status=status, done_on=done_on,
                      verified_by_org_id=verifier.id if verifier else None, verified_on=verified_on)

    # ----------------------------------------------------------------- funding

    def funding(self, count: int, fund_names: set[str]) -> None:
        rng, plan = self.rng, self.plan
        local = plan.country.currency
        trust = rng.random() < 0.35
        admin = rng.choice([o for o in self.w.internationals if o.kind == "international_organisation"]) if trust else plan.secretariat
        funds = [(self.sink.add("fund", group_id=plan.id, name=f"{plan.name}: {'trust fund' if trust else 'pooled fund'}",
                                kind="trust_fund" if trust else "pooled_fund", administrator_org_id=admin.id,
                                currency="USD" if trust else local,
                                governance_notes="Contributions are pooled and decided on by the steering committee, "
                                                 "so no single funder steers the group."),
                  "USD" if trust else local, admin, 1.0)]
        government = [m.org for m in plan.members if m.org.kind == "government"]
        if rng.random() < 0.3 and government:
            funds.append((self.sink.add("fund", group_id=plan.id, name=f"{plan.name}: direct budget", kind="direct_budget",
                                        administrator_org_id=government[0].id, currency=local), local, government[0], 0.15))
        companies = list(dict.fromkeys(m.org for m in plan.members if m.org.kind == "company"))
        company_weights = [25.0 if k == 0 and plan.trait in DOMINANT_FUNDER else 6 / (k + 1) ** 1.2 for k in range(len(companies))]
        donors = [o for o in self.w.internationals if o.kind == "donor"][: rng.choice((1, 2))]
        contributors = [(c, w, 8000) for c, w in zip(companies, company_weights)] + \
            [(d, 1.5, 7000) for d in donors] + [(g, 0.6, 2500) for g in government[:1]]
        last = min(self.as_of, (plan.dormant_from + timedelta(days=30)) if plan.dormant_from else self.as_of)
        for fund_id, currency, admin, share in funds:
            n = max(2, round(count * share)) if share < 1 else count - (round(count * 0.15) if len(funds) > 1 else 0)
            pool = contributors if share == 1.0 else [(c, w, a / 3) for c, w, a in contributors if c.kind in ("company", "government")]
            events = []
            for _ in range(n):
                org, _, typical = rng.choices(pool, weights=[w for _, w, _ in pool])[0]
                received = self.day_between(self.start, last)
                in_kind = org.kind != "donor" and rng.random() < 0.15
                usd = Decimal(str(round(typical * rng.lognormvariate(0, 0.5) / (4 if in_kind else 1), 2)))
                paid_in = currency if in_kind else (
                    ("USD" if rng.random() < 0.3 else currency) if currency != "USD" else (local if rng.random() < 0.1 else "USD"))
                amount = _minor(usd / self.rates.usd_per_unit(paid_in, received), paid_in)
                earmarked = rng.random() < 0.2
                row = dict(fund_id=fund_id, contributor_org_id=org.id, kind="in_kind" if in_kind else "financial",
                           amount_minor=amount, currency=paid_in,
                           description=rng.choice(texts.IN_KIND) if in_kind else "",
                           received_on=received, earmarked=earmarked,
                           earmark_purpose=rng.choice(texts.EARMARKS) if earmarked else "",
                           published=rng.random() < 0.8, retired=False,
                           recorded_by_user_id=self.editor if self.editor == self.users.coordinator else None)
                events.append(row)
            events.sort(key=lambda r: r["received_on"])
            for row in events:
                self.sink.add("contribution", **row)
            self.disbursements(fund_id, currency, admin, events, main=share == 1.0)

    def disbursements(self, fund_id: int, currency: str, admin: Org, contributions: list[dict], main: bool) -> None:
        """Spend from the fund in date order, never more than 80% of the balance on the day, so
        no disbursement takes the balance below zero then or later (whatever the rounding)."""
        rng = self.rng
        if not contributions:
            return
        wanted: list[tuple[date, str, Decimal, int | None, str]] = []
        for day, activity_id, kind, title in self.held:
            if rng.random() < (0.45 if main else 0.12):
                purpose = "training" if kind in ("training", "workshop") else "meetings"
                wanted.append((day, purpose, Decimal(rng.randint(600, 3500)), activity_id,
                               texts.DISBURSEMENT_TEXT[purpose].format(title=title)))
        if main:
            day = contributions[0]["received_on"] + timedelta(days=20)
            while day <= self.as_of:
                wanted.append((day, "secretariat", Decimal(rng.randint(800, 1500)), None,
                               texts.DISBURSEMENT_TEXT["secretariat"].format(month=day.strftime("%B %Y"))))
                day += timedelta(days=30)
            for purpose in ("monitoring", "outreach", "research"):
                if rng.random() < 0.5:
                    wanted.append((self.day_between(self.start, self.as_of), purpose, Decimal(rng.randint(1000, 5000)),
                                   None, texts.DISBURSEMENT_TEXT[purpose]))
        wanted.sort(key=lambda w: w[0])
        balance = Decimal(0)   # in the fund's currency, each contribution converted and rounded once
        index = 0
        financial = [c for c in contributions if c["kind"] == "financial"]
        for day, purpose, usd, activity_id, text in wanted:
            while index < len(financial) and financial[index]["received_on"] <= day:
                c = financial[index]
                factor = self.rates.usd_per_unit(c["currency"], c["received_on"]) / self.rates.usd_per_unit(currency, c["received_on"])
                balance += money.round_to(money.from_minor(c["amount_minor"], c["currency"]) * factor, currency)
                index += 1
            wanted_amount = usd / self.rates.usd_per_unit(currency, day)
            spend = min(wanted_amount, balance * Decimal("0.8"))
            if spend < wanted_amount / 4:
                continue
            spend = money.round_to(spend, currency) - money.quantum(currency)   # rounding never overdraws
            balance -= spend
            amount = money.to_minor(spend, currency)
            self.sink.add("disbursement", fund_id=fund_id, amount_minor=amount, currency=currency, spent_on=day,
                          purpose=purpose, description=text, activity_id=activity_id, work_plan_item_id=None,
                          approved_by_org_id=admin.id, approved_by_name=person_name(rng, self.plan.country.language),
                          published=rng.random() < 0.7, retired=False)

    # ----------------------------------------------------------------- learning and documents

    def learning(self) -> None:
        rng, plan = self.rng, self.plan
        for _ in range(rng.randint(1, 4)):
            self.sink.add("forum_engagement", group_id=plan.id, held_on=self.day_between(self.start, self.last_day),
                          forum=_choice(rng, {"local": 40, "eiti": 20, "vpshr_plenary": 20, "icoca": 10, "oecd": 10}),
                          presented=rng.choice(texts.FORUM_TEXT))
        for _ in range(rng.randint(2, 5)):
            title, text, tags = rng.choice(texts.LESSONS)
            day = self.day_between(self.start, self.last_day)
            org = self.member_of_kind(day, ("company", "civil_society", "government", "community_group"))
            self.sink.add("lesson", title=title, text=text, tags=tags, org_id=org.id if org else None,
                          group_id=plan.id, shared_on=day,
                          author_user_id=self.users.hq if org and org.id in self.hq_family else None)
        for _ in range(rng.randint(3, 7)):
            day = self.day_between(self.start, self.last_day)
            org = self.member_of_kind(day, ("public_security", "private_security"))
            if org is None:
                continue
            units = texts.UNITS_PUBLIC if org.kind == "public_security" else texts.UNITS_PRIVATE
            self.sink.add("security_training", org_id=org.id, unit=rng.choice(units).format(n=rng.randint(1, 12)),
                          site_id=rng.choice(plan.sites).id, held_on=day, people_trained=rng.randint(10, 80),
                          topic=rng.choice(texts.TRAINING_TOPICS))

    def documents(self) -> None:
        plan = self.plan
        uploads = [("terms_of_reference", f"Terms of reference: {plan.name}", None, self.start)]
        plenaries = [h for h in self.held if h[2] == "plenary"][-2:]
        uploads += [("minutes", f"Minutes: {title}, {day.isoformat()}", activity_id, day)
                    for day, activity_id, _, title in plenaries]
        for kind, title, activity_id, day in uploads:
            body = (f"{title}\n\nFictional demo document of {plan.name}.\n"
                    f"Members present: {', '.join(m.org.name for m in self.members_on(day)[:6])}.\n").encode()
            self.sink.add("document", group_id=plan.id, activity_id=activity_id, issue_id=None, kind=kind,
                          title=title[:200], filename=f"{kind}-{plan.id}-{day.isoformat()}.txt",
                          content_type="text/plain", size_bytes=len(body), content=body,
                          uploaded_by_user_id=self.editor,
                          uploaded_at=datetime.combine(day, time(17, 0), tzinfo=timezone.utc))


# --------------------------------------------------------------------------- generate and load


def _shares(total: float, weights: list[float]) -> list[int]:
    whole = sum(weights)
    return [round(total * w / whole) for w in weights]


def generate(sink: Sink, scale: float = 1, random_seed: int = 7, as_of: date | None = None) -> None:
    """Generate the whole demo world into `sink` (which flushes to the database in chunks)."""
    as_of = as_of or date.today()
    rng = random.Random(random_seed)
    world = World(rng, sink, scale, as_of)
    world.build()
    rates = Rates(rng, world.countries, world.start - timedelta(days=31), as_of)
    sink.add_rows("exchange_rate", rates.rows())
    plans = world.plan_groups()
    nc = len(world.countries)
    for plan in plans:
        shared = plans[0].secretariat if plan.index == nc else None
        world.fill_group(plan, secretariat=shared)
    hq = world.parents[0]
    hq_family = {hq.id} | {o.id for o in world.orgs.values() if o.parent_id == hq.id}
    coordinator_groups = [plans[0].id] + ([plans[nc].id] if len(plans) > nc else [])
    users_rows, user_groups = demo_user_rows(1, coordinator_org_id=plans[0].secretariat.id,
                                             coordinator_group_ids=coordinator_groups, hq_org_id=hq.id)
    sink.add_rows("app_user", users_rows)
    sink.next_ids["app_user"] = len(users_rows) + 1
    sink.add_rows("user_group", user_groups)
    users = Users(user_id_of(1, Role.admin), user_id_of(1, Role.coordinator), user_id_of(1, Role.hq),
                  frozenset(coordinator_groups))
    for year in (as_of.year - 1, as_of.year):
        for section, text in texts.NARRATIVES.items():
            sink.add("narrative", company_org_id=hq.id, year=year, section=section, text=text.format(company=hq.name))
    sink.flush()

    activities = _shares(BASE["activities"] * scale, [ACTIVITY_WEIGHT[p.trait] for p in plans])
    issues = _shares(BASE["issues"] * scale, [ISSUE_WEIGHT[p.trait] for p in plans])
    contributions = _shares(BASE["contributions"] * scale, [ACTIVITY_WEIGHT[p.trait] for p in plans])
    case_numbers: dict[tuple[str, int], int] = {}
    fund_names: set[str] = set()
    for plan, n_activities, n_issues, n_contributions in zip(plans, activities, issues, contributions):
        records = GroupRecords(world, plan, random.Random(f"{random_seed}:{plan.index}"), users, rates, hq_family)
        records.work_plans()
        records.activities(n_activities)
        records.issues(n_issues, case_numbers)
        records.meeting_commitments()
        records.funding(n_contributions, fund_names)
        records.learning()
        records.documents()
        sink.maybe_flush()
    sink.flush()


def _reset_sequences(connection: sa.Connection, tables: list[str]) -> None:
    """PostgreSQL: explicit ids leave the serial sequences behind; move them to max(id)."""
    for name in tables:
        table = SQLModel.metadata.tables[name]
        if "id" not in table.c or not table.c.id.primary_key:
            continue
        connection.execute(sa.select(sa.func.setval(
            sa.func.pg_get_serial_sequence(name, "id"),
            sa.select(sa.func.max(table.c.id)).scalar_subquery())))


def load_demo_data(engine: sa.Engine, scale: float = 1, random_seed: int = 7,
                   as_of: date | None = None) -> dict[str, int]:
    """Fill an empty, migrated database with demo data and the demo users, in one transaction,
    with one audit entry holding the counts. Returns the rows inserted per table."""
    with engine.begin() as connection:
        sink = Sink(connection)
        generate(sink, scale=scale, random_seed=random_seed, as_of=as_of)
        counts = {name: n for name, n in sink.counts.items() if n}
        if connection.dialect.name == "postgresql":
            _reset_sequences(connection, list(counts))
        session = Session(bind=connection)
        audit.record(session, SYSTEM, AuditAction.bulk_load, "*", None,
                     after={"source": "demo data", "scale": scale, "random_seed": random_seed,
                            "as_of": (as_of or date.today()).isoformat(), "counts": counts})
        session.flush()
        session.close()
    return counts


def clear_database(engine: sa.Engine) -> None:
    """Delete every row of every table, children first. The data version is kept (and bumped
    by the next load), so no cache keyed on it can serve data from before the reset."""
    with engine.begin() as connection:
        for table in reversed(SQLModel.metadata.sorted_tables):
            if table.name != "data_version":
                connection.execute(sa.delete(table))


def is_empty(engine: sa.Engine) -> bool:
    with engine.connect() as connection:
        for name in ("organisation", "app_user", "working_group"):
            table = SQLModel.metadata.tables[name]
            if connection.execute(sa.select(table.c.id).limit(1)).first() is not None:
                return False
    return True


def reset_demo(engine: sa.Engine) -> dict[str, int]:
    """Empty the database and reload the scale-1 demo data with the default seed (the admin's
    "reset demo" action calls this through a permission-checked wrapper)."""
    clear_database(engine)
    return load_demo_data(engine)
