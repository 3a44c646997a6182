"""Map: the filtered events where they happened, linked to the same event card."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from timeline import charts, publish, stats, ui
from timeline.pages.timeline_page import picked_event


@ui.cached()
def _figure(ctx: ui.Context, tiles: bool) -> go.Figure:
    return charts.map_figure(ctx.events, ctx.package.places, ctx.places, tiles=tiles)


def render(ctx: ui.Context) -> None:
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
    fig = _figure(ctx.unselected(), tiles)
    located = ctx.events["place_id"].isin(set(pkg.places["place_id"]))
    filters = ui.active_filters(ctx)
    state = ui.chart(
        fig,
        publish.Meta(
            name="nagorno-karabakh-map",
            title=f"Where {int(located.sum()):,} events of the Nagorno-Karabakh conflict "
            "took place",
            subtitle="Marker size follows deaths or displacement where a source gives a figure. "
            + ("Filtered by " + "; ".join(filters) if filters else "Every event with a place."),
            source="the sources cited for each event"
            + ("; map tiles © OpenStreetMap contributors" if tiles else ""),
        ),
        key=f"map_chart_{int(tiles)}",
        svg=not tiles,
        config={"scrollZoom": True},
        link_drops=("event",),
        on_select="rerun",
        selection_mode="points",
        alt=f"Map of the {int(located.sum()):,} events with a place; the list under the map "
        "opens each of them.",
    )
    cover = stats.map_coverage(ctx.events, pkg.places, charts.REGION["lon"], charts.REGION["lat"])
    notes = [f"{cover.unplaced:,} events have no place and are not on the map."]
    if len(cover.outside):
        where = ", ".join(
            f"{ui.md(ctx.places.get(place, place))} {n}" for place, n in cover.outside.items()
        )
        notes.append(f"{cover.outside.sum():,} took place outside this view: {where}.")
    st.caption(
        "Marker size follows deaths or displacement where the sources give a figure. "
        + " ".join(notes)
        + (
            ""
            if tiles
            else " Borders: Natural Earth (public domain), the internationally "
            "recognised lines of today."
        )
    )
    ui.follow("map_chart", picked_event(state), ctx.view.event)
    ui.event_picker(
        ctx, ctx.events[located], key="map_pick", label="Open an event shown on the map"
    )
    ui.show_card(ctx)


if __name__ == "__main__":
    render(ui.current_context())
