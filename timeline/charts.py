"""Pure Plotly figure builders: DataFrame in, go.Figure out. No Streamlit here."""

from __future__ import annotations

import functools
import html
import json
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from timeline import stats
from timeline.schema import CATEGORIES, PERSPECTIVES, era_span

# Okabe-Ito, safe for the common forms of colour-blindness, with orange and sky blue darkened
# (and sky blue turned violet) so every mark has 3:1 against white (#E69F00 had 2.3:1,
# #56B4E9 2.3:1); symbols add a second cue. Colour and symbol belong to the category, not to
# its position among those shown, so a category looks the same in every view.
PALETTE = {
    "political": "#0072B2",
    "military": "#D55E00",
    "ceasefire_diplomacy": "#009E73",
    "violence_against_civilians": "#CC79A7",
    "humanitarian": "#A86F00",
    "displacement": "#7B61A8",
    "legal_international": "#555555",
}
EXTRA_COLOURS = ["#000000", "#767676", "#8C7A00", "#882255", "#2E8B7A", "#117733"]
SYMBOLS = ["circle", "diamond", "square", "triangle-up", "x", "star", "hexagon", "cross"]
PERSPECTIVE_COLOURS = {
    "armenian": "#A86F00",
    "azerbaijani": "#0072B2",
    "international": "#009E73",
    "russian": "#D55E00",
    "turkish": "#CC79A7",
    "other": "#767676",
}
# Date windows offered as one-click date filters (they set from/to in the URL).
ZOOM_PRESETS = {
    "1918–23": ("1918-01-01", "1923-12-31"),
    "1988–94": ("1988-01-01", "1994-12-31"),
    "2020 war": ("2020-09-27", "2020-11-10"),
    "Blockade & offensive": ("2022-12-01", "2023-10-31"),
}
# Above this many events the timeline and overview draw counts per time bin. Measured by
# bench/threshold.py (see bench/README.md): about 150 bytes of figure per marker, so 3,000 stay
# under half the 1 MB budget; WebGL from 1,500 (SVG drawing grows by ~0.8 ms per marker).
DETAIL_THRESHOLD = 3000
ARRIVALS_WINDOW = ("2023-09-18", "2023-10-06")
FONT = "Source Sans Pro, Source Sans 3, sans-serif"


def _trace(kind: str, **props) -> dict:
    return {"type": kind, **props}


def _merge(into: dict, update: dict) -> dict:
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value
    return into


class _Fig:
    """Traces and layout as plain dicts, turned into a Figure once, without re-validation.

    Plotly validates every property on every call; for a few hundred points that is most of
    the cost of a rerun. The builders here only emit known properties, and the tests check the
    figures they make.
    """

    def __init__(self, layout: dict | None = None) -> None:
        self.traces: list[dict] = []
        self.layout: dict = dict(layout or {})

    def add_trace(self, trace: dict) -> None:
        self.traces.append(trace)

    def add_traces(self, traces: list[dict]) -> None:
        self.traces.extend(traces)

    def update_layout(self, **props) -> None:
        _merge(self.layout, props)

    def build(self) -> go.Figure:
        return go.Figure(data=self.traces, layout=self.layout, _validate=False)


def category_label(category: str) -> str:
    return CATEGORIES.get(category, str(category))


def category_order(categories: pd.Series) -> list[str]:
    present = {str(c) for c in categories.dropna().unique()}
    known = [c for c in CATEGORIES if c in present]
    return known + sorted(present - set(known))


def category_style(order: list[str]) -> dict[str, tuple[str, str]]:
    """Colour and symbol per category, fixed by the category itself (its place in CATEGORIES;
    unknown categories by their sorted name), whichever others are shown beside it."""
    known = list(CATEGORIES)
    unknown = sorted(c for c in order if c not in known)
    style = {}
    for cat in order:
        if cat in known:
            i = known.index(cat)
            colour = PALETTE.get(cat, EXTRA_COLOURS[i % len(EXTRA_COLOURS)])
        else:
            i = len(known) + unknown.index(cat)
            colour = EXTRA_COLOURS[unknown.index(cat) % len(EXTRA_COLOURS)]
        style[cat] = (colour, SYMBOLS[i % len(SYMBOLS)])
    return style


def esc(text: object, wrap: int | None = None) -> str:
    """Data text made inert for Plotly (titles, hover, legend labels, annotations).

    Plotly renders a small set of HTML tags in text, so every `<`, `>` and `&` of the data is
    escaped. With `wrap`, long text is broken into lines of about that many characters, so a
    tooltip fits on a 390 px phone instead of running off both sides.
    """
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    value = str(text)
    if wrap and len(value) > wrap:
        return "<br>".join(html.escape(line) for line in textwrap.wrap(value, wrap))
    return html.escape(value)


# The shared look of every figure, in one Plotly template (issue 15): fonts, white ground,
# readable tooltips (dark text on white with a border: 15:1, where grey-on-white was 3.7:1),
# a horizontal legend above the plot.
TEMPLATE = {
    "layout": {
        "font": {"family": FONT, "size": 13, "color": "#222222"},
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "hoverlabel": {
            "bgcolor": "white",
            "bordercolor": "#444444",
            "font": {"family": FONT, "size": 13, "color": "#111111"},
            "namelength": -1,
            "align": "left",
        },
        "legend": {
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.02,
            "x": 0,
            "title": {"text": ""},
        },
        "hovermode": "closest",
        "xaxis": {"gridcolor": "#eeeeee", "linecolor": "#767676"},
        "yaxis": {"gridcolor": "#eeeeee", "linecolor": "#767676"},
    }
}
HOVER_WRAP = 44


