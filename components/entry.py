"""The Data entry page's sections: which forms exist, who may use each, and where each form
lives (one module per area under components/, owned with that area's pages)."""
from __future__ import annotations

import importlib
from dataclasses import dataclass

from db.permissions import Action, Actor, can
from i18n import N_


@dataclass(frozen=True)
class Section:
    title: str            # msgid
    module: str           # components module with a render(actor) function
    actions: tuple[Action, ...]  # any one of them shows the section

    def render(self, actor: Actor) -> None:
        importlib.import_module(self.module).render(actor)


A = Action
SECTIONS = (
    Section(N_("Working groups and members"), "components.forms_groups", (A.edit_group, A.edit_membership, A.edit_organisation)),
    Section(N_("Work plans"), "components.forms_workplans", (A.edit_work_plan, A.propose_work_item)),
    Section(N_("Activities and attendance"), "components.forms_activities", (A.edit_activity,)),
    Section(N_("Commitments"), "components.forms_commitments", (A.edit_commitment,)),
    Section(N_("Issues"), "components.forms_issues", (A.edit_issue,)),
    Section(N_("Funding"), "components.forms_funding", (A.edit_fund, A.edit_contribution, A.edit_disbursement, A.edit_exchange_rate)),
    Section(N_("Lessons, forums and training"), "components.forms_learning", (A.edit_lesson, A.edit_forum, A.edit_training)),
    Section(N_("Documents"), "components.forms_documents", (A.edit_document,)),
    Section(N_("Report narrative"), "components.forms_narrative", (A.edit_narrative,)),
    Section(N_("Import"), "components.forms_import", (A.import_data,)),
)


def sections_for(actor: Actor) -> list[Section]:
    return [s for s in SECTIONS if any(can(actor, a) for a in s.actions)]
