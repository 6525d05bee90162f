"""The site form takes coordinates pasted as 'lat, lon' in one field, instead of the two number
fields, and refuses a bad paste beside that field, keeping what was typed."""
from __future__ import annotations

from sqlmodel import select

from db.engine import session_scope
from db.models import Site
from tests.app.form_page import click, errors, forms
from tests.app.test_group_forms import _part, successes, world  # noqa: F401 (world is a fixture)


def _new_site(tmp_path, name: str, pasted: str):
    at = _part(forms(tmp_path, "components.forms_groups", "coord1"), "Sites")
    at.text_input(key="fs_0_name").input(name)
    at.selectbox(key="fs_0_country").select("GH")
    at.text_input(key="fs_0_coords").input(pasted)
    click(at, "Save site")
    return at


def test_pasted_coordinates_save_the_site(world, tmp_path):  # noqa: F811
    at = _new_site(tmp_path, "Accra Office", "5.6037, -0.1870")
    assert "Site saved." in successes(at), errors(at)
    with session_scope() as s:
        site = s.exec(select(Site).where(Site.name == "Accra Office")).one()
    assert (site.latitude, site.longitude) == (5.6037, -0.187)


def test_one_number_is_refused_beside_the_field(world, tmp_path):  # noqa: F811
    at = _new_site(tmp_path, "Accra Office", "5.6037")
    assert "two numbers" in errors(at)
    assert at.text_input(key="fs_0_coords").value == "5.6037"
    with session_scope() as s:
        assert s.exec(select(Site).where(Site.name == "Accra Office")).first() is None
