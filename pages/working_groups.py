"""Working groups: the directory (filtered by country, level, focus and status, in the URL),
a map of the groups' sites, and a group's profile opened with ?id=."""
import streamlit as st

from components import group_profile
from components.charts import empty_state, show, site_map
from components.data import cached
from components.filters import group_countries
from components.forms import pick_record
from components.guard import require
from components.header import page_header
from components.tables import table
from components.url import ids_param, open_record, url_multiselects
from db.permissions import Action
from db.reads import groups as group_reads
from db.reads.common import country_name
from db.vocab import GroupFocus, GroupLevel, GroupStatus, label, values
from i18n import _

actor = require(Action.view_groups)

group_id = ids_param("id")
if group_id:
    group_profile.render(actor, group_id[0])
    st.stop()

page_header(_("Working groups"), _("Who meets where, on what, and how actively. Pick a group to open its profile."))

countries, levels, focuses, statuses = url_multiselects(st.columns(4), "wg", [
    (_("Countries"), group_countries(actor), "country", country_name, _("All countries")),
    (_("Level"), values(GroupLevel), "level", label, _("All levels")),
    (_("Focus"), values(GroupFocus), "focus", label, _("All focus areas")),
    (_("Status"), values(GroupStatus), "status", label, _("All statuses"))])

directory = cached(group_reads.directory, actor, countries=tuple(countries), levels=tuple(levels),
                   focuses=tuple(focuses), statuses=tuple(statuses))
if directory.empty:
    empty_state(_("No working group matches these filters. Clear a filter, or create a group under Data entry."))
    st.stop()

shown = directory.assign(country=directory["country"].map(country_name), level=directory["level"].map(label),
                         focus=directory["focus"].map(label), status=directory["status"].map(label),
                         lead=directory["lead"].map(label))
picked = table(
    shown.drop(columns=["id"]), name="working_groups", selectable=True,
    column_config={"name": _("Working group"), "country": _("Country"), "level": _("Level"), "focus": _("Focus"),
                   "status": _("Status"), "lead": _("Led by"), "established_on": st.column_config.DateColumn(_("Established")),
                   "members": st.column_config.NumberColumn(_("Current members")),
                   "sites": st.column_config.NumberColumn(_("Sites")),
                   "meetings_this_year": st.column_config.NumberColumn(_("Meetings this year")),
                   "last_meeting": st.column_config.DateColumn(_("Last meeting"))})
st.caption(_("Select a row to open that group's profile."))
if picked is not None:
    open_record("id", int(directory.iloc[picked]["id"]))

with st.form("open_group", border=False):
    left, right = st.columns([4, 1], vertical_alignment="bottom")
    names = dict(zip(directory["id"], directory["name"]))
    chosen = pick_record(left, _("Open a group's profile"), names, key="wg_open")
    if right.form_submit_button(_("Open profile"), icon=":material/open_in_new:"):
        open_record("id", int(chosen))

sites = cached(group_reads.group_sites, actor, tuple(int(i) for i in directory["id"]))
if sites.empty:
    empty_state(_("These groups have no sites recorded yet. Add sites to a group under Data entry to see them on the map."))
else:
    show(site_map(sites, title=_("Sites covered by the groups shown"), name="name", size="groups", size_title=_("Groups covering the site"),
                  tooltip=[("name", _("Site")), ("region", _("Region")), ("group_names", _("Working groups"))]),
         key="wg_map")
