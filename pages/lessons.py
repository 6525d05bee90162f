"""Lessons and forums: lessons learned shared between operations (searchable by text and tag,
filtered by group and organisation) and the groups' forum engagements with their visibility
per year."""
from components.guard import require
from db.permissions import Action

actor = require(Action.view_lessons)

import altair as alt
import streamlit as st

from components.charts import empty_state, labelled, show
from components.data import cached
from components.filters import filter_bar
from components.header import page_header
from components.tables import table
from components.text import fmt, md
from components.url import ids_param, set_list_param
from db.metrics.learning import forum_visibility
from db.permissions import can
from db.reads import learning as reads
from db.reads.common import groups
from i18n import _

page_header(_("Lessons and forums"),
            _("What operations have learned and shared, and where the groups' work has been presented."))
filters = filter_bar(actor, key="lessons", show_period=False)
group_ids = filters.group_ids
if not group_ids and filters.countries:  # a country choice means the groups in those countries
    all_groups = cached(groups, actor)
    group_ids = tuple(int(g) for g in all_groups[all_groups["country"].isin(filters.countries)]["id"]) or (-1,)
may_add = can(actor, Action.edit_lesson) or can(actor, Action.edit_forum)
add_hint = _("Add one under Data entry and import, tab \"Lessons, forums and training\".") if may_add else ""

lessons_tab, forums_tab = st.tabs([_("Lessons learned"), _("Forum engagements")])

with lessons_tab:
    search, tag_column, org_column = st.columns([3, 2, 2])
    text = search.text_input(_("Search"), value=st.query_params.get("q", ""), key="lessons_q",
                             placeholder=_("Words in the title, text or tags"))
    tags = cached(reads.lesson_tags, actor)
    wanted_tag = st.query_params.get("tag")
    tag = tag_column.selectbox(_("Tag"), tags, index=tags.index(wanted_tag) if wanted_tag in tags else None,
                               placeholder=_("Any tag"), key="lessons_tag")
    orgs = cached(reads.lesson_organisations, actor)
    org_names = dict(zip(orgs["id"], orgs["name"]))
    org_ids = org_column.multiselect(_("Shared by"), list(org_names), format_func=lambda i: org_names[i],
                                     default=[i for i in ids_param("org") if i in org_names],
                                     placeholder=_("Any organisation"), key="lessons_org")
    for name, value in (("q", text.strip()), ("tag", tag or "")):
        if value and st.query_params.get(name) != value:
            st.query_params[name] = value
        elif not value and name in st.query_params:
            del st.query_params[name]
    set_list_param("org", org_ids)

    query = reads.LessonQuery(text=text, tag=tag or "", group_ids=group_ids, org_ids=tuple(org_ids))
    found, total = cached(reads.lessons, actor, query)
    if found.empty:
        searching = bool(text.strip() or tag or org_ids or group_ids)
        empty_state(_("No lesson matches this search. Try fewer words or another tag.") if searching
                    else _("No lessons have been shared yet.") + " " + add_hint)
    else:
        st.caption(_("{total} lessons match; the newest {shown} are shown as cards.")
                   .format(total=f"{total:,}", shown=min(10, len(found))))
        for row in found.head(10).itertuples():
            with st.container(border=True):
                st.markdown(f"**{md(row.title)}**")
                meta = [row.shared_on.isoformat(), row.organisation or _("Unknown organisation")]
                if row.group:
                    meta.append(row.group)
                if actor.role == "admin" and row.author:
                    meta.append(_("entered by {name}").format(name=row.author))
                st.caption(" · ".join(md(part) for part in meta))
                st.text(row.text)
                if row.tags:
                    st.caption(fmt(_("Tags: {tags}"), tags=", ".join(t.strip() for t in row.tags.split(",") if t.strip())))
        with st.expander(_("All matching lessons as a table")):
            table(found.drop(columns=["id"]), total=total, name="lessons", key="lessons_table",
                  column_config={"shared_on": _("Shared on"), "title": _("Title"), "text": _("Lesson"),
                                 "tags": _("Tags"), "group": _("Working group"), "organisation": _("Organisation"),
                                 "author": _("Entered by")})

with forums_tab:
    visibility = cached(forum_visibility, actor, group_ids)
    if visibility.empty:
        empty_state(_("No forum engagements are recorded for these groups yet.") + " " + add_hint)
    else:
        base = alt.Chart(visibility, title=_("Forum visibility: engagements per working group per year"))
        heat = base.mark_rect().encode(
            x=alt.X("year:O", title=_("Year"), axis=alt.Axis(labelAngle=0, orient="top")),
            y=alt.Y("group:N", title=_("Working group"), axis=alt.Axis(labelLimit=320, titleAngle=0, titleAlign="right",
                                                                    titleBaseline="bottom", titleX=-8, titleY=-8)),
            color=alt.Color("engagements:Q", title=_("Forum engagements"), scale=alt.Scale(scheme="blues"),
                            legend=None),
            tooltip=[alt.Tooltip("group:N", title=_("Working group")), alt.Tooltip("year:O", title=_("Year")),
                     alt.Tooltip("engagements:Q", title=_("Forum engagements"))])
        numbers = base.mark_text(fontSize=13).encode(
            x="year:O", y="group:N", text="engagements:Q",
            color=alt.condition(alt.datum.engagements > visibility["engagements"].max() / 2,
                                alt.value("white"), alt.value("#222")))
        show(alt.layer(heat, numbers).properties(height=alt.Step(30)), key="forum_visibility")
        st.caption(_("Each cell counts the times a group's work was presented at EITI, ICoCA, OECD, "
                     "the VPSHR plenary or a local forum in that year; an empty cell means none."))
        engagements, total = cached(reads.forum_engagements, actor, group_ids)
        table(labelled(engagements, "forum").drop(columns=["id"]), total=total, name="forum_engagements",
              key="forum_table", column_config={"held_on": _("Date"), "group": _("Working group"),
                                                "forum": _("Forum"), "presented": _("What was presented")})
