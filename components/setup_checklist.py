"""The setup checklist at the top of the Overview: until a deployment is set up, admins see each
step ticked or not from the data (db/reads/setup.py) with a link to the form that does it. It
goes away by itself once every step is done; the demo data completes it."""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from components.data import cached
from components.entry import SECTIONS
from components.links import page_link
from components.nav import PAGES
from components.text import fmt
from db.permissions import can
from db.reads import setup
from db.reads.setup import Step
from db.vocab import REPORTING_CURRENCY
from i18n import N_, _

DATA_ENTRY, USERS = "pages/data_entry.py", "pages/users.py"
DONE, OPEN = ":green[:material/check_circle:]", ":material/radio_button_unchecked:"


@dataclass(frozen=True)
class StepForm:
    title: str          # msgid
    part: str | None    # msgid: what to choose on that page, as its picker names it
    page: str
    section: str | None = None  # components/entry.py SECTIONS slug

    @property
    def link_label(self) -> str:
        """The section's or the page's own title, so the link reads like where it lands."""
        if self.section:
            return _(next(s.title for s in SECTIONS if s.slug == self.section))
        return _(next(p.title for p in PAGES if p.path == self.page))


STEP_FORMS = {
    Step.organisations: StepForm(N_("Add the organisations: government, companies, security providers, civil "
                                    "society, communities"), N_("Organisations"), DATA_ENTRY, "groups"),
    Step.sites: StepForm(N_("Add the sites: company operations and community areas"), N_("Sites"), DATA_ENTRY, "groups"),
    Step.groups: StepForm(N_("Create a working group"), N_("Working group"), DATA_ENTRY, "groups"),
    Step.members: StepForm(N_("Add the group's members: organisations, each with its role"), N_("Memberships"),
                           DATA_ENTRY, "groups"),
    Step.users: StepForm(N_("Give a group its coordinator: a user account assigned to the group"), None, USERS),
    Step.fund: StepForm(N_("Create a fund for a group: a trust fund, a pooled fund or a direct budget"), N_("New fund"),
                        DATA_ENTRY, "funding"),
    Step.rates: StepForm(N_("Enter exchange rates to {currency} for every other currency the funds use"),
                         N_("Exchange rates"), DATA_ENTRY, "funding"),
}


def render(actor) -> None:
    if not can(actor, setup.SETUP_ACTION):
        return
    states = cached(setup.checklist, actor)
    if all(state.done for state in states):
        return
    with st.container(border=True):
        st.subheader(_("Set up this dashboard"))
        st.caption(_("{done} of {total} steps done. Each step ticks itself once its data is in; "
                     "this list goes away when every step is done.")
                   .format(done=sum(state.done for state in states), total=len(states)))
        for state in states:
            form = STEP_FORMS[state.step]
            text, link = st.columns([5, 2], vertical_alignment="center")
            text.markdown((DONE if state.done else OPEN) + " " + _(form.title).format(currency=REPORTING_CURRENCY))
            if state.missing_rates:
                text.caption(fmt(_("No rate yet for: {currencies}"), currencies=", ".join(state.missing_rates)))
            if form.part:
                text.caption(_("There, choose: {part}").format(part=_(form.part)))
            # No icon: its ligature name would join the link's text (as in components/nav.py).
            page_link(form.page, form.link_label, query_params={"section": form.section} if form.section else None,
                      container=link)
