"""The site map (components/charts.site_map): land and borders shipped with the app, a view fitted
to the sites with room around them, names on countries and the largest sites, whole-number legends."""
from __future__ import annotations

import json

import pandas as pd
import pytest

import i18n
from components import charts
from components.issue_views import issue_map

GHANA_MINE = {"site": "Obuasi Pit", "latitude": 6.2, "longitude": -1.67, "open_issues": 2}


def sites(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=["site", "latitude", "longitude", "open_issues"])


def spec_of(frame: pd.DataFrame, **options) -> dict:
    options = {"title": "Sites", "size": "open_issues", "size_title": "Open issues", "name": "site",
               "tooltip": [("site", "Site"), ("open_issues", "Open issues")], **options}
    return charts.site_map(frame, **options).to_dict()


def data_of(spec: dict, layer: dict) -> list[dict]:
    """A layer's rows, wherever Altair put them; none for the globe's sphere and graticule."""
    data = layer.get("data", spec.get("data", {}))
    if "values" in data:
        values = data["values"]
        return json.loads(values)[data["format"]["property"]] if isinstance(values, str) else values
    return spec["datasets"][data["name"]] if "name" in data else []


def layers_marked(spec: dict, mark: str) -> list[dict]:
    return [layer for layer in spec["layer"]
            if (layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]) == mark]


def country_outlines(spec: dict) -> dict[str, dict]:
    """Outline features drawn, by the name they carry."""
    return {feature["properties"]["name"]: feature
            for layer in layers_marked(spec, "geoshape") for feature in data_of(spec, layer)
            if isinstance(feature, dict) and feature.get("type") == "Feature"}


def texts(spec: dict) -> list[str]:
    found = []
    for layer in layers_marked(spec, "text"):
        field = layer["encoding"]["text"]["field"]
        found += [row[field] for row in data_of(spec, layer)]
    return found


def fitted_box(spec: dict) -> tuple[float, float, float, float]:
    """South, west, north and east of the points the projection all layers share is fitted to."""
    assert all("projection" not in layer for layer in spec["layer"]), "every layer shares one projection"
    points = [f["geometry"]["coordinates"] for f in spec["projection"]["fit"]["features"]]
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    return min(lats), min(lons), max(lats), max(lons)


def test_the_land_and_borders_are_drawn_from_data_inside_the_chart_and_nothing_is_fetched():
    spec = spec_of(sites(GHANA_MINE))
    outlines = country_outlines(spec)
    assert outlines["Ghana"]["geometry"]["type"] == "Polygon"
    assert "url" not in json.dumps(spec["layer"])
    sent = json.dumps({key: value for key, value in spec.items() if key != "$schema"})  # a name, never fetched
    assert "http://" not in sent and "https://" not in sent
    shapes = layers_marked(spec, "geoshape")
    points = [i for i, layer in enumerate(spec["layer"]) if "longitude" in layer.get("encoding", {})]
    land = next(i for i, layer in enumerate(spec["layer"])
                if layer in shapes and data_of(spec, layer) and data_of(spec, layer)[0].get("type") == "Feature")
    assert land < min(points), "the sites are drawn over the land, not under it"


def test_one_site_shows_its_country_and_its_neighbours_not_a_dot_in_a_blank_box():
    spec = spec_of(sites(GHANA_MINE))
    south, west, north, east = fitted_box(spec)
    assert north - south >= charts.MAP_MIN_SPAN and east - west >= charts.MAP_MIN_SPAN
    assert south < 6.2 < north and west < -1.67 < east
    assert {"Ghana", "Togo", "Côte d'Ivoire", "Burkina Faso"} <= set(country_outlines(spec))
    assert {"Ghana", "Togo", "Côte d'Ivoire", "Nigeria"} <= set(texts(spec))
    assert "Brazil" not in country_outlines(spec), "only the countries near the sites are sent"


def test_sites_far_apart_are_all_inside_the_view():
    spec = spec_of(sites(GHANA_MINE, {"site": "Yanacocha", "latitude": -7.0, "longitude": -78.5, "open_issues": 1}))
    south, west, north, east = fitted_box(spec)
    assert south < -7.0 and north > 6.2 and west < -78.5 and east > -1.67
    assert {"Ghana", "Peru", "Brazil"} <= set(country_outlines(spec))


