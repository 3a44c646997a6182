"""Overview: headline figures computed from the data, the whole history, September 2023."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from timeline import charts, stats, ui

DAY_LIST = 60


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


@ui.cached()
def _figure(ctx: ui.Context) -> go.Figure:
    return charts.overview_figure(ctx.events, ctx.package.eras)


def render(ctx: ui.Context) -> None:
    pkg = ctx.package
    st.title(ui.md(pkg.title) if pkg.title else "Nagorno-Karabakh, 1918–2024: a sourced timeline")
    st.markdown(
        "What happened, when, where, to whom, and who says so. Every event cites the sources it "
        "rests on; where the sides frame an event differently, each framing is shown with who "
        "holds it. Place names can follow international, Armenian or Azerbaijani usage "
        "(sidebar)."
    )
    ui.count_line(ctx)
    head = ui.headline(pkg)
    cols = st.columns(3)
    if head.blockade_days:
        blockade = pkg.events[pkg.events["id"] == stats.BLOCKADE_ID].iloc[0]
        cols[0].metric(
            "Lachin corridor blockade",
            f"{head.blockade_days} days",
            help=f"{ui.md(blockade['date_label'])}, from the events table",
        )
    if head.arrived:
        cols[1].metric(
            "Arrived in Armenia",
            f"{head.arrived:,}",
            f"within {head.arrived_days} days",
            delta_color="off",
            delta_arrow="off",
            help=(
                f"Reported by {head.arrived_by:%d %B %Y}, counted from the first arrivals; "
                f"the highest total reported was {head.final:,} by {head.final_by:%d %B %Y}."
            ),
        )
    if head.arrived and head.population_low:
        cols[2].metric(
            "Share of the pre-offensive population",
            f"{_pct(head.share_low)}–{_pct(head.share_high)}",
            f"of {head.population_low:,}–{head.population_high:,} people",
            delta_color="off",
            delta_arrow="off",
            help="Arrivals divided by the range of pre-offensive population estimates the sources "
            "give (see Refugees & displacement for each estimate and who gives it).",
        )
    st.subheader("The whole history")
    st.plotly_chart(
        _figure(ctx.unselected()),
        key="overview_chart",
        config={"displaylogo": False},
        width="stretch",
    )
    days = stats.september_2023(ctx.events)
    if len(days):
        st.subheader("19 September – 5 October 2023, day by day")
        if len(days) > DAY_LIST:
            st.caption(
                f"The first {DAY_LIST} of {len(days):,} events on these days; the Timeline page "
                "shows them all."
            )
        for row in days.head(DAY_LIST).itertuples(index=False):
            day = st.expander(
                f"{ui.md(row.date_label)} — {ui.md(row.title)}",
                key=f"day_{row.id}",
                on_change="rerun",
            )
            if day.open:
                with day:
                    ui.event_card(ctx, row.id)


if __name__ == "__main__":
    render(ui.current_context())
