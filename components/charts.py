"""Charts for a stakeholder meeting: titled, labelled axes, colours from db/vocab.py, fed
pre-aggregated frames (Altair ships the whole frame to the browser)."""
from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from components.text import md
from db.periods import Period, today
from db.vocab import (
    ACCENT,
    ACTIVITY_STATUS_COLOURS,
    MAP_GRID,
    MAP_OUTLINE,
    MAP_SEA,
    SEVERITY_COLOURS,
    TODAY_MARK,
    ActivityStatus,
    Severity,
    label,
)
from i18n import _, numbers

HEIGHT = 300
FONT = "sans-serif"


def labelled(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """Replace stored vocabulary values with their translated labels for display."""
    shown = frame.copy()
    for column in columns:
        shown[column] = shown[column].map(label)
    return shown


def colour_scale(colours: dict, order: list | None = None) -> alt.Scale:
    """A colour scale keyed on translated labels, in the vocabulary's order."""
    keys = order or list(colours)
    return alt.Scale(domain=[label(k) for k in keys], range=[colours[k] for k in keys])


def bottom_legend(**options) -> alt.Legend:
    """A legend under the plot, in rows of at most two entries: one long row ran past the
    chart's edge and was cut off ("Oper", "Civi")."""
    return alt.Legend(orient="bottom", columns=2, labelLimit=220, **options)


# Room for the title, axis labels and a bottom legend around a plot of a fixed pixel height:
# Streamlit fits the whole chart into the height it is given.
DECORATION = 170


def show(chart: alt.Chart | alt.LayerChart, *, key: str | None = None) -> None:
    usermeta = getattr(chart, "usermeta", alt.Undefined)
    if isinstance(usermeta, dict) and usermeta.get("heading"):
        st.markdown(f"**{md(usermeta['heading'])}**")
    plot_height = getattr(chart, "height", alt.Undefined)
    extra = {"height": plot_height + DECORATION} if isinstance(plot_height, int) else {}
    # One font for everything Vega draws: labels measured in one font and drawn in another
    # (the theme's web font) pushed axis titles over the longest labels.
    st.altair_chart(chart.configure_title(fontSize=16, anchor="start", font=FONT)
                    .configure_axis(labelFontSize=12, titleFontSize=13, labelFont=FONT, titleFont=FONT)
                    .configure_legend(labelFontSize=12, titleFontSize=13, labelFont=FONT, titleFont=FONT)
                    .configure_view(strokeWidth=0), width="stretch", key=key, **extra)



def colour_encoding(colour: str | None, colours: dict | None, title: str | None):
    """Colour by a (labelled) vocabulary column with its defined colours, or one accent colour."""
    if not colour:
        return alt.value(ACCENT)
    scale = colour_scale(colours) if colours else alt.Scale(scheme="tableau10")
    return alt.Color(f"{colour}:N", title=title or colour, scale=scale, legend=bottom_legend())


def value_axis_format(value_format: str) -> alt.Axis:
    """Whole-number formats get whole-number ticks (small counts showed "0 0 1 1 2 2")."""
    return alt.Axis(format=value_format,
                    tickMinStep=1 if value_format.endswith((".0f", "d")) else alt.Undefined)


def bars(frame: pd.DataFrame, *, category: str, value: str, title: str, category_title: str,
         value_title: str, colour: str | None = None, colours: dict | None = None,
         colour_title: str | None = None, horizontal: bool = True, sort: list | str = "-x",
         height: int | None = None, value_format: str = ",.0f") -> alt.Chart:
    """A (stacked) bar chart. Vocabulary columns must already be labelled. `height` applies to
    vertical bars only; horizontal ones grow with the number of bars."""
    value_axis = alt.X if horizontal else alt.Y
    category_axis = alt.Y if horizontal else alt.X
    encodings = {
        ("x" if horizontal else "y"): value_axis(f"{value}:Q", title=value_title,
                                                 axis=value_axis_format(value_format)),
        ("y" if horizontal else "x"): category_axis(f"{category}:N", title=category_title,
                                                    sort=sort if horizontal else (sort if sort != "-x" else "-y"),
                                                    axis=alt.Axis(labelLimit=220)),
        "tooltip": [alt.Tooltip(f"{category}:N", title=category_title),
                    alt.Tooltip(f"{value}:Q", title=value_title, format=value_format)],
    }
    encodings["color"] = colour_encoding(colour, colours, colour_title)
    if colour:
        encodings["tooltip"].insert(1, alt.Tooltip(f"{colour}:N", title=colour_title or colour))
    # Horizontal bars get a height per bar (a Step): Streamlit 1.67 squeezes a band scale
    # given a fixed pixel height to nothing.
    chart_height = alt.Step(26) if horizontal else (height or HEIGHT)
    return alt.Chart(frame, title=title).mark_bar().encode(**encodings).properties(height=chart_height)


def lines(frame: pd.DataFrame, *, x: str, y: str, title: str, x_title: str, y_title: str,
          colour: str | None = None, colours: dict | None = None, colour_title: str | None = None,
          x_type: str = "T", value_format: str = ",.0f") -> alt.Chart:
    encodings = {
        "x": alt.X(f"{x}:{x_type}", title=x_title),
        "y": alt.Y(f"{y}:Q", title=y_title, axis=value_axis_format(value_format)),
        "tooltip": [alt.Tooltip(f"{x}:{x_type}", title=x_title),
                    alt.Tooltip(f"{y}:Q", title=y_title, format=value_format)],
        "color": colour_encoding(colour, colours, colour_title),
    }
    return alt.Chart(frame, title=title).mark_line(point=True).encode(**encodings).properties(height=HEIGHT)


def site_map(frame: pd.DataFrame, *, title: str, size: str | None = None, size_title: str | None = None,
             colour: str | None = None, colours: dict | None = None, colour_title: str | None = None,
             tooltip: list[tuple[str, str]] = (), height: int = 420) -> alt.LayerChart:
    """Sites as points on a map projection, drawn without any tile server or internet:
    a graticule for orientation and the points, fitted to the sites shown.
    `frame` has latitude, longitude and the named columns; `tooltip` is (column, title) pairs."""
    if frame.empty:
        return alt.LayerChart()
    fit = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [lon, lat]}}
        for lat, lon in _fit_points(frame)]}
    projection = alt.Projection(type="equalEarth", fit=fit)
    sphere = alt.Chart(alt.sphere()).mark_geoshape(fill=MAP_SEA, stroke=MAP_OUTLINE).project(**projection.to_dict())
    grid = alt.Chart(alt.graticule(step=[5, 5])).mark_geoshape(stroke=MAP_GRID, strokeWidth=0.5,
                                                                filled=False).project(**projection.to_dict())
    encodings = {
        "longitude": "longitude:Q", "latitude": "latitude:Q",
        "tooltip": [alt.Tooltip(f"{column}:Q" if pd.api.types.is_numeric_dtype(frame[column]) else f"{column}:N", title=heading)
                    for column, heading in tooltip],
    }
    if size:
        encodings["size"] = alt.Size(f"{size}:Q", title=size_title or size, scale=alt.Scale(range=[40, 1200]),
                                     legend=bottom_legend())
    encodings["color"] = colour_encoding(colour, colours, colour_title)
    points = alt.Chart(frame).mark_circle(opacity=0.8, stroke="#333", strokeWidth=0.5).encode(**encodings) \
        .project(**projection.to_dict())
    # A projection fitted to the whole view covers a Vega title, so show() writes it above.
    return alt.layer(sphere, grid, points).properties(height=height, usermeta={"heading": title})


