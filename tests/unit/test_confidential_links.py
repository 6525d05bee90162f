"""A confidential issue shows, to anyone but admins and its group's coordinators, only what the
domain guide lists (case number, category, site, severity, violence risk, status, dates and
response times): not its raiser pillar, channel, security actors, owner, referral, satisfaction
or flags, and not the commitments and activities linked to it (a linked commitment says only
that it belongs to a confidential case, wherever commitments are listed)."""
from __future__ import annotations

import pandas as pd
import pytest
from issue_world import SECRET, IssueWorld, build_issue_world

from db.engine import session_scope
from db.models import Issue
from db.permissions import SYSTEM
from db.reads import commitments as commitment_reads
from db.reads import issues as reads
from db.writes import commitments as commitment_writes
from db.writes import issues as issue_writes

SEES = {"admin1": True, "coord1": True, "coord2": False, "hq1": False}
HIDDEN_FIELDS = ("raiser_pillar", "channel", "security_actor", "owner_organisation", "referral", "satisfaction")
HIDDEN_FLAGS = ("escalated", "anonymous", "owner_org_id", "raiser_org_id")
SHOWN_FIELDS = ("case_number", "category", "site", "severity", "violence_risk", "status", "raised_on",
                "acknowledge_by", "resolve_by", "acknowledged_on", "resolved_on", "closed_on")


@pytest.fixture
def world(empty_db) -> IssueWorld:
    built = build_issue_world()
    with session_scope() as s:  # the confidential issue gets an owner, security actors and a flag
        issue = s.get(Issue, built.i4)
        issue.owner_org_id, issue.security_actor, issue.escalated = built.company_org, "private", True
        issue.satisfaction = "no"
    issue_writes.link_activity(SYSTEM, built.i4, built.activity_a)
    for issue_id, text in ((built.i4, f"{SECRET} promise to compensate the widow"),
                           (built.i1, "Move the fence back by March")):
        commitment_writes.add_commitment(SYSTEM, {"group_id": built.group_a, "issue_id": issue_id,
                                                  "owner_org_id": built.company_org, "description": text})
    return built


def frame_text(frame: pd.DataFrame) -> str:
    return frame.astype(str).to_csv()


@pytest.mark.parametrize("username", list(SEES))
def test_issue_page_shows_only_the_listed_fields(world, username):
    actor = IssueWorld.actor(username)
    detail = reads.issue_detail(actor, world.i4)
    full = reads.issue_detail(IssueWorld.actor("admin1"), world.i4).fields
    for name in SHOWN_FIELDS:
        assert detail.fields[name] == full[name], name
    if SEES[username]:
        assert detail.fields["channel"] == "walk_in" and detail.fields["owner_organisation"] == "Aurum Ridge Mining"
        assert detail.fields["escalated"] is True
        return
    for name in HIDDEN_FIELDS:
        assert detail.fields[name] == "Confidential", name
    for name in HIDDEN_FLAGS:
        assert detail.fields[name] is None, name


@pytest.mark.parametrize("username", list(SEES))
def test_issue_page_links_say_only_confidential(world, username):
    detail = reads.issue_detail(IssueWorld.actor(username), world.i4)
    links = frame_text(detail.commitments) + frame_text(detail.activities)
    assert len(detail.commitments) == 1 and len(detail.activities) == 1  # the links still count
    if SEES[username]:
        assert SECRET in links and "Dialogue at North Pit" in links and "Aurum Ridge Mining" in links
        return
    assert SECRET not in links and "Dialogue at North Pit" not in links and "Aurum Ridge Mining" not in links
    assert list(detail.commitments["description"]) == ["Confidential"]
    assert list(detail.commitments["owner"]) == ["Confidential"]
    assert list(detail.activities["title"]) == ["Confidential"]
    assert detail.activities["id"].isna().all()  # no link to follow to the activity


@pytest.mark.parametrize("username", list(SEES))
def test_register_hides_raiser_pillar_channel_and_flags(world, username):
    frame, _total = reads.list_issues(IssueWorld.actor(username), reads.IssueFilters())
    row = frame.set_index("id").loc[world.i4]
    if SEES[username]:
        assert (row["raiser_pillar"], row["channel"], bool(row["escalated"])) == ("community", "walk_in", True)
    else:
        assert row["raiser_pillar"] == row["channel"] == "Confidential"
        assert pd.isna(row["escalated"])
    other = frame.set_index("id").loc[world.i1]
    assert (other["raiser_pillar"], other["channel"]) == ("community", "meeting")


@pytest.mark.parametrize("username", list(SEES))
def test_commitment_register_redacts_commitments_of_confidential_issues(world, username):
    frame, total = commitment_reads.register(IssueWorld.actor(username))
    assert total == 2
    rows = frame.set_index("description", drop=False)
    assert rows.loc["Move the fence back by March", "owner"] == "Aurum Ridge Mining"
    if SEES[username]:
        assert SECRET in frame_text(frame)
        return
    assert SECRET not in frame_text(frame)
    hidden = frame[frame["description"] == "Confidential"].iloc[0]
    assert hidden["owner"] == hidden["owner_pillar"] == "Confidential" and pd.isna(hidden["owner_org_id"])
    # Filtering by owner must not reveal who owns the hidden commitment.
    by_owner, found = commitment_reads.register(IssueWorld.actor(username), owner_ids=(world.company_org,))
    assert found == 1 and list(by_owner["description"]) == ["Move the fence back by March"]


@pytest.mark.parametrize("username", list(SEES))
def test_the_timeline_of_a_confidential_issue_hides_whether_the_raiser_was_informed(world, username):
    with session_scope() as s:
        version = s.get(Issue, world.i4).version
    issue_writes.change_status(SYSTEM, world.i4, version, "acknowledged", note="called back", raiser_informed=True)
    informed = reads.issue_detail(IssueWorld.actor(username), world.i4).timeline["raiser_informed"].tolist()
    if SEES[username]:
        assert True in informed
    else:
        assert informed and all(v is None or pd.isna(v) for v in informed), informed


@pytest.mark.parametrize("username", list(SEES))
def test_the_timeline_of_a_confidential_issue_hides_who_made_each_step(world, username):
    """Who moved a hidden case along would point to its owner, which is redacted."""
    with session_scope() as s:
        version = s.get(Issue, world.i4).version
    issue_writes.change_status(IssueWorld.actor("coord1"), world.i4, version, "acknowledged", note="called back")
    authors = set(reads.issue_detail(IssueWorld.actor(username), world.i4).timeline["author"])
    if SEES[username]:
        assert "Confidential" not in authors
    else:
        assert authors == {"Confidential"}, authors
