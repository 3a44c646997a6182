"""Overview: headline figures computed from the data, the whole history, September 2023."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from timeline import charts, load, publish, stats, ui

DAY_LIST = 60


def pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def _span(low: int, high: int) -> str:
    return f"{low:,}" if low == high else f"{low:,}–{high:,}"


@ui.cached(8)
def _front(package: load.Package) -> tuple[list, list, str | None]:
    """The front page's figures, from the data alone: built once per version of the data, not
    on every visit (filtering the whole table for each figure cost most of a new visit)."""
    events = package.events
    losses: list = []
    for label, event_id in stats.LOSS_EVENTS:
        rows = events[events["id"] == event_id]
        deaths = ui.figure_range(rows, "deaths").iloc[0] if len(rows) else None
        note = rows["figures_note"].iloc[0] if len(rows) else None
        losses.append((label, deaths, note if isinstance(note, str) else ""))
    spans = [
        (label, stats.wave_span(package.displacement, groups, first, last))
        for label, groups, first, last in stats.DISPLACEMENT_HEADLINES
    ]
    blockade = events.loc[events["id"] == stats.BLOCKADE_ID, "date_label"]
    return losses, spans, (str(blockade.iloc[0]) if len(blockade) else None)


@ui.cached()
def _days(ctx: ui.Context) -> tuple[int, list[tuple[str, str, str]]]:
    """How many events 19 September - 5 October 2023 holds, and the first DAY_LIST of them as
    (id, date label, title): plain tuples, so a visit does not walk the table again."""
    days = stats.september_2023(ctx.events)
    head = days.head(DAY_LIST)
    rows = list(
        zip(
            head["id"].astype(str),
            head["date_label"].astype(str),
            head["title"].astype(str),
            strict=True,
        )
    )
    return len(days), rows


def _losses(ctx: ui.Context, cols) -> None:
    losses, _, _ = _front(ctx.package)
    for col, (label, deaths, note) in zip(cols, losses, strict=False):
        if not deaths:
            continue
        col.metric(
            label,
            deaths,
            help=ctx.rename(note) + " Both sides together; the event's card gives each source.",
        )


def _displacement(ctx: ui.Context, cols, head: stats.Headline) -> None:
    _, spans, _ = _front(ctx.package)
    for col, (label, span) in zip(cols, spans, strict=False):
        if span is None:
            continue
        col.metric(
            label,
            _span(span.low, span.high),
            help=f"The lowest and highest of the figures {span.sources} sources give; each "
            "is listed with its source on Refugees & displacement.",
        )
    if head.arrived:
        cols[-1].metric(
            "Armenians who left Nagorno-Karabakh, September 2023",
            f"{head.arrived:,}",
            f"within {head.arrived_days} days",
            delta_color="off",
            delta_arrow="off",
            help=(
                f"Arrived in Armenia by {head.arrived_by:%d %B %Y}, counted from the first "
                f"arrivals; the highest total reported was {head.final:,} by "
                f"{head.final_by:%d %B %Y}."
            ),
        )


@ui.cached()
def _figure(ctx: ui.Context) -> go.Figure:
    return charts.overview_figure(ctx.events, ctx.package.eras)


def render(ctx: ui.Context) -> None:
    pkg = ctx.package
    st.title(ui.md(pkg.title) if pkg.title else _default_title(pkg))
    st.markdown(
        "What happened, when, where, to whom, and who says so. Every event cites the sources it "
        "rests on; where the sides frame an event differently, each framing is shown with who "
        "holds it. Place names can follow international, Armenian or Azerbaijani usage "
        "(sidebar)."
    )
    ui.count_line(ctx)
    head = ui.headline(pkg)
    st.header("Lives lost and people displaced, on every side")
    st.caption(
        "Computed from the tables, for the whole record whatever the filters; where sources "
        "differ the range of their figures is shown."
    )
    losses = st.columns(4)
    _losses(ctx, losses[:2])
    blockade = _front(pkg)[2]
    if head.blockade_days and blockade:
        losses[2].metric(
            "Lachin corridor blockade",
            f"{head.blockade_days} days",
            help=f"{ui.md(blockade)}, from the events table",
        )
    if head.arrived and head.population_low:
        losses[3].metric(
            "Share who left in 2023",
            f"{pct(head.share_low)}–{pct(head.share_high)}",
            f"of {head.population_low:,}–{head.population_high:,} people",
            delta_color="off",
            delta_arrow="off",
            help="The Armenians who arrived in Armenia in September–October 2023, divided by "
            "the range of pre-offensive population estimates the sources give (see Refugees "
            "& displacement for each estimate and who gives it).",
        )
    _displacement(ctx, [*st.columns(2), *st.columns(2)], head)
    st.header("The whole history")
    first, last = _year(ctx.events, "min"), _year(ctx.events, "max")
    dense = len(ctx.events) > charts.DETAIL_THRESHOLD
    ui.chart(
        _figure(ctx.unselected()),
        publish.Meta(
            name=f"nagorno-karabakh-events-{first}-{last}",
            title=f"The Nagorno-Karabakh conflict, {first}–{last}: {len(ctx.events):,} events",
            subtitle=("Events per year by category" if dense else "One tick per event")
            + ", under the eras of the conflict",
            source="the sources cited for each event (Timeline page)",
        ),
        key="overview_chart",
        alt=f"Strip of the {len(ctx.events):,} events from {first} to {last}, one tick per event, "
        "under the eras; the Timeline page lists each event.",
    )
    with st.expander("The eras as text"):
        st.markdown(
            "\n".join(
                f"- {ui.md(e.label)}: {ui.md(e.start_date)} – {ui.md(e.end_date)}"
                for e in pkg.eras.itertuples(index=False)
            )
            if len(pkg.eras) and {"start_date", "end_date"} <= set(pkg.eras.columns)
            else "No eras in the data shown."
        )
    n_days, days = _days(ctx)
    if n_days:
        st.header("19 September – 5 October 2023, day by day")
        if n_days > DAY_LIST:
            st.caption(
                f"The first {DAY_LIST} of {n_days:,} events on these days; the Timeline page "
                "shows them all."
            )
        for event_id, date_label, title in days:
            day = st.expander(
                f"{ui.md(date_label)} — {ui.md(title)}",
                key=f"day_{event_id}",
                on_change="rerun",
            )
            if day.open:
                with day:
                    ui.event_card(ctx, event_id)


def _default_title(pkg: load.Package) -> str:
    """The span in the title follows the data (first and last year of its events)."""
    first, last = _year(pkg.events, "min"), _year(pkg.events, "max")
    span = f", {first}–{last}" if first != "–" else ""
    return f"Nagorno-Karabakh{span}: a sourced timeline"


def _year(events: pd.DataFrame, how: str) -> str:
    if events.empty or events["start"].isna().all():
        return "–"
    return str(getattr(events["start"], how)().year)


if __name__ == "__main__":
    render(ui.current_context())
