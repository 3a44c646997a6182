"""The human cost: deaths and displacement across the whole history, each period counted once."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from timeline import human_cost, publish, story_charts, ui

INTRO = (
    "Deaths and displacement on every side, 1918 to today, as the sources give them: each row "
    "runs from the lowest figure cited (filled dot) to the highest (ring). A war's or a wave's "
    "own total is counted once: the incidents inside its dates are not added to it, and are "
    "listed under the chart with the reason. Rows named *Other events* add up the separate "
    "incidents of an era."
)


def _not_counted(t: human_cost.Tally) -> str:
    what = "deaths" if t.measure == "deaths" else "displacements"
    extra = (
        " Counts displacements, not people: someone displaced twice is counted twice."
        if t.measure == "displaced"
        else " Wounded, missing and later deaths from wounds or mines are not counted."
    )
    return (
        f"Not counted: {len(t.left_out)} figures already inside a counted total or outside the "
        f"conflict (listed under the chart); events without a figure; {what} no source gives."
        + extra
    )


def render(ctx: ui.Context) -> None:
    pkg = ctx.package
    st.title("The human cost")
    ui.count_line(ctx)
    st.caption("This view always covers the whole history, whatever the filters.")
    st.markdown(INTRO)
    for measure in ("deaths", "displaced"):
        label = human_cost.MEASURE_LABELS[measure]
        t = human_cost.tally(pkg.events, pkg.overlaps, pkg.eras, measure)
        rows = human_cost.chart_rows(t)
        st.subheader(label)
        if rows.empty:
            st.info(f"The data shown has no {label.lower()} figures.")
            continue
        low, high = int(rows["low"].sum()), int(rows["high"].sum())
        st.markdown(
            f"**{low:,} to {high:,}** in all, from {len(t.counted):,} counted figures "
            f"({len(t.left_out):,} left out as already counted or outside the conflict)."
        )
        ui.chart(
            story_charts.cost_figure(rows, label, _not_counted(t)),
            publish.Meta(
                name=f"human-cost-{measure}-1918-today",
                title=f"{label} in the Nagorno-Karabakh conflict, 1918 to today",
                subtitle="Dot: lowest figure the sources give; ring: highest. Each period once.",
                source="the sources cited for each event (listed in the table below the chart)",
            ),
            key=f"cost_{measure}",
        )
        counted = t.counted.assign(
            given_by=human_cost.sources_of(pkg.events, pkg.sources, t.counted["id"])
        )
        with st.expander(f"The {len(counted):,} counted figures and who gives them"):
            st.dataframe(
                pd.DataFrame(
                    {
                        "Event": counted["title"],
                        "Date": counted["start"].dt.date,
                        "Low": counted["low"].astype("Int64"),
                        "High": counted["high"].astype("Int64"),
                        "Counted in": counted["row"],
                        "Given by": counted["given_by"],
                    }
                ),
                hide_index=True,
                width="stretch",
            )
        with st.expander(f"The {len(t.left_out):,} figures not added, and why"):
            st.dataframe(
                pd.DataFrame(
                    {
                        "Event": t.left_out["title"],
                        "Low": t.left_out["low"].astype("Int64"),
                        "High": t.left_out["high"].astype("Int64"),
                        "Why not added": t.left_out["reason"],
                    }
                ),
                hide_index=True,
                width="stretch",
            )
    st.caption(
        "The sources rarely split a toll by side or between civilians and combatants in a way "
        "that can be added up; where they do, the event's card gives the split in its figures "
        "note."
    )


if __name__ == "__main__":
    render(ui.current_context())
