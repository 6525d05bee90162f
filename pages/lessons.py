"""Lessons and forums: lessons learned shared between operations (searchable by text and tag,
filtered by group and organisation) and the groups' forum engagements with their visibility
per year."""
import streamlit as st

from components.charts import empty_state, forum_heatmap, labelled, show
from components.data import cached
from components.filters import filter_bar
from components.guard import require
from components.header import page_header
from components.tables import table
from components.text import fmt, md
from components.url import ids_param, set_list_param, set_params, text_param
from db.metrics.learning import forum_visibility
from db.permissions import Action, can
from db.reads import learning as reads
from i18n import _, numbers

actor = require(Action.view_lessons)

page_header(_("Lessons and forums"),
            _("What operations have learned and shared, and where the groups' work has been presented."))
filters = filter_bar(actor, key="lessons", show_period=False)
group_ids = filters.chosen_group_ids
may_add = can(actor, Action.edit_lesson) or can(actor, Action.edit_forum)
add_hint = _("Add one under Data entry and import, tab \"Lessons, forums and training\".") if may_add else ""

lessons_tab, forums_tab = st.tabs([_("Lessons learned"), _("Forum engagements")])

with lessons_tab:
    search, tag_column, org_column = st.columns([3, 2, 2])
    text = search.text_input(_("Search"), value=text_param("q"), key="lessons_q",
                             placeholder=_("Words in the title, text or tags"))
    tags = cached(reads.lesson_tags, actor)
    wanted_tag = text_param("tag")
    tag = tag_column.selectbox(_("Tag"), tags, index=tags.index(wanted_tag) if wanted_tag in tags else None,
                               placeholder=_("Any tag"), key="lessons_tag")
    orgs = cached(reads.lesson_organisations, actor)
    org_names = dict(zip(orgs["id"], orgs["name"]))
    org_ids = org_column.multiselect(_("Shared by"), list(org_names), format_func=lambda i: org_names[i],
                                     default=[i for i in ids_param("org") if i in org_names],
                                     placeholder=_("Any organisation"), key="lessons_org")
    set_params({"q": text.strip(), "tag": tag})
    set_list_param("org", org_ids)

    query = reads.LessonQuery(text=text, tag=tag or "", group_ids=group_ids, org_ids=tuple(org_ids))
    found, total = cached(reads.lessons, actor, query)
    if found.empty:
        searching = bool(text.strip() or tag or org_ids or group_ids)
        empty_state(_("No lesson matches this search. Try fewer words or another tag.") if searching
                    else _("No lessons have been shared yet.") + " " + add_hint)
    else:
        st.caption(_("{total} lessons match; the newest {shown} are shown as cards.")
                   .format(total=numbers.number(total), shown=min(10, len(found))))
        for row in found.head(10).itertuples():
            with st.container(border=True):
                st.markdown(f"**{md(row.title)}**")
                meta = [row.shared_on.isoformat(), row.organisation or _("Unknown organisation")]
                if row.group:
                    meta.append(row.group)
                if can(actor, Action.view_entered_by) and row.author:
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
        show(forum_heatmap(visibility), key="forum_visibility")
        st.caption(_("Each cell counts the times a group's work was presented at EITI, ICoCA, OECD, "
                     "the VPSHR plenary or a local forum in that year; an empty cell means none."))
        engagements, total = cached(reads.forum_engagements, actor, group_ids)
        table(labelled(engagements, "forum").drop(columns=["id"]), total=total, name="forum_engagements",
              key="forum_table", column_config={"held_on": _("Date"), "group": _("Working group"),
                                                "forum": _("Forum"), "presented": _("What was presented")})
