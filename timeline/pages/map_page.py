"""Map: the filtered events where they happened, linked to the same event card."""

from __future__ import annotations

import streamlit as st

from timeline import charts, ui
from timeline.pages.timeline_page import picked_event


def render(ctx: ui.Context) -> None:
    st.set_page_config(page_title="Map · Nagorno-Karabakh timeline")
    st.title("Map")
    ui.count_line(ctx)
    pkg = ctx.package
    if ctx.events.empty or pkg.places.empty:
        return
    tiles = st.toggle(
        "Street map background (loads tiles from OpenStreetMap)",
        key="map_tiles",
        help="Off: a plain map that needs nothing from the network.",
    )
    fig = ui.memo(
        ctx,
        "map",
        lambda: charts.map_figure(ctx.events, pkg.places, ctx.places, tiles=tiles),
        tiles,
    )
    located = ctx.events["place_id"].isin(set(pkg.places["place_id"]))
    state = st.plotly_chart(
        fig,
        key=f"map_chart_{int(tiles)}",
        on_select="rerun",
        selection_mode="points",
        config={"displaylogo": False, "scrollZoom": True},
        width="stretch",
        alt=f"Map of the {int(located.sum()):,} events with a place; the list under the map "
        "opens each of them.",
    )
    coords = pkg.places.set_index("place_id")
    outside = ctx.events[located].copy()
    lon = outside["place_id"].astype("object").map(coords["lon"]).astype(float)
    lat = outside["place_id"].astype("object").map(coords["lat"]).astype(float)
    far = outside[~(lon.between(*charts.REGION["lon"]) & lat.between(*charts.REGION["lat"]))]
    notes = [f"{(~located).sum():,} events have no place and are not on the map."]
    if len(far):
        counts = far["place_id"].astype("object").map(ctx.places).value_counts()
        where = ", ".join(f"{ui.md(name)} {n}" for name, n in counts.items())
        notes.append(f"{len(far):,} took place outside this view: {where}.")
    st.caption(
        "Marker size follows deaths or displacement where the sources give a figure. "
        + " ".join(notes)
    )
    ui.follow("map_chart", picked_event(state), ctx.view.event)
    ui.event_picker(
        ctx, ctx.events[located], key="map_pick", label="Open an event shown on the map"
    )
    ui.show_card(ctx)


if __name__ == "__main__":
    render(ui.current_context())