def _fit_points(frame: pd.DataFrame) -> list[tuple[float, float]]:
    """At most six (lat, lon) points whose projected bounds hold every site: the corners of the
    sites' box and the box's edges at the latitude nearest the equator (where a pseudo-cylindrical
    projection is widest). Fitting to every site instead made Altair validate one GeoJSON feature
    per site, three times over (seconds per run with a few hundred sites)."""
    lats = frame["latitude"].dropna().astype(float)
    lons = frame["longitude"].dropna().astype(float)
    if lats.empty or lons.empty:
        return [(0.0, 0.0)]
    low, high = lats.min(), lats.max()
    middle = min(max(0.0, low), high)
    return sorted({(lat, lon) for lat in (low, middle, high) for lon in (lons.min(), lons.max())})


def empty_state(message: str) -> None:
    """Instead of an empty chart: say what to do next."""
    st.info(message, icon=":material/info:")


# --------------------------------------------------------------------------- page charts


def activity_timeline(by_day: pd.DataFrame, period: Period) -> alt.LayerChart:
    """Activities per group and day (db/reads/activities.calendar_by_day), coloured by status,
    shaped by kind, with today's date as a dashed line."""
    shown = by_day.assign(kind=by_day["kind"].map(label), status_label=by_day["status"].map(label))
    title = _("Calendar by working group ({start} to {end})").format(start=numbers.day(period.start),
                                                                       end=numbers.day(period.end))
    timeline = (alt.Chart(shown, title=title)
                .mark_point(filled=True, size=120, opacity=0.85)
                .encode(x=alt.X("day:T", title=_("Date"), axis=alt.Axis(format="%d %b %Y", labelAngle=0)),
                        # no axis title: the chart's title names the rows, and a title here overlapped the names
                        y=alt.Y("group:N", title=None, axis=alt.Axis(labelLimit=260)),
                        color=alt.Color("status_label:N", title=_("Status"),
                                        scale=colour_scale(ACTIVITY_STATUS_COLOURS, list(ActivityStatus)),
                                        legend=bottom_legend()),
                        shape=alt.Shape("kind:N", title=_("Kind"), legend=bottom_legend()),
                        tooltip=[alt.Tooltip("group:N", title=_("Working group")),
                                 alt.Tooltip("day:T", title=_("Date")), alt.Tooltip("kind:N", title=_("Kind")),
                                 alt.Tooltip("status_label:N", title=_("Status")),
                                 alt.Tooltip("activities:Q", title=_("Activities"))])
                .properties(height=alt.Step(34)))  # a fixed pixel height collapses the rows in Streamlit
    today_rule = (alt.Chart(alt.Data(values=[{"day": today().isoformat()}]))
                  .mark_rule(color=TODAY_MARK, strokeDash=[4, 3]).encode(x="day:T"))
    return alt.layer(timeline, today_rule)


