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


def _pages(data: bytes) -> list[tuple[str, bool]]:
    """Each page's text, and whether the page is landscape."""
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", "-"], input=data, capture_output=True, check=True)
    sizes = [line.split("size:")[1].split()[:3] for line in info.stdout.decode().splitlines()
             if line.startswith("Page") and " size:" in line]
    pages = []
    for number, (width, _x, height) in enumerate(sizes, start=1):
        text = subprocess.run(["pdftotext", "-raw", "-f", str(number), "-l", str(number), "-", "-"], input=data,
                              capture_output=True, check=True).stdout.decode()
        pages.append((" ".join(text.split()), float(width) > float(height)))
    return pages


def test_the_company_reports_body_leaves_the_outcomes_to_an_appendix(demo_db):
    report = company_report.build(actor("hq"), ORVANTA, 2026, as_of=AS_OF)
    assert report.sections[-1].heading == "Appendix: outcomes of resolved issues"
    outcomes = next(t for t in report.tables() if t.name == "Outcomes")
    assert len(outcomes.frame) == 186
    pages = _pages(render(report, "pdf"))
    start = next(i for i, (text, _wide) in enumerate(pages) if "Appendix: outcomes of resolved issues" in text)
    body, appendix = pages[:start], pages[start:]
    assert len(body) <= 5  # 7 pages when the outcomes table sat in the body, on 3.5 of them
    cases = list(outcomes.frame["Case"])
    body_text = " ".join(text for text, _wide in body)
    assert not any(case in body_text for case in cases)
    assert "Issues resolved in the period 186" in body_text  # the figure stays in the body
    assert "Issues by security actor" in body_text
    # the appendix: landscape pages, the 40 most recent outcomes, and where the rest are
    assert all(wide for _text, wide in appendix) and not any(wide for _text, wide in body)
    appendix_text = " ".join(text for text, _wide in appendix)
    assert sum(case in appendix_text for case in cases) == company_report.PRINT_ROWS
    assert "The 40 most recent of 186 rows; the Excel workbook lists them all." in appendix_text


@pytest.mark.parametrize("which", ["company", "group"])
def test_no_table_header_breaks_inside_a_word(demo_db, which):
    """Short numeric columns ("Women") once got a width that split their header."""
    if which == "group":
        quarter = group_report.quarters(AS_OF, count=2)[1]  # 2026-Q3: the activities table has a Women column
        report = group_report.build(actor("admin"), 7, quarter, as_of=AS_OF)
    else:
        report = company_report.build(actor("hq"), ORVANTA, 2026, as_of=AS_OF)
    words = set(pdf_text(render(report, "pdf")).split())
    headers = {word for table in report.tables() if not table.frame.empty for column in table.frame.columns
               for word in str(column).split()}
    assert "Women" in headers or which == "company"
    assert sorted(headers - words) == []
    assert "Wome" not in words
