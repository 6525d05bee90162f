"""Charts for a stakeholder meeting: titled, labelled axes, colours from db/vocab.py, fed
pre-aggregated frames (Altair ships the whole frame to the browser)."""
from __future__ import annotations

import json
from functools import lru_cache

import altair as alt
import pandas as pd
import streamlit as st

from components import geo
from components.text import md
from db.periods import Period, today
from db.reads.common import country_name
from db.vocab import (
    ACCENT,
    ACTIVITY_STATUS_COLOURS,
    MAP_BORDER,
    MAP_COUNTRY_NAME,
    MAP_GRID,
    MAP_HALO,
    MAP_LAND,
    MAP_OUTLINE,
    MAP_SEA,
    MAP_SHAPES,
    MAP_SITE_NAME,
    MAP_SITE_OUTLINE,
    SEVERITY_COLOURS,
    TODAY_MARK,
    ActivityStatus,
    Severity,
    label,
)
from i18n import DEFAULT_LANGUAGE, _, current_language, numbers

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


def bottom_legend(columns: int = 2, **options) -> alt.Legend:
    """A legend under the plot, in rows of at most two entries: one long row ran past the
    chart's edge and was cut off ("Oper", "Civi")."""
    return alt.Legend(orient="bottom", columns=columns, labelLimit=220, **options)


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
    language = current_language()
    # configure() replaces the whole config: it comes first, the configure_* calls add to it.
    localised = chart.configure(locale=chart_locale(language)) if language != DEFAULT_LANGUAGE else chart
    st.altair_chart(localised.configure_title(fontSize=16, anchor="start", font=FONT)
                    .configure_axis(labelFontSize=12, titleFontSize=13, labelFont=FONT, titleFont=FONT)
                    .configure_legend(labelFontSize=12, titleFontSize=13, labelFont=FONT, titleFont=FONT)
                    .configure_view(strokeWidth=0), width="stretch", key=key, **extra)


@lru_cache(maxsize=None)
def chart_locale(language: str) -> dict:
    """Vega's number and time locale for a language, from CLDR through Babel: axes write
    "1.062" and "nov. 2026" in Portuguese, as the tiles and tables do, not "1,062" and "Nov 2026"."""
    from babel import Locale
    from babel.dates import get_day_names, get_month_names

    symbols = Locale.parse(language).number_symbols["latn"]
    sunday_first = [6, 0, 1, 2, 3, 4, 5]  # Babel counts from Monday, Vega from Sunday
    return {
        "number": {"decimal": symbols["decimal"], "thousands": symbols["group"], "grouping": [3],
                   "currency": ["", ""]},  # money is formatted in Python, never by Vega
        "time": {"dateTime": "%x %X", "date": "%d/%m/%Y", "time": "%H:%M:%S", "periods": ["AM", "PM"],
                 "days": [get_day_names("wide", locale=language)[d] for d in sunday_first],
                 "shortDays": [get_day_names("abbreviated", locale=language)[d] for d in sunday_first],
                 "months": [get_month_names("wide", locale=language)[m] for m in range(1, 13)],
                 "shortMonths": [get_month_names("abbreviated", locale=language)[m] for m in range(1, 13)]},
    }



def colour_encoding(colour: str | None, colours: dict | None, title: str | None, legend_columns: int = 2):
    """Colour by a (labelled) vocabulary column with its defined colours, or one accent colour."""
    if not colour:
        return alt.value(ACCENT)
    scale = colour_scale(colours) if colours else alt.Scale(scheme="tableau10")
    return alt.Color(f"{colour}:N", title=title or colour, scale=scale, legend=bottom_legend(legend_columns))


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
    # Long category labels leave horizontal bars a narrow plot, and a legend row as wide as
    # the plot: two entries ran past the chart's edge ("Promis"). Their height grows anyway.
    encodings["color"] = colour_encoding(colour, colours, colour_title, legend_columns=1 if horizontal else 2)
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


MAP_MIN_SPAN = 12.0      # degrees of latitude at least (and twice as many of longitude): one site shows its neighbours
MAP_LABELLED_SITES = 5   # the sites with the largest values get their names on the map
MAP_SIZES = (40, 1200)   # a site marker's area in square pixels, for zero and for the largest value
MAP_TYPICAL_WIDTH = 800  # pixels across a map in a page's main column, to guess the room a name takes
Box = tuple[float, float, float, float]   # south, west, north, east in degrees


