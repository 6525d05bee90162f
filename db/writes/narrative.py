"""The report narrative: HQ users' own words, per company and year, for the commitment and the
policies and procedures sections of the company's annual engagement report.

Saved through db/writes/base.py: permission Action.edit_narrative scoped to the actor's own
company and subsidiaries (admins: any), an audit entry per section changed, and an optimistic
version check (ConflictError keeps what was typed)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from db.engine import session_scope
from db.errors import ValidationFailed
from db.models import Narrative, NarrativeUpdate, Organisation, hidden_characters_problem
from db.permissions import Action, Actor, authorize
from db.vocab import TEXT_MAX, NarrativeSection, OrgKind
from db.writes.base import create_record, update_record
from i18n import _, numbers

FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class Entry:
    text: str
    version: int | None   # None: nothing saved yet


def narrative_for(company_id: int, year: int) -> dict[str, Entry]:
    """The saved text of each section (empty with version None when nothing was written)."""
    with session_scope() as s:
        rows = s.exec(select(Narrative).where(Narrative.company_org_id == company_id,
                                              Narrative.year == year)).all()
        saved = {r.section: Entry(r.text, r.version) for r in rows}
    return {section.value: saved.get(section.value, Entry("", None)) for section in NarrativeSection}


def _check(company_id: int, year: int, texts: dict[str, str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not FIRST_YEAR <= int(year) <= LAST_YEAR:
        errors["year"] = _("Choose a year between {first} and {last}.").format(first=FIRST_YEAR, last=LAST_YEAR)
    for section, text in texts.items():
        if section not in NarrativeSection.__members__:
            errors[section] = _("This is not a section of the report.")
        elif len(text) > TEXT_MAX:
            errors[section] = _("Use at most {n} characters.").format(n=numbers.number(TEXT_MAX))
        elif problem := hidden_characters_problem(text, name=False):
            errors[section] = problem
    with session_scope() as s:
        company = s.get(Organisation, company_id)
    if company is None or company.kind != OrgKind.company:
        errors["company"] = _("Choose a company.")
    return errors


def save_narrative(actor: Actor, company_id: int, year: int, texts: dict[str, str],
                   versions: dict[str, int | None]) -> None:
    """Save the sections' texts for a company and year in one transaction. `versions` holds the
    version each section had when the form was opened (None: it did not exist yet)."""
    authorize(actor, Action.edit_narrative, company_id=company_id)
    texts = {section: (text or "").strip() for section, text in texts.items()}
    errors = _check(company_id, year, texts)
    if errors:
        raise ValidationFailed(errors)
    with session_scope() as s:
        for section, text in texts.items():
            current = s.exec(select(Narrative).where(Narrative.company_org_id == company_id, Narrative.year == year,
                                                     Narrative.section == section)).first()
            if current is None:
                if text:
                    create_record(actor, Action.edit_narrative,
                                  Narrative(company_org_id=company_id, year=int(year), section=section, text=text),
                                  company_id=company_id, session=s)
            elif text != current.text:
                expected = versions.get(section)
                # Someone wrote this section after the form was opened empty: a conflict too.
                update_record(actor, Action.edit_narrative, Narrative, current.id,
                              expected if expected is not None else -1, NarrativeUpdate(text=text),
                              company_of=lambda record: record.company_org_id, session=s)