def _base_layout(fig: _Fig, height: int) -> _Fig:
    fig.update_layout(
        template=TEMPLATE,
        height=height,
        margin=dict(l=8, r=8, t=48, b=8),
    )
    return fig


def _era_shapes(eras: pd.DataFrame | None) -> list[dict]:
    """Eras as shaded bands behind the data (one layout update, not one call per band)."""
    if eras is None or eras.empty:
        return []
    first, last = era_span(eras)
    return [
        dict(
            type="rect",
            xref="x",
            yref="paper",
            x0=lo,
            x1=hi,
            y0=0,
            y1=1,
            layer="below",
            fillcolor="#8c8c8c" if i % 2 else "#bdbdbd",
            opacity=0.14,
            line=dict(width=0),
        )
        for i, (lo, hi) in enumerate(zip(first, last, strict=True))
        if not (pd.isna(lo) or pd.isna(hi))
    ]


def _hover_rows(frame: pd.DataFrame, place_names: pd.Series | None) -> np.ndarray:
    """id, date, title and place of each row, escaped and wrapped for a phone-wide tooltip,
    as one array (cheap to validate)."""
    place = (
        frame["place_id"].astype("object").map(place_names).fillna("").astype(str)
        if place_names is not None
        else pd.Series("", index=frame.index)
    )
    columns = (frame["id"], frame["date_label"], frame["title"].fillna(""), place)
    out = np.empty((len(frame), 4), dtype=object)
    for k, col in enumerate(columns):
        values = col.astype(str).to_numpy(dtype=object)
        out[:, k] = values if k == 0 else [esc(v, HOVER_WRAP) for v in values]
    return out


HOVER = "<b>%{customdata[2]}</b><br>%{customdata[1]}<br>%{customdata[3]}<extra></extra>"


def stack_rows(
    start: pd.Series, stop: pd.Series, gap: pd.Timedelta, max_rows: int = 8
) -> np.ndarray:
    """A row within its lane for each event, so that no two events closer than `gap` (or
    overlapping periods) share a row: each marker keeps a spot of its own to hover and click.

    Greedy in date order: an event takes the first row whose last event ended `gap` before it.
    Past `max_rows` (a century on one screen) it takes the row that has been free longest;
    those markers part once the dates are narrowed (a zoom preset or a drag).
    """
    order = np.argsort(start.to_numpy(), kind="stable")
    lo = start.to_numpy()[order]
    hi = np.maximum(stop.fillna(start).to_numpy()[order], lo)
    ends: list = []
    rows = np.zeros(len(lo), dtype=int)
    for i, (a, b) in enumerate(zip(lo, hi, strict=True)):
        for k, end in enumerate(ends):
            if a - end >= gap:
                ends[k] = b
                rows[i] = k
                break
        else:
            if len(ends) < max_rows:
                ends.append(b)
                rows[i] = len(ends) - 1
            else:
                k = int(np.argmin(ends))
                ends[k] = max(ends[k], b)
                rows[i] = k
    out = np.empty(len(lo), dtype=int)
    out[order] = rows
    return out


PLOT_PX = 880
"""The timeline's plot width on a 1440 px screen with the sidebar open: markers are spaced for
it (wider screens only part them more)."""
ROW_PX = 16  # one row of markers: an 11 px marker and room around it to pick it alone
MARKER_PX = 11
CLUSTER_PX = 17
MAX_ROWS = 8
CLUSTER = "dates:"
"""The id of a marker that stands for several events: `dates:<first>|<last>`. Clicking it
sets the date filter to those dates, where the events part into markers of their own."""
CLUSTER_TITLES = 6


def cluster_dates(marker_id: str) -> tuple[str, str] | None:
    """The first and last date (ISO) a cluster marker covers, or None for an event's id."""
    if not marker_id.startswith(CLUSTER):
        return None
    lo, _, hi = marker_id[len(CLUSTER) :].partition("|")
    return lo, hi


