"""Data entry: the report narrative. HQ users write their company's commitment and its policies
and procedures for a year; the company's annual engagement report prints them."""
from __future__ import annotations

import streamlit as st

from components.forms import FormErrors, pick_record, saving
from db.errors import ConflictError
from db.metrics.scorecard import companies
from db.periods import today
from db.permissions import Action, Actor, allowed
from db.vocab import TEXT_MAX, NarrativeSection, label
from db.writes.narrative import narrative_for, save_narrative
from i18n import N_, _

HELP = {
    NarrativeSection.commitment: N_("How the company commits to the Voluntary Principles and to working with "
                                   "in-country working groups."),
    NarrativeSection.policies: N_("The policies and procedures that put the commitment into practice."),
}


def render(actor: Actor) -> None:
    choices = [c for c in companies() if allowed(actor, Action.edit_narrative, company_id=c.id)]
    if not choices:
        st.info(_("Your account is not linked to a company, so there is no narrative to write."))
        return
    names = {c.id: c.name for c in choices}
    left, right = st.columns([3, 1])
    company_id = pick_record(left, _("Company"), names, key="narrative_company")
    this_year = today().year
    year = right.selectbox(_("Year"), list(range(this_year, this_year - 6, -1)), key="narrative_year")
    stored = narrative_for(company_id, year)
    errors = FormErrors("narrative")
    version_key = f"narrative_versions_{company_id}_{year}"
    first_widget = f"narrative_{NarrativeSection.commitment.value}_{company_id}_{year}"
    # the versions the user started from; a form opened again later (its widgets were not
    # drawn, so Streamlit forgot them) starts from the stored texts as they are then
    if version_key not in st.session_state or first_widget not in st.session_state:
        st.session_state[version_key] = {section: entry.version for section, entry in stored.items()}
    with st.form(f"narrative_{company_id}_{year}"):
        texts = {}
        for section in NarrativeSection:
            texts[section.value] = st.text_area(label(section), value=stored[section.value].text,
                                                max_chars=TEXT_MAX, height=200, help=_(HELP[section]),
                                                key=f"narrative_{section.value}_{company_id}_{year}")
            errors.field(section.value)
        errors.form_level()
        submitted = st.form_submit_button(_("Save narrative"), type="primary")
    if submitted:
        with saving(errors, _("Narrative saved for {company}, {year}.").format(company=names[company_id], year=year)):
            try:
                save_narrative(actor, company_id, year, texts, st.session_state[version_key])
            except ConflictError:
                # The stored values are now shown beside the form: the next save builds on them.
                st.session_state.pop(version_key, None)
                raise
            st.session_state.pop(version_key, None)