def training_and_conduct(by_site: pd.DataFrame) -> alt.LayerChart:
    """People trained (bars) beside security-conduct issues (diamonds) per site, each on its own
    axis; `by_site` has site_label, people_trained, sessions and conduct_issues, in chart order."""
    y = alt.Y("site_label:N", title=_("Site"), sort=list(by_site["site_label"]), axis=alt.Axis(labelLimit=260))
    base = alt.Chart(by_site)
    issue_colour = SEVERITY_COLOURS[Severity.high]
    trained = base.mark_bar(color=ACCENT, opacity=0.85, height=14).encode(
        x=alt.X("people_trained:Q", title=_("People trained in the period (bars)"),
                axis=alt.Axis(titleColor=ACCENT, orient="bottom")),
        y=y,
        tooltip=[alt.Tooltip("site_label:N", title=_("Site")),
                 alt.Tooltip("people_trained:Q", title=_("People trained")),
                 alt.Tooltip("sessions:Q", title=_("Training sessions")),
                 alt.Tooltip("conduct_issues:Q", title=_("Security-conduct issues"))])
    issues = base.mark_point(shape="diamond", filled=True, size=120, color=issue_colour).encode(
        x=alt.X("conduct_issues:Q", title=_("Security-conduct issues raised in the period (diamonds)"),
                axis=alt.Axis(titleColor=issue_colour, orient="top", tickMinStep=1, format="d")),
        y=y,
        tooltip=[alt.Tooltip("site_label:N", title=_("Site")),
                 alt.Tooltip("conduct_issues:Q", title=_("Security-conduct issues")),
                 alt.Tooltip("people_trained:Q", title=_("People trained"))])
    return (alt.layer(trained, issues, title=_("People trained and security-conduct issues, per site"))
            .resolve_scale(x="independent").properties(height=max(180, 24 * len(by_site) + 80)))


def forum_heatmap(visibility: pd.DataFrame) -> alt.LayerChart:
    """Forum engagements per working group (rows) and year (columns), each cell with its count."""
    base = alt.Chart(visibility, title=_("Forum visibility: engagements per working group per year"))
    heat = base.mark_rect().encode(
        x=alt.X("year:O", title=_("Year"), axis=alt.Axis(labelAngle=0, orient="top")),
        y=alt.Y("group:N", title=_("Working group"), axis=alt.Axis(labelLimit=320, titleAngle=0, titleAlign="right",
                                                                titleBaseline="bottom", titleX=-8, titleY=-8)),
        color=alt.Color("engagements:Q", title=_("Forum engagements"), scale=alt.Scale(scheme="blues"), legend=None),
        tooltip=[alt.Tooltip("group:N", title=_("Working group")), alt.Tooltip("year:O", title=_("Year")),
                 alt.Tooltip("engagements:Q", title=_("Forum engagements"))])
    numbers = base.mark_text(fontSize=13).encode(
        x="year:O", y="group:N", text="engagements:Q",
        # dark cells get white numbers
        color=alt.condition(alt.datum.engagements > visibility["engagements"].max() / 2,
                            alt.value("white"), alt.value("black")))
    return alt.layer(heat, numbers).properties(height=alt.Step(30))
