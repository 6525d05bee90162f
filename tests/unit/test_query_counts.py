"""A page issues the same number of queries whatever the size of the data: no query per row,
per group or per organisation. Every page in components.nav.PAGES runs once, caches empty, on a
small and on a four-times-bigger demo database (as the coordinator, admin-only pages as admin),
and the counts must match."""
from __future__ import annotations

import re
from collections import Counter

import pytest

from bench.measure import QueryCounter, shown_by
from components.nav import PAGES
from db import engine as db_engine
from db.migrate import upgrade
from db.permissions import Actor, can
from db.vocab import Role
from tests.conftest import AS_OF, DEMO_SEED, page

SMALL, BIG = 0.5, 2.0  # 6 and 24 working groups, 300 and 1,200 activities, 500 and 2,000 issues


def _role_for(spec) -> str:
    """The demo user who runs the page: the coordinator, or the admin for admin-only pages."""
    for role in (Role.coordinator, Role.admin):
        if any(can(Actor(id=None, username=str(role), role=role), action) for action in spec.actions):
            return str(role)
    raise AssertionError(f"nobody may open {spec.path}")


@pytest.fixture(scope="module")
def databases(tmp_path_factory):
    from seed.generator import load_demo_data

    urls = {}
    for scale in (SMALL, BIG):
        url = f"sqlite:///{tmp_path_factory.mktemp('counts') / f'scale-{scale:g}.sqlite3'}"
        engine = db_engine.get_engine(url)
        upgrade(engine)
        load_demo_data(engine, scale=scale, random_seed=DEMO_SEED, as_of=AS_OF)
        urls[scale] = url
    yield urls
    for url in urls.values():
        db_engine.get_engine(url).dispose()
    db_engine.use_database(None)


def _normalised(statement: str) -> str:
    """A statement without its literal lists, so 'IN (1, 2)' and 'IN (1, 2, 3)' compare equal."""
    return re.sub(r"\((?:\s*[?%\w()]+\s*,)+\s*[?%\w()]+\s*\)", "(…)", " ".join(statement.split()))[:160]


def _run_page(url: str, path: str, username: str):
    import streamlit as st

    db_engine.use_database(url)
    at = page(path, username)
    st.cache_data.clear()
    counter = QueryCounter(db_engine.get_engine(url))
    counter.keep_statements = True
    try:
        at.run()
    finally:
        counter.remove()
    return counter, shown_by(at)


@pytest.mark.parametrize("spec", PAGES, ids=[spec.path.removeprefix("pages/").removesuffix(".py") for spec in PAGES])
def test_query_count_does_not_grow_with_the_data(databases, spec):
    username = _role_for(spec)
    small, small_shown = _run_page(databases[SMALL], spec.path, username)
    big, big_shown = _run_page(databases[BIG], spec.path, username)
    for shown in (small_shown, big_shown):
        assert not shown.exceptions, f"{spec.path} raised: {shown.exceptions}"
        assert not shown.refused, f"{spec.path} refused {username}"
    extra = Counter(map(_normalised, big.statements)) - Counter(map(_normalised, small.statements))
    assert big.queries == small.queries, (
        f"{spec.path}: {small.queries} queries at scale {SMALL:g}, {big.queries} at scale {BIG:g}; "
        f"more often at the bigger scale: {dict(extra)}")
