"""Organisations, sites and exchange rates are shared by every working group: a coordinator may
add organisations and sites and edit those only their own groups use; company families
(parent_id) and exchange rates change only by an admin. Enforced by the writes, whoever calls."""
from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from db.engine import session_scope
from db.errors import PermissionDenied
from db.models import ExchangeRate, GroupSite, Organisation, OrganisationUpdate, Site, SiteUpdate
from db.permissions import SYSTEM, Action
from db.writes import funding as funding_writes
from db.writes import organisations as org_writes
from db.writes.base import update_record
from tests.app.groups_fixtures import build_with_users
from tests.conftest import actor

# In the world: coord1 coordinates group A only. gov, company and community are members of
# group A only; ngo of groups A and B; guards of no group. hq1 belongs to the company.


@pytest.fixture
def world(empty_db):
    world = build_with_users()
    site = {"country": "GH", "region": "Ashanti", "latitude": 6.2, "longitude": -1.67, "company_id": world.company}
    world.site_a = org_writes.create_site(SYSTEM, {**site, "name": "Obuasi Mine"})
    world.site_ab = org_writes.create_site(SYSTEM, {**site, "name": "Tarkwa Mine"})
    world.site_none = org_writes.create_site(SYSTEM, {**site, "name": "Damang Pit"})
    with session_scope() as s:
        s.add_all([GroupSite(group_id=world.group_a, site_id=world.site_a),
                   GroupSite(group_id=world.group_a, site_id=world.site_ab),
                   GroupSite(group_id=world.group_b, site_id=world.site_ab)])
    return world


def stored(model, row_id):
    with session_scope() as s:
        return s.get(model, row_id)


# --------------------------------------------------------------------------- company families


def test_a_coordinator_cannot_widen_an_hq_users_company(world):
    """The red-team chain: make another organisation a subsidiary of hq1's company."""
    assert actor("hq1").company_ids == {world.company}
    for org_id in (world.gov, world.ngo, world.guards):
        with pytest.raises(PermissionDenied):
            org_writes.update_organisation(actor("coord1"), org_id, 1, OrganisationUpdate(parent_id=world.company))
    # nor through the generic write road
    with pytest.raises(PermissionDenied):
        update_record(actor("coord1"), Action.edit_organisation, Organisation, world.gov, 1,
                      OrganisationUpdate(parent_id=world.company))
    assert actor("hq1").company_ids == {world.company}
    assert stored(Organisation, world.gov).version == 1


def test_a_coordinator_creates_organisations_without_a_parent_only(world):
    coordinator = actor("coord1")
    with pytest.raises(PermissionDenied):
        org_writes.create_organisation(coordinator, {"name": "Goldridge Tarkwa Ltd", "kind": "company", "country": "GH",
                                                     "parent_id": world.company})
    new = org_writes.create_organisation(coordinator, {"name": "Goldridge Tarkwa Ltd", "kind": "company", "country": "GH"})
    assert stored(Organisation, new).parent_id is None
    assert actor("hq1").company_ids == {world.company}


def test_an_admin_sets_and_clears_a_parent(world):
    org_writes.update_organisation(actor("admin1"), world.guards, 1, OrganisationUpdate(parent_id=world.company))
    assert actor("hq1").company_ids == {world.company, world.guards}
    org_writes.update_organisation(actor("admin1"), world.guards, 2, OrganisationUpdate(parent_id=None))
    assert actor("hq1").company_ids == {world.company}


def test_sending_the_unchanged_parent_is_not_a_family_change(world):
    org_writes.update_organisation(actor("coord1"), world.gov, 1, OrganisationUpdate(name="Ministry of Lands and Mines",
                                                                   parent_id=None))
    assert stored(Organisation, world.gov).name == "Ministry of Lands and Mines"


# --------------------------------------------------------------------------- organisations


def test_a_coordinator_edits_an_organisation_only_their_groups_use(world):
    org_writes.update_organisation(actor("coord1"), world.gov, 1, OrganisationUpdate(name="Lands Ministry"))
    assert stored(Organisation, world.gov).name == "Lands Ministry"
    # ngo is also a member of group B; guards is a member of no group: both shared, admin only
    for org_id in (world.ngo, world.guards):
        with pytest.raises(PermissionDenied):
            org_writes.update_organisation(actor("coord1"), org_id, 1, OrganisationUpdate(name="Renamed by coord1"))
        assert stored(Organisation, org_id).version == 1
    with pytest.raises(PermissionDenied):
        org_writes.update_organisation(actor("coord2"), world.gov, 2, OrganisationUpdate(name="Renamed by coord2"))
    org_writes.update_organisation(actor("admin1"), world.ngo, 1, OrganisationUpdate(name="Rights Watch"))
    assert stored(Organisation, world.ngo).name == "Rights Watch"


def test_editable_organisations_are_those_the_writes_allow(world):
    assert org_writes.editable_organisation_ids(actor("coord1")) == {world.gov, world.company, world.community}
    assert org_writes.editable_organisation_ids(actor("coord2")) == set()
    assert org_writes.editable_organisation_ids(actor("admin1")) is None  # all of them


# --------------------------------------------------------------------------- sites


def test_a_coordinator_adds_sites_and_edits_those_only_their_groups_cover(world):
    coordinator = actor("coord1")
    new = org_writes.create_site(coordinator, {"name": "Bogoso Pit", "country": "GH", "latitude": 5.5,
                                               "longitude": -2.0})
    assert stored(Site, new).name == "Bogoso Pit"
    org_writes.update_site(coordinator, world.site_a, 1, SiteUpdate(region="Ashanti North"))
    assert stored(Site, world.site_a).region == "Ashanti North"
    for site_id in (world.site_ab, world.site_none):
        with pytest.raises(PermissionDenied):
            org_writes.update_site(coordinator, site_id, 1, SiteUpdate(name="Renamed by coord1"))
        assert stored(Site, site_id).version == 1
    assert org_writes.editable_site_ids(coordinator) == {world.site_a}
    org_writes.update_site(actor("admin1"), world.site_ab, 1, SiteUpdate(region="Western"))
    assert stored(Site, world.site_ab).region == "Western"


# --------------------------------------------------------------------------- exchange rates


def test_exchange_rates_are_admin_only(world):
    rate = {"currency": "GHS", "rate_date": date(2026, 1, 1), "rate": "0.0812"}
    for username in ("coord1", "hq1", "viewer1"):
        with pytest.raises(PermissionDenied):
            funding_writes.save_exchange_rate(actor(username), rate)
    funding_writes.save_exchange_rate(actor("admin1"), rate)
    with pytest.raises(PermissionDenied):
        funding_writes.save_exchange_rate(actor("coord1"), {**rate, "rate": "9"})
    with session_scope() as s:
        assert [str(r.rate) for r in s.exec(select(ExchangeRate))] == ["0.0812"]
