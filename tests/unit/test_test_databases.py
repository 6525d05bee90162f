"""The test suite's own PostgreSQL databases (tests/conftest.py): each test gets the template
as it was made, whatever the test before it wrote, so tests cannot see each other's rows."""
from __future__ import annotations

import sqlalchemy as sa

from db.engine import get_engine
from db.migrate import upgrade
from db.models import Organisation, Site
from tests.conftest import PristinePG, _forget_engine

ORG, SITE = Organisation.__table__, Site.__table__


def rows(url: str) -> tuple[list, list, int]:
    with get_engine(url).connect() as c:
        orgs = [tuple(r) for r in c.execute(sa.select(ORG.c.id, ORG.c.name, ORG.c.version).order_by(ORG.c.id))]
        sites = [tuple(r) for r in c.execute(sa.select(SITE.c.id, SITE.c.name, SITE.c.company_id).order_by(SITE.c.id))]
        next_id = c.execute(sa.insert(ORG).values(name="Probe", kind="company", country="GH").returning(ORG.c.id)).scalar()
        c.rollback()  # the id is taken all the same: sequences are not transactional
    return orgs, sites, next_id


def test_a_restore_puts_back_rows_and_sequences_a_test_changed(pg_url):
    engine = get_engine(pg_url)
    upgrade(engine)
    with engine.begin() as c:
        mine = c.execute(sa.insert(ORG).values(name="Mine Co", kind="company", country="GH").returning(ORG.c.id)).scalar()
        c.execute(sa.insert(SITE).values(name="Pit 1", country="GH", latitude=5.3, longitude=-2.0, company_id=mine))
    _forget_engine(pg_url)
    pristine = PristinePG(pg_url)
    try:
        before = rows(pg_url)
        with get_engine(pg_url).begin() as c:  # what a test might do
            c.execute(sa.update(ORG).where(ORG.c.id == mine).values(name="Renamed", version=2))
            c.execute(sa.insert(ORG).values(name="Other Co", kind="company", country="ZA"))
            c.execute(sa.delete(SITE))
        # a connection the test left open mid-transaction, holding row locks
        leftover = sa.create_engine(pg_url, poolclass=sa.pool.NullPool).connect()
        leftover.execute(sa.select(ORG.c.id).with_for_update())
        pristine.restore()
        assert rows(pg_url) == before  # rows, versions, and the next id the sequence gives
        assert before[0] == [(mine, "Mine Co", 1)] and before[1][0][1:] == ("Pit 1", mine)
    finally:
        _forget_engine(pg_url)
        pristine.dispose()
