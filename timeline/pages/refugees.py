"""Refugees and displacement: the 2023 arrivals in Armenia and the earlier waves, both ways."""

from __future__ import annotations

import streamlit as st

from timeline import charts, stats, ui


def render(ctx: ui.Context) -> None:
    pkg = ctx.package
    st.title("Refugees and displacement")
    ui.count_line(ctx)
    if pkg.displacement.empty:
        st.info("The data shown has no displacement figures.")
        return
    arrivals = stats.arrivals(pkg.displacement)
    daily = stats.daily_arrivals(pkg.displacement)
    head = ui.headline(pkg)
    if len(arrivals):
        st.subheader("People arrived in Armenia from Nagorno-Karabakh, September–October 2023")
        st.markdown(
            f"{head.arrived:,} people by {head.arrived_by:%d %B %Y}, within {head.arrived_days} "
            "days of the first arrivals; the highest total reported was "
            f"{head.final:,} by {head.final_by:%d %B %Y}. Each point is a reported figure (hover "
            "for its time and source); the line is the highest total reported so far. "
            "Double-click the chart to see every figure, later ones included."
        )
        marks = stats.event_marks(pkg.events)
        st.plotly_chart(
            charts.arrivals_figure(pkg.displacement, pkg.sources, marks),
            key="arrivals_chart",
            config={"displaylogo": False},
            width="stretch",
        )
        left, right = st.columns(2)
        with left:
            st.markdown("**Arrivals per day**")
            st.plotly_chart(
                charts.daily_arrivals_figure(daily),
                key="daily_chart",
                config={"displaylogo": False},
                width="stretch",
            )
        with right:
            if head.population_low:
                st.markdown(
                    f"**Share of the pre-offensive population** "
                    f"({head.population_low:,}–{head.population_high:,} by the sources)"
                )
                if len(head.below_arrivals):
                    lower = ", ".join(f"{v:,}" for v in head.below_arrivals["value"])
                    st.caption(
                        f"Estimates lower than the {head.arrived:,} people who arrived ({lower}) "
                        "are left out of this range; they are listed in the table below."
                    )
                st.plotly_chart(
                    charts.share_figure(daily, head.population_low, head.population_high),
                    key="share_chart",
                    config={"displaylogo": False},
                    width="stretch",
                )
        st.markdown("**Every reported figure, with its source**")
        table = stats.with_source(arrivals, pkg.sources)
        st.dataframe(
            table[["date", "time", "value", "publisher", "url", "note"]],
            hide_index=True,
            width="stretch",
            column_config={
                "date": "Date",
                "time": "Time",
                "value": st.column_config.NumberColumn("People (cumulative)", format="localized"),
                "publisher": "Source",
                "url": st.column_config.LinkColumn("Link"),
                "note": "Who gave the figure",
            },
        )
    pop = stats.population_estimates(pkg.displacement)
    if len(pop):
        st.subheader("Population before the offensive: the estimates differ")
        st.dataframe(
            stats.with_source(pop, pkg.sources)[
                ["date", "value", "value_high", "group", "publisher", "url", "note"]
            ],
            hide_index=True,
            width="stretch",
            column_config={
                "value": st.column_config.NumberColumn("Estimate", format="localized"),
                "value_high": st.column_config.NumberColumn("High", format="localized"),
                "url": st.column_config.LinkColumn("Link"),
                "publisher": "Source",
                "group": "Of whom",
                "note": "Who gives it",
            },
        )
    waves = stats.waves(pkg.displacement)
    if len(waves):
        st.subheader("Earlier waves of displacement, in both directions")
        st.plotly_chart(
            charts.waves_figure(waves),
            key="waves_chart",
            config={"displaylogo": False},
            width="stretch",
        )
        st.dataframe(
            stats.with_source(waves, pkg.sources)[
                ["date", "end_date", "group", "value", "value_high", "publisher", "url", "note"]
            ],
            hide_index=True,
            width="stretch",
            column_config={
                "value": st.column_config.NumberColumn("Figure (low)", format="localized"),
                "value_high": st.column_config.NumberColumn("High", format="localized"),
                "url": st.column_config.LinkColumn("Link"),
                "publisher": "Source",
            },
        )


if __name__ == "__main__":
    render(ui.current_context())
