"""The Funding page, a fund's page and the public transparency view on the demo data: figures
agree with db/metrics/funding.py, the neutrality flag follows the 50% threshold, a fund's
ledger ends at its balance, roles are kept out, and nothing unpublished ever reaches the
public view or its CSV."""
import io
from datetime import date
from decimal import Decimal

import pandas as pd
import pytest

import components.tables
from components.funding_views import usd
from db.engine import session_scope
from db.metrics import funding as m
from db.models import Contribution, Disbursement
from db.money import format_money
from db.periods import default_period
from db.reads import funding as reads
from tests.conftest import actor, page


@pytest.fixture
def csv_downloads(monkeypatch):
    """Every CSV a page offers for download in this test, by file stem."""
    captured = {}
    real = components.tables.download_buttons

    def capture(frame, *, name, key):
        # The buttons make their files only when clicked; make the CSV here as a click would.
        captured[len(captured)] = components.tables.to_csv_bytes(frame)
        return real(frame, name=name, key=key)

    monkeypatch.setattr(components.tables, "download_buttons", capture)
    return captured


def _metric(at, label):
    return next(x.value for x in at.metric if x.label == label)


def test_funding_page_shows_the_metrics_for_the_chosen_period(demo_db):
    at = page("pages/funding.py", "admin").run()
    assert not at.exception
    period = default_period()
    assert _metric(at, "Received") == usd(m.total_received(period=period))
    assert _metric(at, "Cash balance") == usd(m.cash_balance(period=period))
    assert usd(Decimal("9822734.12")) == "$9.8M"
    judged = m.neutrality(period=period)
    risky = judged.loc[judged["at_risk"].astype(bool), "group_id"].nunique()
    assert risky > 0  # the demo has groups funded mostly by one company family
    assert _metric(at, "Groups at neutrality risk") == f"{risky} of {judged['group_id'].nunique()}"
    assert any(f"Neutrality risk in {risky} of" in e.value for e in at.warning)
    assert not any("No exchange rate" in w.value for w in at.warning)  # demo data has its rates


def test_funding_page_for_one_group_and_an_empty_period(demo_db):
    funds = reads.funds(actor("admin"))
    group_id = int(funds["group_id"].iloc[0])
    at = page("pages/funding.py", "admin", {"group": str(group_id), "from": "2001-01-01", "to": "2001-12-31"}).run()
    assert not at.exception
    assert _metric(at, "Received") == "no data" and _metric(at, "Groups at neutrality risk") == "no data"


def test_a_missing_rate_is_named_on_the_page(demo_db):
    funds = reads.funds(actor("admin"))
    fund_id, org = int(funds["id"].iloc[0]), reads.contributor_options(actor("admin"))["id"].iloc[0]
    with session_scope() as s:
        s.add(Contribution(fund_id=fund_id, contributor_org_id=int(org), kind="financial", amount_minor=5000,
                           currency="ISK", received_on=date(2026, 2, 3)))
    at = page("pages/funding.py", "admin").run()
    assert any("No exchange rate for ISK to USD on 2026-02-03" in w.value for w in at.warning)


def test_fund_page_shows_its_ledger_with_a_running_balance(demo_db):
    admin = actor("admin")
    fund_id = int(reads.funds(admin)["id"].iloc[0])
    detail = reads.fund_detail(admin, fund_id)
    at = page("pages/funding.py", "admin", {"id": str(fund_id)}).run()
    assert not at.exception
    assert at.title[0].value == detail.name
    assert _metric(at, "Cash balance") == format_money(detail.balance, detail.currency, "en")
    ledger = at.dataframe[0].value
    assert len(ledger) == min(200, len(detail.ledger))
    assert list(ledger["Date"]) == sorted(ledger["Date"])
    if len(detail.ledger) <= 200:
        assert Decimal(str(ledger.iloc[-1][f"Balance ({detail.currency})"])) == detail.balance


def test_a_missing_fund_says_so(demo_db):
    at = page("pages/funding.py", "admin", {"id": "999999"}).run()
    assert not at.exception and any("does not exist" in w.value for w in at.warning)


@pytest.mark.parametrize("username", ["coordinator", "hq"])
def test_staff_roles_see_the_funding_page(demo_db, username):
    at = page("pages/funding.py", username).run()
    assert not at.exception and at.metric


def test_viewer_is_kept_off_the_funding_page_and_ledgers(demo_db):
    at = page("pages/funding.py", "viewer").run()
    assert [w.value for w in at.warning] == ["Your role does not give access to this page."]
    assert not at.metric and not at.dataframe
    fund_id = int(reads.funds(actor("admin"))["id"].iloc[0])
    at = page("pages/funding.py", "viewer", {"id": str(fund_id)}).run()
    assert not at.dataframe


def test_logged_out_sees_nothing(demo_db):
    for path in ("pages/funding.py", "pages/transparency.py"):
        at = page(path, None).run()
        assert not at.dataframe and not at.metric


def test_public_view_holds_nothing_unpublished_not_even_in_its_csv(demo_db, csv_downloads):
    admin = actor("admin")
    fund_id, org = int(reads.funds(admin)["id"].iloc[0]), int(reads.contributor_options(admin)["id"].iloc[0])
    with session_scope() as s:  # a marker that must never appear publicly
        s.add(Contribution(fund_id=fund_id, contributor_org_id=org, kind="financial", amount_minor=777777,
                           currency="USD", received_on=date(2026, 6, 1), description="SECRET-MARKER",
                           earmark_purpose="SECRET-MARKER", published=False))
        s.add(Disbursement(fund_id=fund_id, amount_minor=1, currency="USD", spent_on=date(2026, 6, 2),
                           purpose="other", description="SECRET-MARKER", approved_by_name="Jane Person",
                           published=True))
    at = page("pages/transparency.py", "viewer").run()
    assert not at.exception
    with session_scope() as s:
        from sqlmodel import select
        published_in = s.exec(select(Contribution).where(Contribution.published.is_(True),
                                                         Contribution.retired.is_(False))).all()
        published_out = s.exec(select(Disbursement).where(Disbursement.published.is_(True),
                                                          Disbursement.retired.is_(False))).all()
    frames = [pd.read_csv(io.BytesIO(data), encoding="utf-8-sig") for data in csv_downloads.values()]
    summary, contributions, disbursements = frames
    assert len(contributions) == len(published_in) and len(disbursements) == len(published_out)
    assert summary["Entries"].sum() == len(published_in) + len(published_out)
    everything = b"".join(csv_downloads.values()).decode("utf-8-sig")
    assert "SECRET-MARKER" not in everything and "7777.77" not in everything
    assert "Jane Person" not in everything and "Approved by (organisation)" in disbursements.columns
    shown = "".join(df.value.to_csv() for df in at.dataframe)
    assert "7777.77" not in shown and "Jane Person" not in shown
    expected = sum((m.total_received(published_only=True, period=None) or Decimal(0),), Decimal(0))
    tile = next(x for x in at.metric if x.label == "Published contributions")
    assert tile.value == usd(expected) and format_money(expected, "USD", "en") in tile.proto.help
