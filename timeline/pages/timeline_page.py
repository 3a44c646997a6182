"""Timeline: every filtered event on one chart, its card on click, and the same as a table."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import streamlit as st

from timeline import charts, publish, ui


def picked_event(state) -> str | None:
    """The event id of the first point selected in a chart, if any."""
    points = (state or {}).get("selection", {}).get("points", []) if state else []
    for point in points:
        data = point.get("customdata")
        if data:
            return str(data[0])
    return None


def _within(dates: tuple[str, str], bounds: tuple[dt.date, dt.date]) -> tuple[dt.date, dt.date]:
    """ISO dates as a date filter the data's range allows."""
    lo, hi = (dt.date.fromisoformat(d) for d in dates)
    return max(lo, bounds[0]), min(hi, bounds[1])


def _preset_dates(name: str, bounds: tuple[dt.date, dt.date]) -> tuple[dt.date, dt.date]:
    return _within(charts.ZOOM_PRESETS[name], bounds)


def _preset_of(ctx: ui.Context, bounds: tuple[dt.date, dt.date]) -> str | None:
    """The zoom preset whose dates the current date filter is, if any."""
    shown = (ctx.view.start or bounds[0], ctx.view.end or bounds[1])
    for name in charts.ZOOM_PRESETS:
        if _preset_dates(name, bounds) == shown:
            return name
    return None


def _zoom_to(bounds: tuple[dt.date, dt.date]) -> None:
    """A preset is a date filter: it sets the sidebar's dates (and so from/to in the URL);
    choosing it again clears it back to every date."""
    name = st.session_state.get("zoom")
    if name in charts.ZOOM_PRESETS:
        st.session_state["f_dates"] = _preset_dates(name, bounds)
    else:
        st.session_state["f_dates"] = bounds


def _zoom_to_cluster(picked: str | None, bounds: tuple[dt.date, dt.date]) -> str | None:
    """A marker standing for several events sets the date filter to their dates (where they
    part into markers of their own); an event's marker is passed on to open its card."""
    dates = charts.cluster_dates(picked) if picked else None
    if dates is None:
        return picked
    # its own record of picks: the chart's event picks go through ui.follow
    if ui.new_pick("timeline_cluster", picked):
        st.session_state["f_dates"] = _within(dates, bounds)
        st.rerun()
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
    bounds = ui.vocabulary(ctx.package).dates
    st.session_state["zoom"] = _preset_of(ctx, bounds)
    st.segmented_control(
        "Show only the dates of",
        list(charts.ZOOM_PRESETS),
        key="zoom",
        on_change=_zoom_to,
        args=(bounds,),
        help="Sets the date filter in the sidebar (and in the page address); "
        "click the same button again to show every date.",
    )
    fig = _figure(ctx, (ctx.view.start, ctx.view.end))
    lo, hi = (d.year for d in (ctx.view.start or bounds[0], ctx.view.end or bounds[1]))
    years = f"{lo}" if lo == hi else f"{lo}–{hi}"
    filters = ui.active_filters(ctx)
    state = ui.chart(
        fig,
        publish.Meta(
            name=f"nagorno-karabakh-timeline-{years}",
            title=f"Nagorno-Karabakh: {len(ctx.events):,} events, {years}",
            subtitle="By category; bars are periods. "
            + ("Filtered by " + "; ".join(filters) if filters else "Every event in the data."),
            source="the sources cited for each event (listed in the table under the chart)",
        ),
        key="timeline_chart",
        on_select="rerun",
        selection_mode="points",
        alt=f"Timeline of {len(ctx.events):,} events by category; the same events are listed "
        "in the table below the chart.",
    )
    picked = _zoom_to_cluster(picked_event(state), bounds)
    if len(ctx.events) > charts.DETAIL_THRESHOLD:
        st.caption(
            f"More events than can be read one by one ({len(ctx.events):,}): the chart shows "
            "how many fall in each period, by category. Narrow the dates or filters to below "
            f"{charts.DETAIL_THRESHOLD:,} events to see each one and open its card."
        )
    else:
        st.caption(
            "Click a marker, or a title in the table, to open its card. Markers close in time "
            "are stacked in rows within their category; where too many fall close together, a "
            "larger marker outlined in black stands for them: click it to show their dates. "
            "Coloured bars are periods; the top lane shows the eras. Drag across the chart to "
            "look closer."
        )
    ui.follow("timeline_chart", picked, selected)
    ui.event_picker(ctx, ctx.events, key="timeline_pick", label="Open an event")
    st.header("The same events as a table")
    ui.follow("timeline_table", ui.events_table(ctx, ctx.events, key="timeline_table"), selected)
    ui.show_card(ctx)
    ui.downloads(ctx)


if __name__ == "__main__":
    render(ui.current_context())