def site_map(frame: pd.DataFrame, *, title: str, name: str | None = None, size: str | None = None,
             size_title: str | None = None, colour: str | None = None, colours: dict | None = None,
             colour_title: str | None = None, tooltip: list[tuple[str, str]] = (), height: int = 420) -> alt.LayerChart:
    """Sites on their countries, drawn from outlines shipped with the app (components/geo): no tile
    server, nothing fetched. The view fits the sites with room around them; country names and the
    names of the MAP_LABELLED_SITES largest sites (by `size`, from column `name`) are written on it.
    `frame` has latitude, longitude and the named columns; `tooltip` is (column, title) pairs; a
    vocabulary colour (`colours`) gets a marker shape per value as well."""
    if frame.empty:
        return alt.LayerChart()
    box = _view_box(frame)
    nearby = _countries_near(box)
    sea = alt.Chart(alt.sphere()).mark_geoshape(fill=MAP_SEA, stroke=MAP_OUTLINE, clip=True, aria=False)
    step = 5 if box[2] - box[0] <= 40 else 10
    grid = alt.Chart(alt.graticule(step=[step, step])).mark_geoshape(stroke=MAP_GRID, strokeWidth=0.5,
                                                                      filled=False, clip=True, aria=False)
    # The outlines go as one JSON string: Altair walks and validates every coordinate of a list
    # (seconds for a continent), a string it passes as it is, and Vega parses it in the browser.
    outlines = alt.Data(values=_outlines(tuple(nearby), 2 if box[3] - box[1] <= 40 else 1),
                        format=alt.DataFormat(type="json", property="features"))
    land = alt.Chart(outlines).mark_geoshape(fill=MAP_LAND, stroke=MAP_BORDER, strokeWidth=0.8, clip=True, aria=False)
    taken: list[Box] = []   # where names are written: the sites' first, then the countries' around them
    site_names = _site_names(frame, name=name, size=size, box=box, taken=taken) if name else []
    country_names = alt.Chart(alt.Data(values=_country_names(nearby, box, taken))).mark_text(
        fontSize=12, fontStyle="italic", color=MAP_COUNTRY_NAME, clip=True, font=FONT).encode(
        longitude="longitude:Q", latitude="latitude:Q", text="name:N")
    markers = _site_markers(frame, size=size, size_title=size_title, colour=colour, colours=colours,
                            colour_title=colour_title, tooltip=tooltip)
    layers = [sea, grid, land, country_names, markers, *site_names]
    # A projection fitted to the whole view covers a Vega title, so show() writes it above. The
    # layers inherit the layer's one projection: Altair validates its fit once, not per layer.
    return (alt.layer(*layers).project(type="equalEarth", fit=_fit_points(box))
            .properties(height=height, usermeta={"heading": title}))


def _site_markers(frame: pd.DataFrame, *, size: str | None, size_title: str | None, colour: str | None,
                  colours: dict | None, colour_title: str | None, tooltip: list[tuple[str, str]]) -> alt.Chart:
    encodings = {
        "longitude": "longitude:Q", "latitude": "latitude:Q",
        "tooltip": [alt.Tooltip(f"{column}:Q" if pd.api.types.is_numeric_dtype(frame[column]) else f"{column}:N", title=heading)
                    for column, heading in tooltip],
        "color": colour_encoding(colour, colours, colour_title),
    }
    if size:
        largest = _largest(frame, size)
        encodings["size"] = alt.Size(f"{size}:Q", title=size_title or size,
                                     scale=alt.Scale(domain=[0, largest], range=list(MAP_SIZES)),
                                     legend=alt.Legend(orient="bottom", values=_whole_numbers(int(frame[size].min()), largest),
                                                       format="d"))
    if colour and colours:
        encodings["shape"] = alt.Shape(f"{colour}:N", title=colour_title or colour, legend=bottom_legend(),
                                       scale=alt.Scale(domain=[label(k) for k in colours],
                                                       range=list(MAP_SHAPES[:len(colours)])))
    return alt.Chart(frame).mark_point(filled=True, opacity=0.85, stroke=MAP_SITE_OUTLINE, strokeWidth=0.8,
                                       shape="circle").encode(**encodings)


