"""The Data entry page's sections: which forms exist, who may use each, where each form
lives (one module per area under components/, owned with that area's pages), and the picker
that builds only the chosen one."""
from __future__ import annotations

import importlib
from dataclasses import dataclass

import streamlit as st

from components.url import set_param, text_param
from db.permissions import Action, Actor, can
from i18n import N_, _


@dataclass(frozen=True)
class Section:
    slug: str             # its name in the URL: ?section=issues
    title: str            # msgid
    module: str           # components module with a render(actor) function
    actions: tuple[Action, ...]  # any one of them shows the section

    def render(self, actor: Actor) -> None:
        importlib.import_module(self.module).render(actor)


A = Action
SECTIONS = (
    Section("groups", N_("Working groups and members"), "components.forms_groups", (A.edit_group, A.edit_membership, A.edit_organisation)),
    Section("workplans", N_("Work plans"), "components.forms_workplans", (A.edit_work_plan, A.propose_work_item)),
    Section("activities", N_("Activities and attendance"), "components.forms_activities", (A.edit_activity,)),
    Section("commitments", N_("Commitments"), "components.forms_commitments", (A.edit_commitment,)),
    Section("issues", N_("Issues"), "components.forms_issues", (A.edit_issue,)),
    Section("funding", N_("Funding"), "components.forms_funding", (A.edit_fund, A.edit_contribution, A.edit_disbursement, A.edit_exchange_rate)),
    Section("learning", N_("Lessons, forums and training"), "components.forms_learning", (A.edit_lesson, A.edit_forum, A.edit_training)),
    Section("documents", N_("Documents"), "components.forms_documents", (A.edit_document,)),
    Section("narrative", N_("Report narrative"), "components.forms_narrative", (A.edit_narrative,)),
    Section("import", N_("Import"), "components.forms_import", (A.import_data,)),
)


def sections_for(actor: Actor) -> list[Section]:
    return [s for s in SECTIONS if any(can(actor, a) for a in s.actions)]


PICKER_KEY = "entry_section"


def chosen_section(actor: Actor) -> Section | None:
    """Draw the section picker and return the chosen section (None if the role has none).

    The URL is the source of truth: a save's rerun, a reload or a copied link reopen the same
    section, where tabs went back to the first one. Only that section's forms are built."""
    sections = sections_for(actor)
    if not sections:
        return None
    by_slug = {s.slug: s for s in sections}
    asked = text_param("section")
    slug = asked if asked in by_slug else sections[0].slug
    if st.session_state.get(PICKER_KEY) != slug:
        st.session_state[PICKER_KEY] = slug
    st.segmented_control(_("Section"), list(by_slug), format_func=lambda s: _(by_slug[s].title), key=PICKER_KEY,
                         required=True, label_visibility="collapsed",
                         on_change=lambda: set_param("section", st.session_state[PICKER_KEY]))
    set_param("section", slug)
    return by_slug[slug]
