"""Altair charts drawn to PNG offline (vl-convert bundles Vega; no browser, no internet)."""
from __future__ import annotations

import altair as alt


def png(chart: alt.Chart, scale: float = 2.0) -> bytes | None:
    """The chart as PNG bytes, or None if it cannot be drawn (the report then says so)."""
    import vl_convert as vlc

    spec = (chart.configure_title(fontSize=14, anchor="start").configure_axis(labelFontSize=11, titleFontSize=12, titlePadding=8)
            .configure_axisY(labelLimit=230)
            .configure_view(strokeWidth=0).to_dict())
    try:
        return vlc.vegalite_to_png(spec, scale=scale)
    except Exception:
        return None
