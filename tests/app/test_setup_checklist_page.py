"""The setup checklist on the Overview: an admin of an empty deployment sees every step open with
a link to its form, a step ticks once its data is in, the list is gone when all are done, and a
coordinator never sees it."""
from __future__ import annotations

from datetime import date

from components.setup_checklist import DONE, OPEN
from db.engine import session_scope
from db.models import Fund, Site
from db.permissions import SYSTEM
from db.users import create_user
from db.writes.funding import save_exchange_rate
from db.writes.organisations import create_organisation
from tests.app.groups_fixtures import PASSWORD, build_with_users
from tests.conftest import page

HEADING = "Set up this dashboard"


def _overview(username: str):
    at = page("pages/overview.py", username).run()
    assert not at.exception, at.exception
    return at


def _steps(at) -> list[str]:
    """The checklist's lines as shown: a tick or an empty circle, then the step."""
    return [m.value for m in at.markdown if m.value.startswith((OPEN, DONE))]


def _links(at) -> list[str]:
    """Where the checklist's links go, as path and query (st.page_link, or its plain fallback)."""
    found = []
    for element in at.get("page_link"):
        proto = element.proto
        found.append(proto.page.removesuffix(".py").rsplit("/", 1)[-1] + ("?" + proto.query_string if proto.query_string else ""))
    for m in at.markdown:
        if m.value.startswith("[") and "](/" in m.value:
            found.append(m.value.split("](/", 1)[1].rstrip(")"))
    return found


def _admin() -> None:
    create_user(SYSTEM, username="admin1", display_name="Ada Admin", password=PASSWORD, role="admin")


def test_an_admin_of_an_empty_deployment_sees_every_step_open_with_its_form(empty_db):
    _admin()
    at = _overview("admin1")
    assert HEADING in [h.value for h in at.subheader]
    assert _steps(at) == [
        OPEN + " Add the organisations: government, companies, security providers, civil society, communities",
        OPEN + " Add the sites: company operations and community areas",
        OPEN + " Create a working group",
        OPEN + " Add the group's members: organisations, each with its role",
        OPEN + " Give a group its coordinator: a user account assigned to the group",
        OPEN + " Create a fund for a group: a trust fund, a pooled fund or a direct budget",
        OPEN + " Enter exchange rates to USD for every other currency the funds use",
    ]
    assert _links(at) == ["data_entry?section=groups"] * 4 + ["users"] + ["data_entry?section=funding"] * 2
    captions = [c.value for c in at.caption]
    assert any(c.startswith("0 of 7 steps done.") for c in captions)
    assert "There, choose: Organisations" in captions and "There, choose: Exchange rates" in captions


def test_a_step_ticks_once_its_data_is_in(empty_db):
    _admin()
    create_organisation(SYSTEM, {"name": "Ministry of Lands", "kind": "government", "country": "GH"})
    steps = _steps(_overview("admin1"))
    assert steps[0] == DONE + " Add the organisations: government, companies, security providers, civil society, communities"
    assert all(step.startswith(OPEN) for step in steps[1:])


def test_the_missing_rates_are_named_and_the_list_is_gone_when_all_is_done(empty_db):
    world = build_with_users()
    with session_scope() as s:
        s.add(Site(name="Obuasi mine", country="GH", latitude=6.2, longitude=-1.7, company_id=world.company))
        s.add(Fund(group_id=world.group_a, name="Ashanti trust fund", kind="trust_fund", currency="GHS"))
    at = _overview("admin1")
    assert _steps(at) == [DONE + s for s in (
        " Add the organisations: government, companies, security providers, civil society, communities",
        " Add the sites: company operations and community areas", " Create a working group",
        " Add the group's members: organisations, each with its role",
        " Give a group its coordinator: a user account assigned to the group",
        " Create a fund for a group: a trust fund, a pooled fund or a direct budget")] + [
        OPEN + " Enter exchange rates to USD for every other currency the funds use"]
    assert "No rate yet for: GHS" in [c.value for c in at.caption]
    save_exchange_rate(SYSTEM, {"currency": "GHS", "rate_date": date(2026, 1, 1), "rate": "0.08"})
    at = _overview("admin1")
    assert HEADING not in [h.value for h in at.subheader] and _steps(at) == []
    assert [h.value for h in at.subheader][:1] == ["Early warning"]  # the page itself is still there


def test_a_coordinator_never_sees_it(empty_db):
    build_with_users()  # no site, no fund: the deployment is not set up
    at = _overview("coord1")
    assert HEADING not in [h.value for h in at.subheader] and _steps(at) == []


def test_the_demo_deployment_needs_no_setup(demo_db):
    at = _overview("admin")
    assert HEADING not in [h.value for h in at.subheader] and _steps(at) == []


def test_a_second_admin_also_sees_it(empty_db):
    _admin()
    create_user(SYSTEM, username="admin2", display_name="Abe Admin", password=PASSWORD, role="admin")
    assert len(_steps(_overview("admin2"))) == 7
