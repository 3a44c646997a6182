"""Timeline: every filtered event on one chart, its card on click, and the same as a table."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from timeline import charts, ui


def picked_event(state) -> str | None:
    """The event id of the first point selected in a chart, if any."""
    points = (state or {}).get("selection", {}).get("points", []) if state else []
    for point in points:
        data = point.get("customdata")
        if data:
            return str(data[0])
    return None


@ui.cached()
def _figure(ctx: ui.Context, window: tuple | None) -> go.Figure:
    return charts.timeline_figure(
        ctx.events, ctx.package.eras, place_names=ctx.places, selected=ctx.view.event, window=window
    )


def render(ctx: ui.Context) -> None:
    st.title("Timeline")
    ui.count_line(ctx)
    if ctx.events.empty:
        return
    selected = ctx.view.event
    zoom = st.segmented_control(
        "Zoom to",
        list(charts.ZOOM_PRESETS),
        default="All",
        key="zoom",
    )
    window = charts.ZOOM_PRESETS.get(zoom or "All")
    fig = _figure(ctx, window)
    state = st.plotly_chart(
        fig,
        key="timeline_chart",
        on_select="rerun",
        selection_mode="points",
        config={"displaylogo": False, "toImageButtonOptions": {"filename": "timeline"}},
        width="stretch",
    )
    picked = picked_event(state)
    if len(ctx.events) > charts.DETAIL_THRESHOLD:
        st.caption(
            f"More events than can be read one by one ({len(ctx.events):,}): the chart shows "
            "how many fall in each period, by category. Narrow the dates or filters to below "
            f"{charts.DETAIL_THRESHOLD:,} events to see each one and open its card."
        )
    else:
        st.caption(
            "Click a marker to open its card. Coloured bars are periods; grey bands are eras. "
            "Drag the slider under the chart, or drag across the chart, to narrow the view."
        )
    ui.follow("timeline_chart", picked, selected)
    card = st.container()
    st.subheader("The same events as a table")
    ui.follow("timeline_table", ui.events_table(ctx, ctx.events, key="timeline_table"), selected)
    with card:
        if selected:
            ui.event_card(ctx, selected)
            st.button("Close the card", on_click=ui.select_event, args=(None,), key="close_card")
    ui.downloads(ctx)


if __name__ == "__main__":
    render(ui.current_context())