def _site_names(frame: pd.DataFrame, *, name: str, size: str | None, box: Box, taken: list[Box]) -> list[alt.Chart]:
    """The names of the largest sites beside their markers, over a pale halo, skipping a name that
    would cover one already placed (added to `taken`); sites with nothing to count are named only
    when there are few sites. A name near the east edge goes to the marker's left."""
    placed = frame.dropna(subset=["latitude", "longitude"])
    ranked = placed.sort_values([size, name], ascending=[False, True]) if size else placed
    if size and len(frame) > MAP_LABELLED_SITES:
        ranked = ranked[ranked[size] > 0]
    smallest, largest = MAP_SIZES
    rows = []
    for site in ranked.itertuples(index=False):
        if len(rows) == MAP_LABELLED_SITES:
            break
        text, lat, lon = str(getattr(site, name)), float(site.latitude), float(site.longitude)
        share = getattr(site, size) / _largest(frame, size) if size else 1
        gap = round((smallest + share * (largest - smallest)) ** 0.5 / 2 + 4, 1)   # half the marker, and a space
        align = "left"
        place = _name_place(lat, lon, text, box, font_px=13, gap_px=gap, align=align)
        if place[3] > box[3]:
            align = "right"
            place = _name_place(lat, lon, text, box, font_px=13, gap_px=gap, align=align)
        if not _covers(place, taken):
            taken.append(place)
            rows.append({"longitude": lon, "latitude": lat, "name": text, "dx": gap if align == "left" else -gap,
                         "align": align})
    text_style = {"baseline": "middle", "align": alt.ExprRef(expr="datum.align"), "dx": alt.ExprRef(expr="datum.dx"),
                  "fontSize": 13, "fontWeight": "bold", "font": FONT, "clip": True}
    named = alt.Chart(alt.Data(values=rows)).encode(longitude="longitude:Q", latitude="latitude:Q", text="name:N")
    return [named.mark_text(**text_style, stroke=MAP_HALO, strokeWidth=3, strokeJoin="round"),
            named.mark_text(**text_style, color=MAP_SITE_NAME)]


def _name_place(lat: float, lon: float, text: str, box: Box, *, font_px: int, gap_px: float = 0,
                align: str = "center") -> Box:
    """Roughly where a name lands (south, west, north, east in degrees), for a map about
    MAP_TYPICAL_WIDTH pixels across: enough to keep names from piling up on each other."""
    per_pixel = (box[3] - box[1]) / MAP_TYPICAL_WIDTH
    width, half_height = len(text) * font_px * 0.55 * per_pixel, font_px * 0.55 * per_pixel
    west = {"center": lon - width / 2, "left": lon + gap_px * per_pixel,
            "right": lon - gap_px * per_pixel - width}[align]
    return lat - half_height, west, lat + half_height, west + width


def _covers(place: Box, taken: list[Box]) -> bool:
    return any(s < place[2] and place[0] < n and w < place[3] and place[1] < e for s, w, n, e in taken)


def _largest(frame: pd.DataFrame, size: str) -> int:
    return max(1, int(frame[size].max()))


