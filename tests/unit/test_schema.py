"""The migrated database enforces what the models promise: CHECK constraints equal the
vocabularies in db/vocab.py, and bad rows are refused by the database itself (not only by
the forms), on whichever backend the suite runs (TEST_BACKEND)."""
from __future__ import annotations

import ast
import re
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel

import db.models
from db import vocab
from db.engine import get_engine

MODELS_SOURCE = Path(db.models.__file__)


def allowed_columns_in_models() -> dict[tuple[str, str], type]:
    """(table, column) -> vocabulary enum, read from the `allowed("col", vocab.X)` calls in
    db/models.py itself, so the expectation comes from the source, not from the metadata."""
    tree = ast.parse(MODELS_SOURCE.read_text())
    found: dict[tuple[str, str], type] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        table = None
        for statement in node.body:
            if (isinstance(statement, ast.Assign) and isinstance(statement.targets[0], ast.Name)
                    and statement.targets[0].id == "__tablename__"):
                table = statement.value.value
        if table is None:
            continue
        for call in ast.walk(node):
            if (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                    and call.func.id == "allowed"):
                column = call.args[0].value
                enum_name = call.args[1].attr  # vocab.X
                found[(table, column)] = getattr(vocab, enum_name)
    return found


def quoted_values(sqltext: str) -> set[str]:
    """The string literals of a CHECK's text: `kind IN ('a', 'b')` on SQLite, and
    `(kind)::text = ANY (ARRAY['a'::character varying, ...])` on PostgreSQL."""
    return {value.replace("''", "'") for value in re.findall(r"'((?:[^']|'')*)'", sqltext)}


def test_the_models_declare_allowed_columns():
    columns = allowed_columns_in_models()
    assert ("app_user", "role") in columns and columns[("app_user", "role")] is vocab.Role
    assert ("issue", "severity") in columns and columns[("issue", "severity")] is vocab.Severity
    assert len(columns) >= 25


def test_database_check_constraints_equal_the_vocabularies(empty_db):
    inspector = sa.inspect(get_engine(empty_db))
    expected = allowed_columns_in_models()
    seen: set[tuple[str, str]] = set()
    for table in inspector.get_table_names():
        for check in inspector.get_check_constraints(table):
            name = check["name"] or ""
            if not name.endswith("_allowed"):
                continue
            column = name.removeprefix(f"ck_{table}_").removesuffix("_allowed")
            key = (table, column)
            assert key in expected, f"{name} has no allowed() in db/models.py"
            assert quoted_values(check["sqltext"]) == set(vocab.values(expected[key])), (
                f"{table}.{column}: database allows {sorted(quoted_values(check['sqltext']))}, "
                f"db/vocab.py {expected[key].__name__} says {vocab.values(expected[key])}")
            seen.add(key)
    missing = set(expected) - seen
    assert not missing, f"no CHECK constraint in the database for {sorted(missing)}"


def test_every_model_table_exists_in_the_database(empty_db):
    tables = set(sa.inspect(get_engine(empty_db)).get_table_names())
    assert set(SQLModel.metadata.tables) <= tables


# --------------------------------------------------------------------------- violations

T = SQLModel.metadata.tables


@pytest.fixture
def base_rows(empty_db):
    """An organisation, a group, a fund and an activity to hang test rows on."""
    engine = get_engine(empty_db)
    with engine.begin() as c:
        org = c.execute(sa.insert(T["organisation"]).values(
            name="Test Mining Ltd", kind="company", country="GH", version=1,
            vpshr_participant=False, icoca_member=False, eiti_supporter=False)).inserted_primary_key[0]
        group = c.execute(sa.insert(T["working_group"]).values(
            name="Test group", country="GH", level="national", focus="security_human_rights",
            status="active", lead="joint", timezone="UTC", description="", version=1)).inserted_primary_key[0]
        fund = c.execute(sa.insert(T["fund"]).values(
            group_id=group, name="Test fund", kind="trust_fund", currency="USD",
            governance_notes="", version=1)).inserted_primary_key[0]
        activity = c.execute(sa.insert(T["activity"]).values(
            group_id=group, kind=vocab.values(vocab.ActivityKind)[0], title="Plenary",
            starts_at=datetime(2026, 1, 5, 9, tzinfo=timezone.utc), ends_at=datetime(2026, 1, 5, 12, tzinfo=timezone.utc), place="",
            status="held", summary="", outcomes="", version=1)).inserted_primary_key[0]
    return engine, {"org": org, "group": group, "fund": fund, "activity": activity}


def _refused(engine: sa.Engine, table: str, **values) -> None:
    with pytest.raises(sa.exc.IntegrityError):
        with engine.begin() as c:
            c.execute(sa.insert(T[table]).values(**values))


def _accepted(engine: sa.Engine, table: str, **values) -> None:
    with engine.begin() as c:
        c.execute(sa.insert(T[table]).values(**values))


def _contribution(ids, **overrides):
    values = dict(fund_id=ids["fund"], contributor_org_id=ids["org"], kind="financial",
                  amount_minor=1000, currency="USD", description="", received_on=date(2026, 2, 1),
                  earmarked=False, earmark_purpose="", published=False, retired=False, version=1)
    return {**values, **overrides}


def _attendance(ids, **overrides):
    return {**dict(activity_id=ids["activity"], org_id=ids["org"], invited=True, attended=True,
                   participants=3, women=1), **overrides}


def _organisation(**overrides):
    return {**dict(name="Another org", kind="company", country="GH", version=1,
                   vpshr_participant=False, icoca_member=False, eiti_supporter=False), **overrides}


def test_the_fixture_rows_are_valid(base_rows):
    engine, ids = base_rows
    _accepted(engine, "contribution", **_contribution(ids))
    _accepted(engine, "attendance", **_attendance(ids))
    _accepted(engine, "organisation", **_organisation())


def test_an_unknown_vocabulary_value_is_refused(base_rows):
    engine, ids = base_rows
    _refused(engine, "organisation", **_organisation(kind="pirate"))
    _refused(engine, "contribution", **_contribution(ids, kind="bitcoin"))


def test_a_negative_amount_is_refused(base_rows):
    engine, ids = base_rows
    _refused(engine, "contribution", **_contribution(ids, amount_minor=-1))


def test_more_women_than_participants_is_refused(base_rows):
    engine, ids = base_rows
    _refused(engine, "attendance", **_attendance(ids, participants=2, women=3))


def test_a_duplicate_unique_name_is_refused(base_rows):
    engine, _ = base_rows
    _refused(engine, "organisation", **_organisation(name="Test Mining Ltd"))


def test_a_reference_to_a_missing_row_is_refused(base_rows):
    engine, ids = base_rows
    _refused(engine, "contribution", **_contribution(ids, fund_id=ids["fund"] + 999))
    _refused(engine, "attendance", **_attendance(ids, org_id=ids["org"] + 999))


def test_a_null_in_a_required_column_is_refused(base_rows):
    engine, ids = base_rows
    _refused(engine, "contribution", **_contribution(ids, received_on=None))
