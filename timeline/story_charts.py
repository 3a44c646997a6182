"""Figures for the Stories page and the human-cost view: thin builders over charts.py."""

from __future__ import annotations

import html
import textwrap

import pandas as pd
import plotly.graph_objects as go

from timeline import charts
from timeline.stories import Step

NOTE_WIDTH = 66
"""Characters per line of the note under the cost chart: fits a 390 px phone column."""
MAP_SPAN = (1.2, 0.8)
"""Degrees of longitude and latitude a story's map shows each side of its step: Nagorno-Karabakh
and the neighbouring districts (the map's fixed aspect widens the shorter side to fit)."""


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
    fig.update_layout(showlegend=False)  # the card beside it names the category
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


def _short(text: str, n: int = 56) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _range_lines(
    labels: list[str], lows: pd.Series, highs: pd.Series, colour: str, width: int, name: str = ""
) -> go.Scatter:
    """One line per row from its lowest to its highest figure (gaps between rows), drawn under
    the marks; no hover of its own."""
    xs: list = []
    ys: list = []
    for label, lo, hi in zip(labels, lows, highs, strict=True):
        xs += [float(lo), float(hi), None]
        ys += [label, label, None]
    return go.Scatter(
        x=xs,
        y=ys,
        mode="lines",
        line={"color": colour, "width": width},
        hoverinfo="skip",
        showlegend=False,
        name=name or None,
    )


def cost_figure(rows: pd.DataFrame, measure_label: str, not_counted: str) -> go.Figure:
    """Each counted total (or an era's other events, summed) as a range from the lowest to the
    highest figure the sources give, on a log axis: 2 and 1,000,000 on one readable scale.

    `not_counted` is printed on the chart, so a saved image says what it leaves out."""
    labels = [html.escape(_short(str(r))) for r in rows["row"]]
    note = "<br>".join(html.escape(line) for line in textwrap.wrap(not_counted, NOTE_WIDTH))
    note_lines = note.count("<br>") + 1
    colour = charts.PALETTE.get("violence_against_civilians", "#D55E00")
    custom = [
        [f"{int(lo):,}", f"{int(hi):,}", int(n)]
        for lo, hi, n in zip(rows["low"], rows["high"], rows["events"], strict=True)
    ]
    hover = (
        "<b>%{y}</b><br>" + html.escape(measure_label) + ": %{customdata[0]} to "
        "%{customdata[1]}<br>%{customdata[2]} event(s)<extra></extra>"
    )
    fig = go.Figure(
        [
            _range_lines(labels, rows["low"], rows["high"], colour, 6, name="Range"),
            go.Scatter(
                x=rows["low"].astype(float),
                y=labels,
                mode="markers",
                name="Lowest figure",
                marker={"color": colour, "size": 11, "symbol": "circle"},
                customdata=custom,
                hovertemplate=hover,
            ),
            go.Scatter(
                x=rows["high"].astype(float),
                y=labels,
                mode="markers",
                name="Highest figure",
                marker={"color": "white", "size": 11, "line": {"color": colour, "width": 2}},
                customdata=custom,
                hovertemplate=hover,
            ),
        ]
    )
    fig.update_layout(
        height=120 + charts.ROW_LABEL_PX * len(rows),
        font={"family": charts.FONT, "size": 13},
        xaxis={
            "type": "log",
            "title": html.escape(measure_label) + " (log scale)",
            "gridcolor": "#eeeeee",
        },
        yaxis={"autorange": "reversed", "showticklabels": False},
        showlegend=False,  # the subtitle says it: a legend covered the title on a phone
        margin={"l": 8, "r": 8, "t": 40, "b": 56 + 15 * note_lines},
        plot_bgcolor="white",
    )
    for label in charts.labels_above_rows(labels):
        fig.add_annotation(label)
    fig.add_annotation(
        text=note,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-50,
        xanchor="left",
        yanchor="top",
        showarrow=False,
        align="left",
        font={"size": 11, "color": "#444"},
        name="not-counted",
    )
    return fig


SIDE_COLOURS = {"armenian": charts.PERSPECTIVE_COLOURS["armenian"], "azerbaijani": "#0072B2"}
STATUS_SYMBOLS = {"military": "circle", "civilian": "diamond", "all": "square"}


def side_figure(rows: pd.DataFrame) -> go.Figure:
    """Each side's dead per war, soldiers and civilians apart, one mark per figure a party gives
    (a line from its low to its high), coloured by side, on a log axis: 1 and 30,000 readable."""
    labels = [html.escape(r) for r in dict.fromkeys(rows["row"])]
    fig = go.Figure()
    for (side, status), sub in rows.groupby(["side", "status"], sort=False):
        colour = SIDE_COLOURS.get(side, "#555555")
        spread = sub[sub["high"] > sub["low"]]
        if len(spread):
            rows_shown = [html.escape(r) for r in spread["row"]]
            fig.add_trace(_range_lines(rows_shown, spread["low"], spread["high"], colour, 5))
        figure = [
            f"{lo:,}" if lo == hi else f"{lo:,}–{hi:,}"
            for lo, hi in zip(sub["low"], sub["high"], strict=True)
        ]
        given = [
            html.escape(_short(f"{g}, {d}" if isinstance(d, str) and d else str(g), 90))
            for g, d in zip(sub["given_by"], sub["date"], strict=True)
        ]
        fig.add_trace(
            go.Scatter(
                x=sub["low"].astype(float),
                y=[html.escape(r) for r in sub["row"]],
                mode="markers",
                name=html.escape(f"{side.capitalize()} side, {status}"),
                marker={
                    "color": colour,
                    "size": 11,
                    "symbol": STATUS_SYMBOLS.get(status, "circle"),
                    "line": {"color": "white", "width": 1},
                },
                customdata=[[f, g] for f, g in zip(figure, given, strict=True)],
                hovertemplate="<b>%{customdata[0]}</b> dead<br>%{customdata[1]}<extra></extra>",
                showlegend=False,
            )
        )
    for label in charts.labels_above_rows(labels):
        fig.add_annotation(label)
    fig.update_layout(
        height=110 + charts.ROW_LABEL_PX * len(labels),
        font={"family": charts.FONT, "size": 13},
        xaxis={"type": "log", "title": "Dead (log scale)", "gridcolor": "#eeeeee"},
        yaxis={
            "autorange": "reversed",
            "showticklabels": False,
            "categoryorder": "array",
            "categoryarray": labels,
        },
        showlegend=False,
        margin={"l": 8, "r": 8, "t": 40, "b": 8},
        plot_bgcolor="white",
    )
    return fig
