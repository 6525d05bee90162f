"""The shared filter bar: countries, working groups and period. Its values live in the URL
(st.query_params), so a copied link reopens the same view."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import streamlit as st

from components.data import cached
from components.url import date_param, parse_id, set_list_param, set_params
from db.periods import Period, default_period, today
from db.permissions import Actor
from db.reads.common import country_name, groups
from i18n import _


@dataclass(frozen=True)
class Filters:
    countries: tuple[str, ...] = ()
    group_ids: tuple[int, ...] = ()
    period: Period = field(default_factory=default_period)
    groups_in_countries: tuple[int, ...] = ()  # the groups of the chosen countries

    @property
    def chosen_group_ids(self) -> tuple[int, ...]:
        """For reads that take groups only: the chosen groups or, when only countries are
        chosen, those countries' groups ((-1,) when they have none); empty means every group."""
        if self.group_ids or not self.countries:
            return self.group_ids
        return self.groups_in_countries or (-1,)


def _ints(text: str | None) -> list[int]:
    return [value for part in (text or "").split(",") if (value := parse_id(part)) is not None]


def _codes(text: str | None) -> list[str]:
    return [part.strip().upper() for part in (text or "").split(",") if len(part.strip()) == 2]


def group_countries(actor: Actor) -> list[str]:
    """The countries of the working groups the actor sees, ordered by name: a view's country choices."""
    known = cached(groups, actor)
    return sorted(known["country"].unique(), key=country_name) if not known.empty else []


CHOSEN_PERIOD = "chosen_period"  # carried from page to page; the session is one user's (components/auth)


def filter_bar(actor: Actor, *, key: str = "filters", show_period: bool = True) -> Filters:
    """Country, group and period pickers in one row; returns the chosen filters. Every page
    opens on the same period: the one in the URL, else the one last chosen on another page in
    this session, else db/periods.default_period."""
    params = st.query_params
    all_groups = cached(groups, actor)
    default = default_period()
    carried = st.session_state.get(CHOSEN_PERIOD, default)
    country_choices = group_countries(actor)
    chosen_countries = [c for c in _codes(params.get("country")) if c in country_choices]
    valid_ids = set(all_groups["id"]) if not all_groups.empty else set()
    chosen_groups = [g for g in _ints(params.get("group")) if g in valid_ids]
    start = date_param("from", carried.start) or carried.start
    end = date_param("to", carried.end) or carried.end

    columns = st.columns([2, 3, 2] if show_period else [2, 3])
    countries = columns[0].multiselect(_("Countries"), country_choices, default=chosen_countries,
                                       format_func=country_name, key=f"{key}_country",
                                       placeholder=_("All countries"))
    group_options = all_groups if not countries else all_groups[all_groups["country"].isin(countries)]
    names = dict(zip(group_options["id"], group_options["name"])) if not group_options.empty else {}
    group_ids = columns[1].multiselect(_("Working groups"), list(names), format_func=lambda i: names.get(i, str(i)),
                                       default=[g for g in chosen_groups if g in names], key=f"{key}_group",
                                       placeholder=_("All working groups"))
    period = Period(start, end)
    if show_period:
        picked = columns[2].date_input(_("Period"), value=(start, end), max_value=date(today().year + 2, 12, 31),
                                       key=f"{key}_period", format="YYYY-MM-DD")
        if isinstance(picked, (tuple, list)) and len(picked) == 2:
            period = Period(picked[0], picked[1])

    if show_period:
        st.session_state[CHOSEN_PERIOD] = period
    _write_params(countries, group_ids, period if show_period else None, default)
    in_countries = tuple(int(g) for g in group_options["id"]) if countries and not group_options.empty else ()
    return Filters(tuple(countries), tuple(int(g) for g in group_ids), period, in_countries)


def _write_params(countries, group_ids, period: Period | None, default_period: Period) -> None:
    set_list_param("country", countries)
    set_list_param("group", group_ids)
    set_params({"from": period.start.isoformat() if period and period.start != default_period.start else None,
                "to": period.end.isoformat() if period and period.end != default_period.end else None})
