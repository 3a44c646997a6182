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
    _by_side(ctx)


def _by_side(ctx: ui.Context) -> None:
    """Each side's dead, military and civilians apart, where a named party gives them."""
    pkg = ctx.package
    rows = human_cost.by_side(pkg.events, pkg.deaths_by_side, pkg.sources)
    st.subheader("The dead by side, military and civilians")
    if rows.empty:
        st.info("The data shown splits no toll by side.")
        return
    st.markdown(
        "Where a named party splits a toll, each side's dead, military and civilians apart, as "
        "each gives them: usually each side counts its own dead. These figures sit beside the "
        "totals above and are not added to them. Where two parties give different figures "
        "for the same dead, both are shown."
    )
    ui.chart(
        story_charts.side_figure(rows),
        publish.Meta(
            name="dead-by-side-military-civilian",
            title="The dead by side in the Nagorno-Karabakh wars, military and civilians",
            subtitle="Circle: military; diamond: civilians; square: not split. Brown: Armenian "
            "side; blue: Azerbaijani side. One mark per figure a party gives.",
            source=publish.source_line(rows["publisher"])
            + "; each figure as the party named in the table gives it",
        ),
        key="cost_by_side",
        alt="Each side's military and civilian dead in the wars of 1988–94, 2016, 2020 and "
        "2023, one mark per figure; the table below gives each with who gives it.",
    )
    titles = dict(zip(pkg.events["id"], pkg.events["title"], strict=True))
    for event_id, (total, given) in human_cost.over_total(pkg.events, rows).items():
        st.caption(
            f"{ui.md(ctx.rename(titles[event_id]))}: the sides' own highest figures add up to "
            f"{total:,}, more than the {given:,} the event's total gives; the sources "
            "disagree, and the totals above keep the event's own figure."
        )
    st.dataframe(
        pd.DataFrame(
            {
                "Who died": rows["row"],
                "Low": rows["low"],
                "High": rows["high"],
                "Given by": rows["given_by"],
                "Date": rows["date"].fillna(""),
                "Note": rows["note"].fillna(""),
                "Read at": rows["publisher"],
                "Link": rows["url"],
            }
        ),
        hide_index=True,
        width="stretch",
        column_config={
            "Who died": st.column_config.TextColumn(width="medium", pinned=True),
            "Low": st.column_config.NumberColumn(format="localized"),
            "High": st.column_config.NumberColumn(format="localized"),
            "Note": st.column_config.TextColumn(width="large"),
            "Link": st.column_config.LinkColumn(display_text="open"),
        },
    )
    st.caption(
        "Not split here: the wars and clashes whose sources give no side-by-side count, the "
        "missing, and the later deaths from wounds and mines. Figures that rest on a copy of "
        "Wikipedia say so in *Given by*."
    )


if __name__ == "__main__":
    render(ui.current_context())
