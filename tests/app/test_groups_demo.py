"""The engagement pages on the scale-1 demo data: they render without errors for an admin."""
import pytest

from tests.conftest import page


@pytest.mark.parametrize("path,query", [("pages/working_groups.py", {}), ("pages/working_groups.py", {"id": "1"}),
                                        ("pages/activities.py", {}), ("pages/organisations.py", {}),
                                        ("pages/commitments.py", {})])
def test_pages_render_on_demo_data(demo_db, path, query):
    at = page(path, "admin", query).run()
    assert not at.exception, at.exception
    assert at.dataframe or at.metric
