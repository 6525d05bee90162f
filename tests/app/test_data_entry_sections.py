"""The Data entry page builds only the chosen section, and the choice lives in the URL
(?section=), so a save, the rerun after it and a copied link all keep the user where they were."""
import pytest
import sqlalchemy as sa

from db.engine import session_scope
from db.models import Commitment
from tests.app.groups_fixtures import build_with_users
from tests.conftest import page

PAGE = "pages/data_entry.py"


@pytest.fixture
def world(empty_db):
    return build_with_users()


def picker(at):
    [control] = [c for c in at.segmented_control if c.key == "entry_section"]
    return control


def test_the_first_section_is_built_alone_and_the_picker_lists_the_roles_sections(world):
    at = page(PAGE, "admin1").run()
    assert not at.exception
    assert picker(at).value == "groups"
    assert picker(at).options == [
        "Working groups and members", "Work plans", "Activities and attendance", "Commitments", "Issues", "Funding",
        "Lessons, forums and training", "Documents", "Report narrative", "Import"]
    assert not [s for s in at.selectbox if s.key == "imp_kind"]  # the Import section is not built
    assert not [b for b in at.button if b.label == "Add commitment"]
    hq = page(PAGE, "hq1").run()
    assert picker(hq).options == [
        "Work plans", "Funding", "Lessons, forums and training", "Report narrative", "Import"]


def test_a_link_opens_its_section(world):
    at = page(PAGE, "admin1", query={"section": "import"}).run()
    assert not at.exception
    assert picker(at).value == "import"
    assert at.selectbox(key="imp_kind").options == ["Organisations", "Activities and attendance", "Issues",
                                                     "Contributions", "Exchange rates"]


def test_a_section_the_role_may_not_use_falls_back_to_the_first_it_may(world):
    at = page(PAGE, "hq1", query={"section": "groups"}).run()
    assert not at.exception
    assert picker(at).value == "workplans"
    assert at.query_params["section"] == "workplans"


def test_choosing_a_section_writes_it_to_the_url_and_a_save_keeps_it(world):
    at = page(PAGE, "coord1").run()
    picker(at).set_value("commitments").run()
    assert at.query_params["section"] == "commitments"
    k = f"fc_add_entry_{world.group_a}"
    at.text_area(key=f"{k}_description").input("Publish the grievance log")
    at.selectbox(key=f"{k}_owner").select(world.company)
    next(b for b in at.button if b.label == "Add commitment").click().run()
    assert not at.exception
    with session_scope() as s:
        saved = s.execute(sa.select(sa.func.count()).select_from(Commitment)
                          .where(Commitment.description == "Publish the grievance log")).scalar_one()
    assert saved == 1
    # After the save and its rerun the user is still on Commitments, not thrown back to the first section.
    assert picker(at).value == "commitments"
    assert at.query_params["section"] == "commitments"
    assert [b for b in at.button if b.label == "Add commitment"]
    at.run()  # the next click after the confirmation
    assert picker(at).value == "commitments"
