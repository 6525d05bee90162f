"""Organisations: the register with kind, pillar, country and initiative standing, where each
is a member, and its engagement figures (meetings attended, commitments owned and kept)."""
import streamlit as st

from components.data import cached
from components.filters import group_countries
from components.guard import require
from components.header import page_header
from components.kpi import Kpi, kpi_row, percent
from components.links import page_link
from components.tables import table
from components.text import fmt
from components.url import ids_param, open_record, set_param, text_param, url_multiselects
from db.metrics import engagement
from db.permissions import Action
from db.reads import organisations as org_reads
from db.reads.common import country_name
from db.vocab import OrgKind, Pillar, label, values
from i18n import _

actor = require(Action.view_organisations)

chosen = ids_param("id")
if chosen:
    org = cached(org_reads.organisation, actor, chosen[0])
    if st.button(_("All organisations"), icon=":material/arrow_back:", key="org_back"):
        open_record("id", None)
    if org is None:
        st.warning(_("This organisation does not exist (any more)."))
        st.stop()
    page_header(org["name"], _("{kind} in {country}; pillar: {pillar}.").format(
        kind=label(org["kind"]), country=country_name(org["country"]), pillar=label(org["pillar"]).lower()))
    standing = [label(k) for k, flag in (("vpshr", org["vpshr_participant"]), ("icoca", org["icoca_member"]),
                                          ("eiti", org["eiti_supporter"])) if flag]
    if standing:
        st.markdown(" ".join(f":blue-badge[{s}]" for s in standing))
    if org["parent"]:
        st.caption(fmt(_("Part of {parent}"), parent=org["parent"]))
    if org["subsidiaries"]:
        st.caption(fmt(_("Subsidiaries: {names}"), names=", ".join(org["subsidiaries"])))
    figures = cached(engagement.organisation_engagement, actor, org_ids=(org["id"],))
    row = figures.iloc[0].to_dict() if not figures.empty else {}
    kpi_row([Kpi(_("Meetings attended"), row.get("attended") if row.get("invited") else None,
                 help=_("Held meetings it attended, all time.")),
             Kpi(_("Attendance rate"), percent(row.get("attendance_rate")), help=_("Meetings attended of those it was invited to.")),
             Kpi(_("Commitments due"), row.get("commitments_due") or None),
             Kpi(_("Done on time"), percent(row.get("follow_through"))),
             Kpi(_("Promise-keeping index"), percent(row.get("promise_keeping")),
                 help=_("Commitments verified as kept by an organisation of another pillar, of those due."))])
    st.subheader(_("Memberships"))
    memberships = cached(org_reads.memberships_of, actor, org["id"])
    table(memberships.assign(role=memberships["role"].map(label), country=memberships["country"].map(country_name))
          .drop(columns=["group_id"]), name="memberships", key=f"org_memberships_{org['id']}",
          empty=_("Not a member of any working group."),
          column_config={"group": _("Working group"), "country": _("Country"), "role": _("Role"),
                         "since": st.column_config.DateColumn(_("Since")), "until": st.column_config.DateColumn(_("Until"))})
    for row in memberships.drop_duplicates("group_id").itertuples():
        page_link("pages/working_groups.py", label=row.group, icon=":material/groups:", query_params={"id": str(row.group_id)})
    st.stop()

page_header(_("Organisations"), _("Everyone who takes part: governments, companies, security providers, civil society and communities."))
cols = st.columns([2, 2, 2, 3])
countries, pillars, kinds = url_multiselects(cols, "org", [
    (_("Countries"), group_countries(actor), "country", country_name, _("All countries")),
    (_("Pillar"), values(Pillar), "pillar", label, _("All pillars")),
    (_("Kind"), values(OrgKind), "kind", label, _("All kinds"))])
search = cols[3].text_input(_("Name contains"), value=text_param("q"), key="org_search")
set_param("q", search.strip())

register, total = cached(org_reads.register, actor, countries=tuple(countries), kinds=tuple(kinds), pillars=tuple(pillars),
                         search=search)
if register.empty:
    st.info(_("No organisation matches these filters. Clear a filter; coordinators add organisations under Data entry."))
    st.stop()
figures = cached(engagement.organisation_engagement, actor, org_ids=tuple(int(i) for i in register["id"]))
merged = register.merge(figures, left_on="id", right_on="org_id", how="left")
shown = merged.assign(kind=merged["kind"].map(label), pillar=merged["pillar"].map(label),
                      country=merged["country"].map(country_name))
picked = table(shown[["name", "kind", "pillar", "country", "parent", "vpshr_participant", "icoca_member", "eiti_supporter",
                      "groups", "attended", "attendance_rate", "commitments_due", "follow_through", "promise_keeping"]],
               name="organisations", total=total, selectable=True,
               column_config={"name": _("Organisation"), "kind": _("Kind"), "pillar": _("Pillar"), "country": _("Country"),
                              "parent": _("Part of"), "vpshr_participant": st.column_config.CheckboxColumn(_("VPSHR")),
                              "icoca_member": st.column_config.CheckboxColumn(_("ICoCA")),
                              "eiti_supporter": st.column_config.CheckboxColumn(_("EITI")),
                              "groups": st.column_config.NumberColumn(_("Groups (current)")),
                              "attended": st.column_config.NumberColumn(_("Meetings attended")),
                              "attendance_rate": st.column_config.NumberColumn(_("Attendance rate"), format="percent"),
                              "commitments_due": st.column_config.NumberColumn(_("Commitments due")),
                              "follow_through": st.column_config.NumberColumn(_("Done on time"), format="percent"),
                              "promise_keeping": st.column_config.NumberColumn(_("Promise-keeping"), format="percent")})
st.caption(_("Select a row to see where the organisation is a member. Empty figures mean no data."))
if picked is not None:
    open_record("id", int(register.iloc[picked]["id"]))
