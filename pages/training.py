"""Security training: human-rights training of public and private security units, per
organisation and site, set against the issues that name security conduct at the same sites."""
import streamlit as st

from components.charts import empty_state, labelled, show, training_and_conduct
from components.data import cached
from components.filters import filter_bar
from components.guard import require
from components.header import page_header
from components.kpi import Kpi, kpi_row
from components.tables import table
from components.url import ids_param, set_list_param
from db.metrics.learning import training_by_organisation, training_by_site
from db.permissions import Action, can
from db.reads import learning as reads
from db.reads.common import country_name
from i18n import _

actor = require(Action.view_training)

CHART_SITES = 25

page_header(_("Security training"),
            _("Human-rights training of police, army and private guard units, site by site, "
              "beside the complaints about security conduct at the same sites."))
filters = filter_bar(actor, key="training")
group_ids = filters.chosen_group_ids
providers = cached(reads.security_providers, actor)
provider_names = dict(zip(providers["id"], providers["name"]))
org_ids = tuple(st.multiselect(_("Security providers"), list(provider_names), format_func=lambda i: provider_names[i],
                               default=[i for i in ids_param("org") if i in provider_names],
                               placeholder=_("All security providers"), key="training_org"))
set_list_param("org", org_ids)
period = filters.period
by_site = cached(training_by_site, actor, group_ids, period.start, period.end, org_ids)
trained_sites = by_site[by_site["sessions"] > 0]
untrained_with_issues = by_site[(by_site["sessions"] == 0) & (by_site["conduct_issues"] > 0)]
kpi_row([
    Kpi(_("People trained"), int(by_site["people_trained"].sum()) if not trained_sites.empty else None),
    Kpi(_("Training sessions"), int(by_site["sessions"].sum()) if not trained_sites.empty else None),
    Kpi(_("Security-conduct issues"), int(by_site["conduct_issues"].sum()) if not by_site.empty else None,
        inverse=True, help=_("Issues of category \"security conduct\" raised in the period at the sites shown.")),
    Kpi(_("Sites with issues, no training"), len(untrained_with_issues) if not by_site.empty else None,
        inverse=True),
])

if by_site.empty:
    hint = _("Record a training under Data entry and import, tab \"Lessons, forums and training\".") \
        if can(actor, Action.edit_training) else ""
    empty_state(_("No training and no security-conduct issues in this period for these groups. "
                  "Widen the period or choose other groups.") + " " + hint)
    st.stop()

st.subheader(_("Training and security-conduct issues by site"))
shown = by_site.head(CHART_SITES).copy()
shown["site_label"] = shown["site"] + " (" + shown["country"].map(country_name) + ")"
show(training_and_conduct(shown), key="training_vs_issues")
st.caption(_("Sites are ordered by security-conduct issues. A diamond without a bar is a site with complaints "
             "about security conduct and no training in the period: a place to train next."))
if len(by_site) > CHART_SITES:
    st.caption(_("The chart shows the {n} sites with the most security-conduct issues; the table lists all {total}.")
               .format(n=CHART_SITES, total=len(by_site)))
table(by_site.drop(columns=["site_id"]).assign(country=by_site["country"].map(country_name)), name="training_by_site",
      key="training_site_table",
      column_config={"site": _("Site"), "country": _("Country"), "people_trained": _("People trained"),
                     "sessions": _("Training sessions"), "conduct_issues": _("Security-conduct issues")})

st.subheader(_("By security provider and site"))
by_org = cached(training_by_organisation, actor, group_ids, period.start, period.end, org_ids)
table(labelled(by_org, "kind"), name="training_by_provider", key="training_org_table",
      empty=_("No training was recorded in this period."),
      column_config={"organisation": _("Security provider"), "kind": _("Kind"), "site": _("Site"),
                     "people_trained": _("People trained"), "sessions": _("Training sessions"),
                     "first_on": _("First training"), "last_on": _("Last training")})

with st.expander(_("Training records")):
    records, total = cached(reads.training_records, actor, group_ids, period.start, period.end, org_ids)
    table(records.drop(columns=["id"]).assign(country=records["country"].map(country_name)), total=total,
          name="training_records", key="training_records_table",
          empty=_("No training was recorded in this period."),
          column_config={"held_on": _("Held on"), "organisation": _("Security provider"), "unit": _("Unit"),
                         "site": _("Site"), "country": _("Country"), "people_trained": _("People trained"),
                         "topic": _("Topic")})