def _whole_numbers(low: int, high: int) -> list[int]:
    """At most five legend values from low to high, all whole numbers, the largest included
    (a quantitative legend left to itself showed "0.0 0.5 1.0 1.5 2.0" for counts up to 2)."""
    step = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 10**9) if (high - low) / s <= 4)
    values = list(range(-(-low // step) * step, high + 1, step)) or [high]
    if values[0] != low:
        values.insert(0, low)
    if values[-1] != high:
        values[-1:] = [values[-1], high] if high - values[-1] > step / 2 else [high]
    return values


def _view_box(frame: pd.DataFrame) -> Box:
    """South, west, north and east of the sites with a margin, at least MAP_MIN_SPAN high and twice
    as wide, so that one site shows its country and the neighbours around it."""
    lats = frame["latitude"].dropna().astype(float)
    lons = frame["longitude"].dropna().astype(float)
    if lats.empty or lons.empty:
        lats, lons = pd.Series([0.0]), pd.Series([0.0])
    south, north, west, east = lats.min(), lats.max(), lons.min(), lons.max()
    # About as wide as a chart on a page, so that what is in the box is what the chart shows.
    lat_span = max(MAP_MIN_SPAN, (north - south) * 1.2, (east - west) * 1.2 / 3)
    lon_span = max(lat_span * 2, (east - west) * 1.2)
    middle_lat = min(max((south + north) / 2, -80 + lat_span / 2), 80 - lat_span / 2)
    middle_lon = (west + east) / 2
    return (max(-80.0, middle_lat - lat_span / 2), max(-180.0, middle_lon - lon_span / 2),
            min(80.0, middle_lat + lat_span / 2), min(180.0, middle_lon + lon_span / 2))


def _fit_points(box: Box) -> dict:
    """At most six points whose projected bounds hold the box: its corners and its edges at the
    latitude nearest the equator (where a pseudo-cylindrical projection is widest). Fitting to every
    site instead made Altair validate one GeoJSON feature per site, three times over (seconds per
    run with a few hundred sites)."""
    south, west, north, east = box
    middle = min(max(0.0, south), north)
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [lon, lat]}}
        for lat, lon in sorted({(lat, lon) for lat in (south, middle, north) for lon in (west, east)})]}


def _countries_near(box: Box) -> list[geo.Country]:
    """The countries the view can show: the box and what a wide or tall chart shows around it
    (fitting keeps the box's shape, so a wide chart shows more to the east and west)."""
    south, west, north, east = box
    lat_span, lon_span = north - south, east - west
    lat_margin = max(0.25 * lat_span, 0.3 * lon_span - 0.5 * lat_span)
    lon_margin = max(0.25 * lon_span, 1.7 * lat_span - 0.5 * lon_span)
    return [country for country in geo.countries()
            if country.bbox[0] <= north + lat_margin and country.bbox[2] >= south - lat_margin
            and country.bbox[1] <= east + lon_margin and country.bbox[3] >= west - lon_margin]


@lru_cache(maxsize=64)
def _outlines(countries: tuple[geo.Country, ...], decimals: int) -> str:
    return json.dumps({"type": "FeatureCollection", "features": [country.feature(decimals) for country in countries]},
                      separators=(",", ":"), ensure_ascii=False)


def _country_names(nearby: list[geo.Country], box: Box, taken: list[Box]) -> list[dict]:
    """Names for the countries in view with room for one, the largest first, each at the first of
    its places (geo.Country.name_places) where it covers no name already placed: a country whose
    middle is out of view or taken is named elsewhere on its land. English uses Natural Earth's short map names ("Dem. Rep. Congo"); other languages CLDR's."""
    south, west, north, east = box
    # a little inside the box, where a name is not cut by the chart's edge
    inner = (south + 0.05 * (north - south), west + 0.02 * (east - west),
             north - 0.05 * (north - south), east - 0.02 * (east - west))
    room = (north - south) * (east - west)
    english = current_language() == DEFAULT_LANGUAGE
    names = []
    for country in sorted(nearby, key=_area, reverse=True):
        if _area(country, within=box) < 0.005 * room:
            continue
        text = country.map_name if english or not country.alpha_2 else country_name(country.alpha_2)
        for lat, lon, land_width in country.name_places(*inner):
            place = _name_place(lat, lon, text, box, font_px=12)
            # a name may run a little past a narrow country, as on any printed map
            if (inner[1] <= place[1] and place[3] <= inner[3] and place[3] - place[1] <= 1.5 * land_width
                    and not _covers(place, taken)):
                taken.append(place)
                names.append({"longitude": round(lon, 2), "latitude": round(lat, 2), "name": text})
                break
    return names


def _area(country: geo.Country, within: Box | None = None) -> float:
    """The area of the country's bounding box in square degrees, or of its part within a box."""
    south, west, north, east = country.bbox
    if within:
        south, west, north, east = (max(south, within[0]), max(west, within[1]),
                                    min(north, within[2]), min(east, within[3]))
    return max(0.0, north - south) * max(0.0, east - west)


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
