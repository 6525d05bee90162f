"""Reports on the demo data, as a reader holds them: the company report's body is short (the
list of outcomes sits in an appendix), its issues by security actor are the demo data's own
counts, and no table header is broken inside a word."""
from __future__ import annotations

import subprocess
from datetime import date

import pytest
import sqlalchemy as sa

from db.engine import get_engine
from db.reports import company_report, group_report, render
from tests.conftest import actor
from tests.unit.test_reports import pdf_text

AS_OF = date(2026, 11, 27)  # the demo data's as-of date
ORVANTA = 7  # the demo HQ user's company: five organisations, 186 issues resolved at its sites in 2026

# Independent of db/metrics: the family by parent links, its sites, and the three counts.
BY_ACTOR_SQL = """
WITH RECURSIVE family(id) AS (
    SELECT id FROM organisation WHERE id = :company
    UNION SELECT o.id FROM organisation o JOIN family f ON o.parent_id = f.id)
SELECT security_actor,
       SUM(CASE WHEN raised_on BETWEEN :start AND :end THEN 1 ELSE 0 END),
       SUM(CASE WHEN raised_on BETWEEN :start AND :end
                 AND (category = 'security_conduct' OR violence_risk) THEN 1 ELSE 0 END),
       SUM(CASE WHEN raised_on <= :end
                 AND (status NOT IN ('resolved', 'closed')
                      OR ((resolved_on IS NULL OR resolved_on > :end) AND (closed_on IS NULL OR closed_on > :end)))
                THEN 1 ELSE 0 END)
FROM issue
WHERE NOT retired AND confidential IN :confidential
  AND site_id IN (SELECT id FROM site WHERE company_id IN (SELECT id FROM family))
GROUP BY security_actor
"""


def _by_actor_sql(confidential: tuple[bool, ...]) -> dict[str, tuple[int, int, int]]:
    query = sa.text(BY_ACTOR_SQL).bindparams(sa.bindparam("confidential", expanding=True))
    with get_engine().connect() as c:
        rows = c.execute(query, dict(company=ORVANTA, start=date(2026, 1, 1), end=AS_OF,
                                     confidential=list(confidential))).all()
    return {actor_: (int(r), int(v), int(o)) for actor_, r, v, o in rows}


def _rows(report) -> dict[str, tuple[int, int, int]]:
    frame = next(t.frame for t in report.tables() if t.name == "Issues by security actor")
    return {row[0]: tuple(int(v.number) for v in row[1:]) for row in frame.itertuples(index=False)}


LABELS = {"none": "None", "public": "Public security forces", "private": "Private security", "armed_group": "Armed group"}


def test_issues_by_security_actor_are_the_demo_datas_counts(demo_db):
    everything = _by_actor_sql((True, False))
    assert everything["public"][0] > 0 and everything["private"][0] > 0  # the demo data has both
    admin = _rows(company_report.build(actor("admin"), ORVANTA, 2026, as_of=AS_OF))
    assert admin == {LABELS[k]: everything.get(k, (0, 0, 0)) for k in LABELS}
    # HQ sees no confidential details: those issues count once, in a row without their actor
    open_ = _by_actor_sql((False,))
    hidden = _by_actor_sql((True,))
    hq = _rows(company_report.build(actor("hq"), ORVANTA, 2026, as_of=AS_OF))
    assert hq == {**{LABELS[k]: open_.get(k, (0, 0, 0)) for k in LABELS},
                  "Confidential: actor not shown": tuple(sum(v[i] for v in hidden.values()) for i in range(3))}
    assert hq["Confidential: actor not shown"][0] > 0
