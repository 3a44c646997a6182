"""Figures for the Stories page and the human-cost view: thin builders over charts.py."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from timeline import charts
from timeline.stories import Step

MAP_SPAN = (2.4, 1.5)
"""Degrees of longitude and latitude a story's map shows around its step: the whole of
Nagorno-Karabakh and the neighbouring districts, with room for the labels."""


def in_window(events: pd.DataFrame, step: Step) -> pd.DataFrame:
    """The events that overlap the step's window (always including the step's own event)."""
    first, last = pd.Timestamp(step.window[0]), pd.Timestamp(step.window[1])
    inside = (events["start"] <= last) & (events["stop"].fillna(events["start"]) >= first)
    return events[inside | (events["id"] == step.event_id)]


def story_timeline(
    events: pd.DataFrame, eras: pd.DataFrame, place_names: pd.Series, step: Step
) -> go.Figure:
    """The timeline zoomed to the step's window, the step's event ringed."""
    return charts.timeline_figure(
        in_window(events, step),
        eras,
        place_names=place_names,
        selected=step.event_id,
        window=step.window,
    )


def story_map(
    events: pd.DataFrame, places: pd.DataFrame, place_names: pd.Series, step: Step
) -> go.Figure:
    """The events of the step's window on the plain map, centred on the step's place and ringed.

    A step without a place keeps the whole region in view."""
    shown = in_window(events, step)
    fig = charts.map_figure(shown, places, place_names)
    row = events[events["id"] == step.event_id]
    if row.empty or "lat" not in row or pd.isna(row["lat"].iloc[0]):
        return fig
    lat, lon = float(row["lat"].iloc[0]), float(row["lon"].iloc[0])
    dx, dy = MAP_SPAN
    fig.update_xaxes(range=[lon - dx, lon + dx])
    fig.update_yaxes(range=[lat - dy, lat + dy])
    fig.add_trace(
        go.Scatter(
            x=[lon],
            y=[lat],
            mode="markers",
            marker={"size": 34, "color": "rgba(0,0,0,0)", "line": {"color": "#111", "width": 3}},
            hovertext=html.escape(str(row["title"].iloc[0])),
            hoverinfo="text",
            showlegend=False,
            name="This step",
        )
    )
    return fig