def _clusters(points: pd.DataFrame, gap: pd.Timedelta, origin: pd.Timestamp) -> pd.DataFrame:
    """A lane too dense for MAX_ROWS rows at this span: the events of each slot `gap` wide
    become one marker with their count (an event alone in its slot keeps its own marker), so
    every marker can still be hovered and clicked on its own."""
    slot = ((points["start"] - origin) // gap).astype(int)
    out = []
    for _, group in points.groupby(slot.to_numpy(), sort=True):
        if len(group) == 1:
            out.append(group.assign(n=1))
            continue
        group = group.sort_values("start", kind="stable")
        lo, hi = group["start"].min(), group["stop"].fillna(group["start"]).max()
        hi = max(hi, group["start"].max())
        titles = [esc(t, HOVER_WRAP) for t in group["title"].head(CLUSTER_TITLES)]
        if len(group) > CLUSTER_TITLES:
            titles.append(f"and {len(group) - CLUSTER_TITLES:,} more")
        first, last = lo.strftime("%Y-%m-%d"), hi.strftime("%Y-%m-%d")
        label = (
            lo.strftime("%b %Y")
            if first[:7] == last[:7]
            else (f"{lo.strftime('%b %Y')} – {hi.strftime('%b %Y')}")
        )
        out.append(
            pd.DataFrame(
                {
                    "id": [f"{CLUSTER}{first}|{last}"],
                    "start": [lo + (group["start"].max() - lo) / 2],
                    "stop": [pd.NaT],
                    "category": [group["category"].iloc[0]],
                    "date_label": ["Click to show these dates"],
                    "title": [f"{len(group):,} events, {label}"],
                    "place_id": [None],
                    "is_period": [False],
                    "n": [len(group)],
                    "list": ["<br>".join(titles)],
                }
            )
        )
    return pd.concat(out, ignore_index=True)


def timeline_figure(
    events: pd.DataFrame,
    eras: pd.DataFrame | None = None,
    *,
    place_names: pd.Series | None = None,
    selected: str | None = None,
    window: tuple[str, str] | None = None,
    detail_threshold: int = DETAIL_THRESHOLD,
    width_px: int = PLOT_PX,
) -> go.Figure:
    """Events by category lane: markers for days, bars for periods, eras as a lane on top.

    Markers that would touch at the shown span (the filter's dates, or `window`) are stacked
    in rows within their lane, so each can be hovered and clicked on its own; zooming in only
    moves them apart. The x axis and the range slider cover the shown span, not the century.
    With more events than `detail_threshold` the figure shows their density per time bin
    instead, so the payload stays small at any table size.
    """
    if len(events) > detail_threshold:
        return density_figure(events, eras)
    order = category_order(events["category"])
    style = category_style(order)
    lanes = {c: category_label(c) for c in order}
    extent = _window(window, events)
    if extent:
        span = pd.Timestamp(extent[1]) - pd.Timestamp(extent[0])
        gap = span * (1.6 * MARKER_PX / width_px)
    else:
        gap = pd.Timedelta(days=1)
    slim = events[
        ["id", "start", "stop", "category", "date_label", "title", "place_id", "is_period"]
    ].copy()
    slim["row"] = 0
    slim["n"] = 1
    lanes_out = []
    for cat in order:
        lane = slim[(slim["category"] == cat).to_numpy()]
        if lane.empty:
            continue
        rows = stack_rows(lane["start"], lane["stop"], gap, max_rows=len(lane))
        if rows.max() >= MAX_ROWS and extent:
            lane = _clusters(lane, gap, pd.Timestamp(extent[0]))
            rows = stack_rows(lane["start"], lane["stop"], gap, max_rows=len(lane))
        lanes_out.append(lane.assign(row=rows))
    slim = pd.concat(lanes_out, ignore_index=True)
    if "list" not in slim:
        slim["list"] = None
    # lanes from the top: the first category on top, each as tall as its rows
    heights = {c: int(slim.loc[slim["category"] == c, "row"].max()) + 1 for c in order}
    base, y = {}, 0.0
    for cat in reversed(order):
        base[cat] = y
        y += heights[cat] + 0.9
    slim["y"] = slim["category"].astype("object").map(base).astype(float) + slim["row"]
    fig = _Fig()
    era_y = y + 0.2 if eras is not None and not eras.empty else None
    if era_y is not None:
        _era_lane(fig, eras, lane=era_y)
    scatter = "scattergl" if len(events) > 1500 else "scatter"
    by_category = dict(tuple(slim.groupby("category", observed=True, sort=False)))
    traces = []
    for cat in order:
        colour, symbol = style[cat]
        points = by_category[cat]
        rows = points[points["is_period"]]
        if len(rows):
            xs, ys = [], []
            for lo, hi, row_y in zip(rows["start"], rows["stop"], rows["y"], strict=True):
                xs += [lo, hi, None]
                ys += [row_y, row_y, None]
            traces.append(
                _trace(
                    "scatter",
                    x=xs,
                    y=ys,
                    mode="lines",
                    line=dict(color=colour, width=8),
                    opacity=0.35,
                    hoverinfo="skip",
                    showlegend=False,
                    name=f"{lanes[cat]} periods",
                )
            )
        many = points["n"].to_numpy() > 1
        custom = _hover_rows(points, place_names)
        if many.any():
            custom[many, 3] = points.loc[many, "list"].to_numpy()
        traces.append(
            _trace(
                scatter,
                x=points["start"],
                y=points["y"],
                mode="markers",
                name=esc(lanes[cat]),
                marker=dict(
                    color=colour,
                    symbol=symbol,
                    size=np.where(many, CLUSTER_PX, MARKER_PX),
                    line=dict(color=np.where(many, "#111111", "white"), width=1),
                ),
                customdata=custom,
                hovertemplate=HOVER,
            )
        )
    if selected is not None and (slim["id"] == selected).any():
        row = slim[slim["id"] == selected].iloc[0]
        traces.append(
            _trace(
                "scatter",
                x=[row["start"]],
                y=[row["y"]],
                mode="markers",
                marker=dict(size=20, color="rgba(0,0,0,0)", line=dict(color="#111", width=3)),
                hoverinfo="skip",
                showlegend=False,
                name="Selected",
            )
        )
    fig.add_traces(traces)
    lane_labels = [
        dict(
            x=0,
            xref="paper",
            xanchor="left",
            y=base[cat] + heights[cat] - 1,
            yref="y",
            yshift=14,
            text=esc(lanes[cat]),
            showarrow=False,
            font=dict(size=12, color="#333333"),
            bgcolor="rgba(255,255,255,0.85)",
        )
        for cat in order
    ]
    if era_y is not None:
        lane_labels += _era_labels(eras, extent, era_y)
    fig.update_layout(shapes=_era_shapes(eras), annotations=lane_labels)
    top = (era_y + 0.6) if era_y is not None else y
    _base_layout(fig, height=int(150 + ROW_PX * (top + 1)))
    fig.update_layout(
        xaxis=dict(
            type="date",
            rangeslider=dict(visible=True, thickness=0.06, range=extent),
            showgrid=True,
            range=extent,
        ),
        yaxis=dict(
            range=[-0.8, top],
            fixedrange=True,
            showticklabels=False,
            showgrid=False,
            zeroline=False,
        ),
        margin=dict(l=8, r=8, t=56, b=8),
        uniformtext=dict(minsize=9, mode="hide"),
        dragmode="zoom",
        clickmode="event+select",
        meta={"lanes": {lanes[c]: base[c] for c in order}, "era_lane": era_y},
    )
    return fig.build()


def _era_labels(eras: pd.DataFrame, extent: list | None, lane: float) -> list[dict]:
    """Names of the eras wide enough, in the shown span, to carry their name (12% of it)."""
    first, last = era_span(eras)
    lo = pd.Timestamp(extent[0]) if extent else first.min()
    hi = pd.Timestamp(extent[1]) if extent else last.max()
    span = hi - lo
    labels = []
    for label, a, b in zip(eras["label"], first, last, strict=True):
        a, b = max(a, lo), min(b, hi)
        if pd.isna(a) or pd.isna(b) or b <= a or (b - a) < span * 0.12:
            continue
        labels.append(
            dict(
                x=a + (b - a) / 2,
                y=lane,
                yref="y",
                text=esc(label),
                showarrow=False,
                font=dict(size=10, color="#333"),
            )
        )
    return labels


def _window(window, events: pd.DataFrame) -> list[pd.Timestamp] | None:
    """The shown span: the given window (a date filter; either end may be None, then the
    events' own end is used), padded a little so markers on its edges are whole."""
    extent = _extent(events)
    if not window or all(w is None for w in window):
        return extent
    lo, hi = (pd.Timestamp(w) if w is not None else None for w in window)
    lo = lo if lo is not None else (extent[0] if extent else None)
    hi = hi if hi is not None else (extent[1] if extent else None)
    if lo is None or hi is None:
        return extent
    pad = max((hi - lo) * 0.015, pd.Timedelta(days=1))
    return [lo - pad, hi + pad]


def _extent(events: pd.DataFrame) -> list[pd.Timestamp] | None:
    """The span of the events with a margin, so a narrow selection is not lost in a century."""
    if events.empty or events["start"].isna().all():
        return None
    lo, hi = events["start"].min(), events["stop"].max()
    pad = max((hi - lo) * 0.03, pd.Timedelta(days=2))
    return [lo - pad, hi + pad]


def _era_lane(fig: _Fig, eras: pd.DataFrame | None, lane: float):
    """Eras as labelled bars in a lane of their own; a label shows only where it fits."""
    if eras is None or eras.empty:
        return None
    first, last = era_span(eras)
    span_ms = (last - first).dt.total_seconds() * 1000 + 86_400_000
    fig.add_trace(
        _trace(
            "bar",
            base=first,
            x=span_ms,
            y=[lane] * len(eras),
            orientation="h",
            text=[esc(label) for label in eras["label"]],
            textposition="inside",
            insidetextanchor="middle",
            textfont=dict(color="#222"),
            marker=dict(color=["#d9d9d9" if i % 2 else "#c2c2c2" for i in range(len(eras))]),
            hovertemplate="%{text}<extra></extra>",
            showlegend=False,
            name="Eras",
            width=0.7,
        )
    )
    return lane


def density_figure(
    events: pd.DataFrame, eras: pd.DataFrame | None = None, freq: str | None = None
) -> go.Figure:
    """Counts of events per time bin, stacked by category: the level of detail for big tables."""
    order = category_order(events["category"])
    style = category_style(order)
    span = (events["start"].max() - events["start"].min()).days if len(events) else 0
    freq = freq or ("D" if span <= 400 else "MS" if span <= 12_000 else "YS")
    start = events["start"]
    if freq == "YS":
        key = start.dt.year
    elif freq == "MS":
        key = start.dt.year * 100 + start.dt.month
    else:
        key = start.dt.normalize()
    binned = (
        pd.DataFrame({"key": key, "category": events["category"]})
        .groupby(["key", "category"], observed=True)
        .size()
        .rename("n")
        .reset_index()
    )
    if freq == "YS":
        binned["start"] = pd.to_datetime(binned["key"].astype(int).astype(str) + "-01-01")
    elif freq == "MS":
        k = binned["key"].astype(int)
        binned["start"] = pd.to_datetime(
            (k // 100).astype(str) + "-" + (k % 100).astype(str).str.zfill(2) + "-01"
        )
    else:
        binned["start"] = binned["key"]
    fig = _Fig(dict(shapes=_era_shapes(eras)))
    for cat in order:
        rows = binned[binned["category"] == cat]
        fig.add_trace(
            _trace(
                "bar",
                x=rows["start"],
                y=rows["n"],
                name=esc(category_label(cat)),
                marker=dict(color=style[cat][0]),
                hovertemplate="%{x|%Y-%m-%d}: %{y} events<extra>"
                + esc(category_label(cat))
                + "</extra>",
            )
        )
    _base_layout(fig, height=420)
    fig.update_layout(
        barmode="stack",
        bargap=0,
        xaxis=dict(type="date", rangeslider=dict(visible=True, thickness=0.07)),
        yaxis=dict(title="events per " + {"D": "day", "MS": "month", "YS": "year"}[freq]),
        meta={"level_of_detail": "density"},
    )
    return fig.build()


def overview_figure(
    events: pd.DataFrame, eras: pd.DataFrame, detail_threshold: int = DETAIL_THRESHOLD
) -> go.Figure:
    """The whole history on one strip: eras shaded, one tick per event (or, for big tables,
    events per year stacked by category)."""
    if len(events) > detail_threshold:
        fig = density_figure(events, eras, freq="YS")
        fig.update_layout(
            height=220,
            xaxis=dict(rangeslider=dict(visible=False)),
            showlegend=False,
            margin=dict(l=8, r=8, t=10, b=24),
        )
        return fig
    fig = _Fig(dict(shapes=_era_shapes(eras)))
    _era_lane(fig, eras, lane=1.0)
    order = category_order(events["category"])
    style = category_style(order)
    for cat in order:
        rows = events[events["category"] == cat]
        fig.add_trace(
            _trace(
                "scatter",
                x=rows["start"],
                y=[0.0] * len(rows),
                mode="markers",
                name=esc(category_label(cat)),
                marker=dict(
                    symbol="line-ns-open", size=16, color=style[cat][0], line=dict(width=2)
                ),
                customdata=_hover_rows(rows, None),
                hovertemplate=HOVER,
            )
        )
    _base_layout(fig, height=190)
    fig.update_layout(
        yaxis=dict(visible=False, range=[-0.6, 1.5], fixedrange=True),
        xaxis=dict(type="date", showgrid=False),
        uniformtext=dict(minsize=9, mode="hide"),
        showlegend=False,
        margin=dict(l=8, r=8, t=10, b=24),
    )
    return fig.build()


def _short(text: str, n: int = 34) -> str:
    return text if len(text) <= n else text[: n - 1].rsplit(" ", 1)[0] + "…"


def _event_markers(fig: _Fig, marks: pd.DataFrame) -> None:
    """A dotted line and a short label for each key event, in one layout update."""
    lines, labels = [], []
    for i, row in enumerate(marks.itertuples(index=False)):
        lines.append(
            dict(
                type="line",
                xref="x",
                yref="paper",
                x0=row.start,
                x1=row.start,
                y0=0,
                y1=1,
                line=dict(color="#888", width=1, dash="dot"),
            )
        )
        labels.append(
            dict(
                x=row.start,
                y=1 - 0.07 * (i % 5),
                yref="paper",
                text=esc(_short(row.title)),
                showarrow=False,
                xanchor="left",
                font=dict(size=10, color="#333"),
                bgcolor="rgba(255,255,255,0.8)",
            )
        )
    fig.update_layout(shapes=lines, annotations=labels)


def arrivals_figure(
    displacement: pd.DataFrame, sources: pd.DataFrame, marks: pd.DataFrame
) -> go.Figure:
    """Cumulative arrivals in Armenia: every reported figure a marked, sourced point."""
    rows = stats.arrivals(displacement)
    publisher = rows["source_id"].map(sources.set_index("id")["publisher"]).fillna("")
    fig = _Fig()
    fig.add_trace(
        _trace(
            "scatter",
            x=rows["when"],
            y=rows["value"].cummax(),
            mode="lines",
            name="Highest total so far",
            line=dict(color="#0072B2", width=2, shape="hv"),
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        _trace(
            "scatter",
            x=rows["when"],
            y=rows["value"],
            mode="markers",
            name="Reported figure",
            marker=dict(size=7, color="#0072B2", line=dict(color="white", width=1)),
            customdata=[
                [esc(p), esc(_short(str(n), 160), HOVER_WRAP), esc(t) or "time not given"]
                for p, n, t in zip(
                    publisher, rows["note"].fillna(""), rows["time"].fillna(""), strict=True
                )
            ],
            hovertemplate="<b>%{y:,}</b> people, %{x|%d %b %Y} (%{customdata[2]})"
            "<br>Source: %{customdata[0]}<br>%{customdata[1]}<extra></extra>",
        )
    )
    _event_markers(fig, marks)
    _base_layout(fig, height=420)
    fig.update_layout(
        yaxis=dict(title="people (cumulative)", tickformat=",", rangemode="tozero"),
        xaxis=dict(type="date", range=list(ARRIVALS_WINDOW)),
        margin=dict(l=8, r=8, t=16, b=8),
        legend=dict(orientation="h", yanchor="top", y=-0.12, x=0),
    )
    return fig.build()


def daily_arrivals_figure(daily: pd.DataFrame) -> go.Figure:
    fig = _Fig()
    fig.add_trace(
        _trace(
            "bar",
            x=daily["day"],
            y=daily["arrived"],
            marker=dict(color="#56B4E9"),
            hovertemplate="%{x|%d %b %Y}: <b>%{y:,}</b> arrived<extra></extra>",
        )
    )
    _base_layout(fig, height=320)
    fig.update_layout(
        yaxis=dict(title="people per day", tickformat=","),
        xaxis=dict(type="date"),
        margin=dict(l=8, r=8, t=16, b=8),
    )
    return fig.build()


def share_figure(daily: pd.DataFrame, low: int, high: int) -> go.Figure:
    """Arrivals as a share of the pre-offensive population, drawn as the range the sources give."""
    upper = daily["cumulative"] / low * 100
    lower = daily["cumulative"] / high * 100
    fig = _Fig()
    fig.add_trace(
        _trace(
            "scatter",
            x=daily["day"],
            y=lower.clip(upper=100),
            mode="lines",
            line=dict(color="#009E73"),
            name=f"of {high:,}",
            hovertemplate="%{y:.0f}% of " + f"{high:,}<extra></extra>",
        )
    )
    fig.add_trace(
        _trace(
            "scatter",
            x=daily["day"],
            y=upper.clip(upper=100),
            mode="lines",
            fill="tonexty",
            fillcolor="rgba(0,158,115,0.2)",
            line=dict(color="#009E73", dash="dash"),
            name=f"of {low:,}",
            hovertemplate="%{y:.0f}% of " + f"{low:,}<extra></extra>",
        )
    )
    _base_layout(fig, height=320)
    fig.update_layout(yaxis=dict(title="% of population", range=[0, 105]), xaxis=dict(type="date"))
    return fig.build()


ROW_LABEL_PX = 44
"""Height of a row whose name is written above it: a 12 px name over a 10 px mark."""


def labels_above_rows(labels, size: int = 12, shift: int = 7) -> list[dict]:
    """Row names written above each row from the left edge, in place of tick labels beside it:
    a long name gets the chart's whole width, so a phone-wide chart neither cuts the name nor
    squeezes the plot into a sliver (labels are already escaped)."""
    return [
        dict(
            x=0,
            xref="paper",
            y=label,
            yref="y",
            yshift=shift,
            xanchor="left",
            yanchor="bottom",
            text=label,
            showarrow=False,
            font=dict(size=size, color="#222"),
        )
        for label in labels
    ]


def waves_figure(waves: pd.DataFrame) -> go.Figure:
    """Historical displacement, both directions: each sourced figure, with its range."""
    rows = waves.copy()
    rows["high"] = rows["value_high"].fillna(rows["value"])
    # the year first, so a name cut to fit a phone keeps what tells two rows apart
    rows["label"] = (rows["date"].str[:4] + ": " + rows["group"]).map(lambda t: esc(_short(t, 60)))
    rows = rows.sort_values(["date", "group"])
    fig = _Fig()
    fig.add_trace(
        _trace(
            "bar",
            y=rows["label"],
            x=rows["high"] - rows["value"],
            base=rows["value"],
            orientation="h",
            marker=dict(color="rgba(204,121,167,0.55)"),
            name="range",
            customdata=[[esc(_short(str(n), 160), HOVER_WRAP)] for n in rows["note"].fillna("")],
            hovertemplate="%{base:,} – %{x:,}<br>%{customdata[0]}<extra></extra>",
        )
    )
    fig.add_trace(
        _trace(
            "scatter",
            y=rows["label"],
            x=rows["value"],
            mode="markers",
            marker=dict(color="#882255", size=9),
            name="figure",
            hovertemplate="%{x:,}<extra></extra>",
        )
    )
    _base_layout(fig, height=110 + ROW_LABEL_PX * rows["label"].nunique())
    fig.update_layout(
        xaxis=dict(title="people displaced", tickformat=","),
        showlegend=False,
        yaxis=dict(autorange="reversed", showticklabels=False),
        margin=dict(l=8, r=8, t=16, b=8),
        annotations=labels_above_rows(rows["label"].unique()),
    )
    return fig.build()


def balance_figure(table: pd.DataFrame) -> go.Figure:
    fig = _Fig()
    for side in [p for p in PERSPECTIVES if p in set(table["perspective"])]:
        rows = table[table["perspective"] == side]
        fig.add_trace(
            _trace(
                "bar",
                y=[esc(e).replace(", ", "<br>") for e in rows["era"].astype(str)],
                x=rows["events"],
                orientation="h",
                name=PERSPECTIVES[side],
                marker=dict(color=PERSPECTIVE_COLOURS[side]),
                hovertemplate="%{y}: %{x} events<extra>" + PERSPECTIVES[side] + "</extra>",
            )
        )
    _base_layout(fig, height=140 + 40 * table["era"].nunique())
    fig.update_layout(
        barmode="group",
        xaxis=dict(title="events backed by each perspective"),
        yaxis=dict(autorange="reversed", automargin=True),
    )
    return fig.build()


REGION = {"lon": (43.4, 50.6), "lat": (38.3, 41.6)}
MAP_LABELS = 14


def _map_points(events: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """One row per event with a place or its own coordinates, nudged on a small spiral so
    events at one spot part."""
    rows = _located(events, places)
    spot = rows["lat"].round(3).astype(str) + "," + rows["lon"].round(3).astype(str)
    k = rows.groupby(spot).cumcount().to_numpy()
    angle = k * 2.4
    radius = 0.018 * np.sqrt(k)
    rows["lat"] = rows["lat"] + radius * np.sin(angle)
    rows["lon"] = rows["lon"] + radius * np.cos(angle) * 1.3
    figure = rows[["deaths_high", "displaced_high"]].astype("Float64").max(axis=1).fillna(0)
    rows["size"] = (9 + 5 * np.log10(1 + figure.astype(float))).clip(upper=34)
    rows["figure"] = figure
    return rows


MAP_DETAIL = 3000


def _degrees(span: tuple[float, float], suffix: str, **extra) -> dict:
    """An axis of the plain map: degrees of longitude or latitude on a light grid."""
    return dict(
        range=list(span),
        showgrid=True,
        gridcolor="#eef0f3",
        zeroline=False,
        title=None,
        ticksuffix=suffix,
        **extra,
    )


def _located(events: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """The events that can be mapped, with float `lat`/`lon`: a file's own coordinates first
    (the loader fills them from places.csv where the file gives a place instead)."""
    coords = places.set_index("place_id")[["lat", "lon"]]
    rows = events.copy()
    rows["place_id"] = rows["place_id"].astype("object")
    lat = rows["lat"] if "lat" in rows else pd.Series(np.nan, index=rows.index)
    lon = rows["lon"] if "lon" in rows else pd.Series(np.nan, index=rows.index)
    rows["lat"] = pd.to_numeric(lat, errors="coerce").fillna(rows["place_id"].map(coords["lat"]))
    rows["lon"] = pd.to_numeric(lon, errors="coerce").fillna(rows["place_id"].map(coords["lon"]))
    rows["lat"], rows["lon"] = rows["lat"].astype(float), rows["lon"].astype(float)
    return rows[rows["lat"].notna() & rows["lon"].notna()]


def _map_counts(events: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """For big tables: one marker per place and category, sized by how many events it holds."""
    coords = places.set_index("place_id")[["lat", "lon"]]
    located = events[events["place_id"].isin(coords.index)]
    rows = located.groupby(["place_id", "category"], observed=True).size().rename("n")
    rows = rows.reset_index()
    rows["place_id"] = rows["place_id"].astype("object")
    rows["category"] = rows["category"].astype("object")
    rows["lat"] = rows["place_id"].map(coords["lat"]).astype(float)
    rows["lon"] = rows["place_id"].map(coords["lon"]).astype(float)
    rows["size"] = (8 + 6 * np.log10(rows["n"])).clip(upper=40)
    rows["figure"] = 0
    rows["id"] = ""
    rows["date_label"] = rows["n"].map("{:,} events".format)
    rows["title"] = rows["category"].map(category_label)
    return rows


BORDERS = Path(__file__).with_name("borders.json")
"""Country borders and coasts around the South Caucasus (Natural Earth, public domain), built
by scripts/borders.py: the plain map draws them itself, needing nothing from the network."""


@functools.cache
def border_lines() -> tuple[list[float | None], list[float | None]]:
    """x and y of every border line, one trace's worth, lines parted by None."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    for line in json.loads(BORDERS.read_text(encoding="utf-8"))["lines"]:
        xs += [p[0] for p in line] + [None]
        ys += [p[1] for p in line] + [None]
    return xs, ys


PHONE_PLOT = (300, 420)
"""The plain map's plot area on a 390 px phone, in pixels (width, height): labels are chosen
so that none overlaps another there, and so none on any wider screen either."""


LABEL_SHIFTS = (16, -16)
"""Where a place label may sit: just above its point, else just below it."""


def spaced_labels(
    labels: list[tuple[str, float, float]],
    view: dict[str, tuple[float, float]],
    kept: tuple[tuple[str, float, float], ...] = (),
    plot: tuple[int, int] = PHONE_PLOT,
) -> list[tuple[str, float, float, int]]:
    """The place labels (text, lon, lat), most important first, that fit at the phone's scale
    without overlapping each other or the country names in `kept`, each with its vertical
    shift in pixels (above or below its point). A country name (16 px) is centred on its
    point."""
    px_lon = plot[0] / max(view["lon"][1] - view["lon"][0], 1e-9)
    px_lat = plot[1] / max(view["lat"][1] - view["lat"][0], 1e-9)

    def box(text: str, lon: float, lat: float, size: int, shift: int) -> tuple[float, ...]:
        x, y = lon * px_lon, lat * px_lat + shift
        half, high = 0.31 * size * len(text) + 4, 0.75 * size
        return x - half, y - high, x + half, y + high

    def clear(b, others) -> bool:
        return all(b[2] <= o[0] or o[2] <= b[0] or b[3] <= o[1] or o[3] <= b[1] for o in others)

    taken = [box(*k, size=16, shift=0) for k in kept]
    out = []
    for text, lon, lat in labels:
        for shift in LABEL_SHIFTS:
            b = box(text, lon, lat, size=11, shift=shift)
            if clear(b, taken):
                taken.append(b)
                out.append((text, lon, lat, shift))
                break
    return out


def map_view(rows: pd.DataFrame, pad: float = 0.2) -> dict[str, tuple[float, float]]:
    """The plain map's span: the events inside REGION with a margin, at least 1.2° by 0.8°,
    so the map opens on what happened (a phone's narrow map is not one blob). Without the
    fixed aspect ratio the map fills its box: a phone stretches it upright, parting the
    markers and labels that a true-to-scale strip would pile up."""
    inside = rows[rows["lon"].between(*REGION["lon"]) & rows["lat"].between(*REGION["lat"])]
    if inside.empty:
        return REGION
    out = {}
    for axis, least in (("lon", 1.2), ("lat", 0.8)):
        lo, hi = float(inside[axis].min()) - pad, float(inside[axis].max()) + pad
        if hi - lo < least:
            mid = (lo + hi) / 2
            lo, hi = mid - least / 2, mid + least / 2
        out[axis] = (max(lo, REGION[axis][0]), min(hi, REGION[axis][1]))
    return out


def map_figure(
    events: pd.DataFrame,
    places: pd.DataFrame,
    place_names: pd.Series,
    *,
    tiles: bool = False,
) -> go.Figure:
    """Events on a map, coloured by category and sized by deaths or displacement.

    The default is a plain map drawn as SVG (no tiles, no fonts from the network), so markers
    and labels show offline; `tiles=True` draws the same on OpenStreetMap tiles.
    """
    rows = _map_points(events, places) if len(events) <= MAP_DETAIL else _map_counts(events, places)
    order = category_order(events["category"])
    style = category_style(order)
    fig = _Fig()
    view = map_view(rows)
    busiest = rows["place_id"].value_counts().head(MAP_LABELS).index
    in_region = places[
        places["lon"].between(*REGION["lon"])
        & places["lat"].between(*REGION["lat"])
        & places["place_id"].isin(busiest)
    ]
    labels = [
        esc(place_names.get(p, n))
        for p, n in zip(in_region["place_id"], in_region["name"], strict=True)
    ]
    scatter = "scattermap" if tiles else "scatter"
    xy = (
        (lambda lon, lat: dict(lon=lon, lat=lat))
        if tiles
        else (lambda lon, lat: dict(x=lon, y=lat))
    )
    label_trace = _trace(
        scatter,
        **xy(in_region["lon"], in_region["lat"]),
        mode="text",
        text=labels,
        textposition="top center",
        textfont=dict(size=11, color="#222"),
        hoverinfo="skip",
        showlegend=False,
        name="Places",
    )
    if not tiles:
        countries = []
        for country in ("armenia", "azerbaijan"):
            match = places[places["place_id"] == country]
            if len(match):
                name = esc(place_names.get(country, country)).upper()
                countries.append((name, match["lon"].iloc[0], match["lat"].iloc[0] + 0.55))
        notes = [
            dict(x=lon, y=lat, text=name, showarrow=False, font=dict(size=16, color="#767676"))
            for name, lon, lat in countries
        ]
        by_weight = in_region.assign(
            label=labels, weight=in_region["place_id"].map(rows["place_id"].value_counts())
        ).sort_values("weight", ascending=False, kind="stable")
        # the countries' own points are named by the country names above
        by_weight = by_weight[~by_weight["place_id"].isin(["armenia", "azerbaijan"])]
        wanted = list(zip(by_weight["label"], by_weight["lon"], by_weight["lat"], strict=True))
        notes += [
            dict(
                x=lon,
                y=lat,
                text=name,
                showarrow=False,
                yshift=shift,
                font=dict(size=11, color="#222"),
                bgcolor="rgba(255,255,255,0.75)",
            )
            for name, lon, lat, shift in spaced_labels(wanted, view, kept=tuple(countries))
        ]
        fig.update_layout(annotations=notes)
        xs, ys = border_lines()
        fig.add_trace(
            _trace(
                "scatter",
                x=xs,
                y=ys,
                mode="lines",
                line=dict(color="#8a96a3", width=1),
                hoverinfo="skip",
                showlegend=False,
                name="Borders",
            )
        )
    for cat in order:
        sub = rows[rows["category"] == cat]
        if sub.empty:
            continue
        colour, symbol = style[cat]
        marker = dict(size=sub["size"], color=colour, opacity=0.85)
        if not tiles:
            marker.update(symbol=symbol, line=dict(color="white", width=1))
        custom = [
            r + [f"{int(f):,}" if f else ""]
            for r, f in zip(_hover_rows(sub, place_names), sub["figure"], strict=True)
        ]
        fig.add_trace(
            _trace(
                scatter,
                **xy(sub["lon"], sub["lat"]),
                mode="markers",
                name=esc(category_label(cat)),
                marker=marker,
                customdata=custom,
                hovertemplate=HOVER.replace("<extra>", "<br>%{customdata[4]}<extra>"),
            )
        )
    if tiles:
        fig.add_trace(label_trace)
    _base_layout(fig, height=640)
    if tiles:
        fig.update_layout(
            map=dict(style="open-street-map", center=dict(lat=39.9, lon=46.9), zoom=6.6),
            margin=dict(l=0, r=0, t=40, b=0),
        )
    else:
        fig.update_layout(
            xaxis=_degrees(view["lon"], "°E"),
            yaxis=_degrees(view["lat"], "°N"),
            plot_bgcolor="#f7f9fb",
            dragmode="pan",
            clickmode="event+select",
        )
    return fig.build()


AFTER_EXODUS_COLOURS = ("#0072B2", "#D55E00", "#009E73")


def after_exodus_figure(rows: pd.DataFrame) -> go.Figure:
    """Each figure reported after the exodus, one line per measure, in date order."""
    fig = _Fig()
    for (series, sub), colour in zip(
        rows.groupby("series", sort=False), AFTER_EXODUS_COLOURS * 3, strict=False
    ):
        when = pd.to_datetime(sub["date"], format="mixed")
        notes = [esc(_short(str(n), 160), HOVER_WRAP) for n in sub["note"].fillna("")]
        fig.add_trace(
            _trace(
                "scatter",
                x=when,
                y=sub["value"],
                mode="lines+markers",
                name=esc(series),
                line=dict(color=colour, width=2),
                marker=dict(color=colour, size=9),
                customdata=[[n] for n in notes],
                hovertemplate="%{x|%d %b %Y}: <b>%{y:,}</b><br>%{customdata[0]}<extra></extra>",
            )
        )
    _base_layout(fig, height=380)
    fig.update_layout(
        yaxis=dict(title="people", tickformat=",", rangemode="tozero"),
        xaxis=dict(title=""),
    )
    return fig.build()


GROUP_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#A86F00", "#7B61A8", "#555555")


def group_figures_figure(
    rows: pd.DataFrame, x_title: str, order: list[str] | None = None
) -> go.Figure:
    """Sourced figures by group (who the displaced were, where they stayed): one dot per figure,
    one colour and legend entry per report, so two sources' figures for a group sit side by side
    instead of being added or averaged."""
    groups = order or list(dict.fromkeys(rows["group"]))
    labels = [esc(g) for g in groups]
    fig = _Fig()
    for (given, sub), colour in zip(
        rows.groupby("given_by", sort=False), GROUP_COLOURS * 4, strict=False
    ):
        notes = [esc(_short(str(n), 160), HOVER_WRAP) for n in sub["note"].fillna("")]
        fig.add_trace(
            _trace(
                "scatter",
                x=sub["value"],
                y=[esc(g) for g in sub["group"]],
                mode="markers",
                name=esc(given),
                marker=dict(color=colour, size=10, line=dict(color="white", width=1)),
                orientation="h",
                customdata=[[n] for n in notes],
                hovertemplate="<b>%{x:,}</b><br>%{customdata[0]}<extra>" + esc(given) + "</extra>",
            )
        )
    reports = rows["given_by"].nunique()
    _base_layout(fig, height=110 + (ROW_LABEL_PX + 10 * reports) * len(groups))
    fig.update_layout(
        # one report's dots beside another's in each row, not over them when the figures match
        scattermode="group",
        scattergap=0.3,
        xaxis=dict(title=x_title, tickformat=",", rangemode="tozero"),
        yaxis=dict(
            categoryorder="array",
            categoryarray=labels,
            autorange="reversed",
            showticklabels=False,
        ),
        margin=dict(l=8, r=8, t=16, b=8),
        annotations=labels_above_rows(labels, shift=4 + 8 * reports),
    )
    return fig.build()