def test_the_outlines_sent_for_a_country_stay_small():
    assert len(json.dumps(spec_of(sites(GHANA_MINE)))) < 60_000


def test_country_names_follow_the_language():
    try:
        i18n.set_language("fr")
        names = set(texts(spec_of(sites({**GHANA_MINE, "latitude": -4.3, "longitude": 15.3}))))
    finally:
        i18n.set_language(None)
    assert {"Congo-Kinshasa", "Congo-Brazzaville", "Gabon"} <= names
    assert "Dem. Rep. Congo" not in names


def test_the_sites_with_most_open_issues_are_named_on_the_map():
    frame = sites(*({"site": f"Site {n}", "latitude": 1 + n, "longitude": -2 + n, "open_issues": n}
                    for n in range(9)))
    named = set(texts(spec_of(frame))) & set(frame["site"])
    assert named == {"Site 8", "Site 7", "Site 6", "Site 5", "Site 4"}


def test_a_name_that_would_cover_another_is_left_out():
    frame = sites(GHANA_MINE, {**GHANA_MINE, "site": "Obuasi Tailings", "latitude": 6.25, "open_issues": 1},
                  {**GHANA_MINE, "site": "Tarkwa", "latitude": 5.3, "longitude": -1.99, "open_issues": 1})
    spec = spec_of(frame)
    assert set(texts(spec)) & set(frame["site"]) == {"Obuasi Pit", "Tarkwa"}
    assert "Ghana" in texts(spec)


@pytest.mark.parametrize(("counts", "legend"), [((0, 1, 2), [0, 1, 2]), ((1, 1), [1]),
                                                ((0, 3, 37), [0, 10, 20, 30, 37]), ((2, 5), [2, 3, 4, 5])])
def test_the_size_legend_counts_in_whole_numbers(counts, legend):
    frame = sites(*({**GHANA_MINE, "site": f"Site {i}", "open_issues": n} for i, n in enumerate(counts)))
    size = next(layer["encoding"]["size"] for layer in json.loads(json.dumps(spec_of(frame))).get("layer")
                if "size" in layer.get("encoding", {}))
    assert size["legend"]["values"] == legend
    assert all(isinstance(v, int) for v in size["legend"]["values"])
    assert size["legend"]["format"] == "d"


def test_worst_severity_is_told_by_shape_and_label_not_colour_alone():
    frame = pd.DataFrame([("North Pit", 6.2, -1.7, 3, "critical"), ("Tailings Dam", 6.5, -2.0, 1, "low")],
                         columns=["site", "latitude", "longitude", "open_issues", "worst_severity"])
    spec = issue_map(frame).to_dict()
    points = next(layer for layer in spec["layer"] if "size" in layer.get("encoding", {}))
    colour, shape = points["encoding"]["color"], points["encoding"]["shape"]
    assert colour["field"] == shape["field"] == "worst_severity"
    assert shape["scale"]["domain"] == colour["scale"]["domain"] == ["Low", "Medium", "High", "Critical"]
    assert len(set(shape["scale"]["range"])) == 4
    assert "Critical" in [row["worst_severity"] for row in data_of(spec, points)]
    assert {"worst_severity"} <= {t["field"] for t in points["encoding"]["tooltip"]}


def test_a_site_without_coordinates_is_left_off_the_map_and_the_others_still_show():
    frame = sites(GHANA_MINE, {"site": "Unlocated", "latitude": None, "longitude": None, "open_issues": 9})
    spec = spec_of(frame)
    assert "Obuasi Pit" in texts(spec) and "Unlocated" not in texts(spec)
    south, west, north, east = fitted_box(spec)
    assert south < 6.2 < north and west < -1.67 < east


def test_a_country_whose_usual_place_is_taken_by_a_site_name_is_named_elsewhere_on_its_land():
    spec = spec_of(sites({"site": "Cajamarca Regional Mine Complex", "latitude": -7.75, "longitude": -77.5,
                          "open_issues": 4}))
    places = {row["name"]: row for layer in layers_marked(spec, "text") for row in data_of(spec, layer)}
    assert {"Peru", "Cajamarca Regional Mine Complex", "Brazil", "Ecuador"} <= set(places)
    assert abs(places["Peru"]["latitude"] - -7.75) > 1
