"""The engagement world plus one user per role: coord1 coordinates the Ashanti group only,
hq1 belongs to Goldridge Mining (a member of the Ashanti group)."""
from __future__ import annotations

from db.permissions import SYSTEM
from db.users import create_user
from tests.unit.engagement_world import EngagementWorld, build

PASSWORD = "correct-horse-42"


def build_with_users() -> EngagementWorld:
    world = build()
    create_user(SYSTEM, username="admin1", display_name="Ada Admin", password=PASSWORD, role="admin")
    create_user(SYSTEM, username="coord1", display_name="Cora Coordinator", password=PASSWORD, role="coordinator",
                group_ids=[world.group_a])
    create_user(SYSTEM, username="coord2", display_name="Colin Coordinator", password=PASSWORD, role="coordinator",
                group_ids=[world.group_b])
    create_user(SYSTEM, username="hq1", display_name="Hank HQ", password=PASSWORD, role="hq", org_id=world.company)
    create_user(SYSTEM, username="viewer1", display_name="Vera Viewer", password=PASSWORD, role="viewer")
    return world
