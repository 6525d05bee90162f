"""The Working groups, Activities, Organisations and Commitments pages per role: allowed roles
see real figures from the database, refused roles see only the refusal."""
import pytest

from tests.app.groups_fixtures import build_with_users
from tests.conftest import page


@pytest.fixture
def world(empty_db):
    return build_with_users()


def _text(at) -> str:
    parts = [m.value for m in at.markdown] + [m.value for m in at.caption] + [t.value for t in at.title]
    parts += [str(m.value) for m in at.metric] + [m.label for m in at.metric]
    parts += [w.value for w in at.warning] + [i.value for i in at.info]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("username", ["admin1", "coord1", "hq1", "viewer1"])
def test_directory_lists_groups_for_every_role(world, username):
    at = page("pages/working_groups.py", username).run()
    assert not at.exception
    frame = at.dataframe[0].value
    assert list(frame["name"]) == ["Ashanti Group", "Lima Group"]
    assert list(frame["members"]) == [4, 1]


def test_directory_filters_from_the_url(world):
    at = page("pages/working_groups.py", "viewer1", {"country": "PE"}).run()
    assert not at.exception
    assert list(at.dataframe[0].value["name"]) == ["Lima Group"]


def test_profile_shows_headlines_and_members(world):
    at = page("pages/working_groups.py", "coord1", {"id": str(world.group_a)}).run()
    assert not at.exception
    assert at.title[0].value == "Ashanti Group"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Meetings this year"] == "2"
    assert metrics["Attendance rate this year"] == "75%"
    members = at.dataframe[0].value
    assert set(members["organisation"]) == {"Ministry of Lands", "Goldridge Mining", "Rights Watch Ghana",
                                            "Obuasi Youth Association"}
    # the coordinator of this group may edit its work plan
    assert any(b.label == "Save status and progress" for b in at.button)


def test_profile_for_viewer_has_no_edit_controls_or_funding(world):
    at = page("pages/working_groups.py", "viewer1", {"id": str(world.group_a)}).run()
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert "Funds balance (USD)" not in labels
    assert not any(b.label == "Save status and progress" for b in at.button)


def test_profile_for_other_coordinator_is_read_only(world):
    at = page("pages/working_groups.py", "coord2", {"id": str(world.group_a)}).run()
    assert not at.exception
    assert not any(b.label == "Save status and progress" for b in at.button)


def test_unknown_group_says_so(world):
    at = page("pages/working_groups.py", "admin1", {"id": "999"}).run()
    assert not at.exception
    assert "does not exist" in _text(at)


@pytest.mark.parametrize("username", ["admin1", "viewer1"])
def test_activities_page_lists_the_period(world, username):
    at = page("pages/activities.py", username, {"from": "2026-01-01", "to": "2026-12-31"}).run()
    assert not at.exception
    [frame] = [d.value for d in at.dataframe if "status" in d.value.columns]  # not the "coming up" list
    assert len(frame) == 5  # four in the Ashanti group's 2026 and the scheduled December plenary
    assert set(frame["status"]) == {"Held", "Scheduled", "Cancelled"}
    # what is planned in the next 90 days is listed apart, whatever the period (as of 2026-11-27)
    [coming] = [d.value for d in at.dataframe if "status" not in d.value.columns]
    assert list(coming["title"]) == ["plenary 2026-12-10"]
    assert "Coming up in the next 90 days" in [s.value for s in at.subheader]


def test_activity_page_shows_attendance(world):
    from db.reads.activities import activity_options
    from db.users import load_actor

    first = activity_options(load_actor("admin1"), (world.group_a,), ("held",)).sort_values("starts_at").iloc[0]
    at = page("pages/activities.py", "admin1", {"id": str(int(first["id"]))}).run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Participants"] == "14" and metrics["Women"] == "6" and metrics["Organisations attending"] == "4"


@pytest.mark.parametrize("username", ["admin1", "coord1", "hq1"])
def test_commitments_page_overdue_first(world, username):
    at = page("pages/commitments.py", username).run()
    assert not at.exception
    frame = at.dataframe[0].value
    assert len(frame) == 8  # c1-c8 of engagement_world
    assert frame.iloc[0]["days_overdue"] == 179  # c4, due 2026-06-01, open


def test_commitments_page_refused_for_viewer(world):
    at = page("pages/commitments.py", "viewer1").run()
    assert not at.exception
    assert not at.dataframe
    assert "does not give access" in _text(at)


@pytest.mark.parametrize("path", ["pages/working_groups.py", "pages/activities.py", "pages/organisations.py",
                                  "pages/commitments.py"])
def test_logged_out_sees_nothing(world, path):
    at = page(path, None).run()
    assert not at.dataframe and not at.metric
    assert "log in" in _text(at)


def test_organisations_register_and_profile(world):
    at = page("pages/organisations.py", "viewer1").run()
    assert not at.exception
    frame = at.dataframe[0].value.set_index("name")
    assert frame.loc["Goldridge Mining", "attended"] == 1
    assert frame.loc["Goldridge Mining", "promise_keeping"] == pytest.approx(50)  # shown as "50%": 0 to 100
    at = page("pages/organisations.py", "viewer1", {"id": str(world.ngo)}).run()
    assert not at.exception
    assert at.title[0].value == "Rights Watch Ghana"
    assert list(at.dataframe[0].value["group"]) == ["Ashanti Group", "Lima Group"]
