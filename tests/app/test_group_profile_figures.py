"""A working group's profile shows its meeting cadence (meetings held per quarter, empty quarters
as zero) and its current work plan's progress from db/metrics/engagement.py, on the hand-made
engagement world (tests/unit/engagement_world.py, as of 2026-11-27)."""
from __future__ import annotations

import io
import json

import pyarrow as pa
import pytest

from tests.app.groups_fixtures import build_with_users
from tests.conftest import page


@pytest.fixture
def world(empty_db):
    return build_with_users()


def _profile(world, group_id: int, username: str = "coord1"):
    at = page("pages/working_groups.py", username, {"id": str(group_id)}).run()
    assert not at.exception, at.exception
    return at


def _chart(at, title: str) -> list[dict]:
    """The rows behind the Altair chart with this title, as the browser receives them."""
    for element in at.get("vega_lite_chart"):
        spec = json.loads(element.proto.spec)
        named_title = spec.get("title")
        if (named_title.get("text") if isinstance(named_title, dict) else named_title) != title:
            continue
        for named in element.proto.datasets:
            return pa.ipc.open_stream(io.BytesIO(named.data.data)).read_all().to_pylist()
        return [row for rows in spec.get("datasets", {}).values() for row in rows]
    raise AssertionError(f"no chart titled {title!r}")


def test_meeting_cadence_per_quarter_over_two_years(world):
    rows = _chart(_profile(world, world.group_a), "Meetings held per quarter")
    # a1 plenary 2026-02-10 and a2 steering committee 2026-05-05; the workshop is no meeting,
    # the cancelled and scheduled plenaries were not held
    assert [(r["quarter"], r["meetings"]) for r in rows] == [
        ("2025-Q1", 0), ("2025-Q2", 0), ("2025-Q3", 0), ("2025-Q4", 0),
        ("2026-Q1", 1), ("2026-Q2", 1), ("2026-Q3", 0), ("2026-Q4", 0)]


def test_meeting_cadence_of_another_group(world):
    rows = _chart(_profile(world, world.group_b, "coord2"), "Meetings held per quarter")
    assert [r["meetings"] for r in rows] == [0, 0, 0, 1, 0, 0, 0, 0]  # b1 plenary 2025-11-01


def test_work_plan_progress_from_the_metric(world):
    at = _profile(world, world.group_a)
    metrics = {m.label: m.value for m in at.metric}
    # adopted, not cancelled: baseline (done), guard training (overdue), community radio (delayed)
    assert (metrics["Items done"], metrics["Delayed"]) == ("33%", "1")
    assert [m.value for m in at.metric if m.label == "Overdue"][0] == "1"
