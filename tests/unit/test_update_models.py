"""Updates are Update models: a field left unset is kept, a field set to None is cleared
(where the column allows it), an unknown field is refused, and a plain dict is refused."""
from datetime import date

import pytest
from small_world import build_world

from db.engine import session_scope
from db.errors import ValidationFailed
from db.models import Membership, MembershipUpdate, OrganisationUpdate
from db.permissions import Action
from db.users import load_actor
from db.writes import groups as gw
from db.writes.base import update_record, validated


@pytest.fixture
def world(empty_db):
    return build_world()


def _membership(membership_id: int) -> Membership:
    with session_scope() as s:
        return s.get(Membership, membership_id)


def test_a_dict_is_refused(world):
    with pytest.raises(TypeError, match="Update model stored as Membership .*, not dict"):
        update_record(load_actor("admin1"), Action.edit_membership, Membership, world.membership_a, 1, {"role": "chair"})
    with pytest.raises(TypeError, match="not OrganisationUpdate"):  # another table's Update model
        update_record(load_actor("admin1"), Action.edit_membership, Membership, world.membership_a, 1,
                      OrganisationUpdate(name="Chair"))
    assert _membership(world.membership_a).role == "member"


def test_an_unknown_field_is_refused_with_a_message_for_it():
    with pytest.raises(ValidationFailed) as refused:
        validated(MembershipUpdate, {"role": "chair", "group_id": 2})
    assert refused.value.errors == {"group_id": "This field does not exist or cannot be changed here."}


def test_unset_fields_are_kept_and_none_clears(world):
    coord = load_actor("coord1")
    gw.change_membership(coord, world.membership_a, 1, MembershipUpdate(until=date(2026, 6, 30)))
    gw.change_membership(coord, world.membership_a, 2, MembershipUpdate(role="chair"))
    kept = _membership(world.membership_a)
    assert (kept.role, kept.until, kept.version) == ("chair", date(2026, 6, 30), 3)

    gw.change_membership(coord, world.membership_a, 3, MembershipUpdate(until=None))
    cleared = _membership(world.membership_a)
    assert (cleared.role, cleared.until) == ("chair", None)


def test_none_is_refused_for_a_column_that_must_hold_a_value(world):
    with pytest.raises(ValidationFailed) as refused:
        validated(MembershipUpdate, {"role": None})
    assert refused.value.errors == {"role": "This field cannot be left empty."}
    assert _membership(world.membership_a).role == "member"
