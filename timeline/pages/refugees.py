"""Refugees and displacement: the 2023 arrivals in Armenia and the earlier waves, both ways."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from timeline import charts, publish, schema, stats, ui
from timeline.pages.overview import pct

EXODUS = (dt.date(2023, 9, 19), dt.date(2023, 10, 31))


def _sourced(ctx: ui.Context, rows: pd.DataFrame, text: tuple[str, ...] = ()) -> pd.DataFrame:
    """Rows with who gave each figure and where; text columns in the chosen place names and
    blank (never 'None') where the data has nothing."""
    out = stats.with_source(rows, ctx.package.sources)
    for col in text:
        out[col] = ctx.rename.series(out[col].astype("object")).fillna("")
    return out


def _dates_note(ctx: ui.Context) -> None:
    """Say what the sidebar's date filter does here: the 2023 sections are shown whole."""
    start, end = ctx.view.start, ctx.view.end
    if start is None and end is None:
        return
    lo, hi = start or dt.date.min, end or dt.date.max
    if hi < EXODUS[0] or lo > EXODUS[1]:
        st.info(
            f"The date filter ({lo if start else '…'} – {hi if end else '…'}) does not cover "
            "September–October 2023: the 2023 arrivals below are shown whole, not filtered. "
            "The earlier waves further down follow the filter."
        )
    else:
        st.caption("The 2023 arrivals are shown whole; the earlier waves follow the date filter.")


def render(ctx: ui.Context) -> None:
    pkg = ctx.package
    st.title("Refugees and displacement")
    ui.count_line(ctx)
    if pkg.displacement.empty:
        st.info("The data shown has no displacement figures.")
        return
    _dates_note(ctx)
    arrivals = stats.arrivals(pkg.displacement)
    daily = stats.daily_arrivals(pkg.displacement)
    head = ui.headline(pkg)
    pop = stats.population_estimates(pkg.displacement)
    if len(arrivals):
        st.header("People arrived in Armenia from Nagorno-Karabakh, September–October 2023")
        st.markdown(
            f"{head.arrived:,} people by {head.arrived_by:%d %B %Y}, within {head.arrived_days} "
            "days of the first arrivals; the highest total reported was "
            f"{head.final:,} by {head.final_by:%d %B %Y}. Each point is a reported figure (hover "
            "for its time and source); the line is the highest total reported so far. "
            "Double-click the chart to see every figure, later ones included."
        )
        marks = stats.event_marks(pkg.events)
        marks = marks.assign(title=ctx.rename.series(marks["title"]))
        table = _sourced(ctx, arrivals, ("note",))
        given_by = publish.source_line(table["publisher"])
        ui.chart(
            charts.arrivals_figure(pkg.displacement, pkg.sources, marks),
            publish.Meta(
                name="arrivals-armenia-2023",
                title="People arrived in Armenia from Nagorno-Karabakh, September–October 2023",
                subtitle=f"Each point a reported total; the line the highest so far: "
                f"{head.final:,} by {head.final_by:%d %B %Y}",
                source=given_by,
            ),
            key="arrivals_chart",
            alt=f"Cumulative arrivals in Armenia, {len(arrivals)} reported figures rising to "
            f"{head.final:,}; every figure is in the table below the charts.",
        )
        left, right = st.columns(2)
        with left:
            st.subheader("Arrivals per day")
            ui.chart(
                charts.daily_arrivals_figure(daily),
                publish.Meta(
                    name="arrivals-per-day-armenia-2023",
                    title="Arrivals in Armenia from Nagorno-Karabakh per day, 2023",
                    subtitle="The rise of the highest reported total from one day to the next",
                    source=given_by,
                ),
                key="daily_chart",
                alt="People arrived per day; the same numbers are in the table 'Arrivals per "
                "day as text'.",
            )
            with st.expander("Arrivals per day as text"):
                st.dataframe(
                    daily.assign(day=daily["day"].dt.strftime("%d %B %Y")),
                    hide_index=True,
                    column_config={
                        "day": "Day",
                        "arrived": st.column_config.NumberColumn("Arrived", format="localized"),
                        "cumulative": st.column_config.NumberColumn(
                            "Total so far", format="localized"
                        ),
                    },
                    column_order=["day", "arrived", "cumulative"],
                )
        with right:
            if head.population_low:
                st.subheader("Share of the pre-offensive population")
                st.caption(
                    f"The range of {head.population_low:,}–{head.population_high:,} people the "
                    f"sources give: {pct(head.share_low)}–{pct(head.share_high)} had arrived "
                    f"by {head.arrived_by:%d %B %Y}."
                )
                if len(head.below_arrivals):
                    lower = ", ".join(f"{v:,}" for v in head.below_arrivals["value"])
                    st.caption(
                        f"Estimates lower than the {head.arrived:,} people who arrived ({lower}) "
                        "are left out of this range; they are listed in the table below."
                    )
                ui.chart(
                    charts.share_figure(daily, head.population_low, head.population_high),
                    publish.Meta(
                        name="share-of-population-arrived-armenia-2023",
                        title="Share of Nagorno-Karabakh's population arrived in Armenia, 2023",
                        subtitle=f"Arrivals divided by the estimates of {head.population_low:,}"
                        f"–{head.population_high:,} people before the offensive",
                        source=publish.source_line(
                            [*table["publisher"], *_sourced(ctx, pop)["publisher"]]
                        ),
                    ),
                    key="share_chart",
                    alt=f"Share of the pre-offensive population arrived in Armenia, rising to "
                    f"{pct(head.share_low)}–{pct(head.share_high)}.",
                )
        st.subheader("Every reported figure, with who gave it")
        table["time"] = table["time"].fillna("")
        st.dataframe(
            table[["value", "publisher", "date", "time", "note", "url"]],
            hide_index=True,
            width="stretch",
            column_config={
                "value": st.column_config.NumberColumn(
                    "People (cumulative)", format="localized", pinned=True
                ),
                "publisher": st.column_config.TextColumn("Source", width="medium"),
                "date": "Date",
                "time": "Time",
                "note": st.column_config.TextColumn("Who gave the figure", width="large"),
                "url": st.column_config.LinkColumn("Link", display_text="open"),
            },
        )
    _who_and_where(ctx)
    _after_exodus(ctx)
    if len(pop):
        st.header("Population before the offensive: the estimates differ")
        st.dataframe(
            _sourced(ctx, pop, ("group", "note"))[
                ["value", "value_high", "publisher", "group", "date", "note", "url"]
            ],
            hide_index=True,
            width="stretch",
            column_config=_figure_columns(
                st.column_config.NumberColumn("Estimate", format="localized", pinned=True),
                group="Of whom",
                date="Date",
            ),
        )
    waves = _in_dates(ctx, stats.waves(pkg.displacement))
    st.header("Earlier waves of displacement, in both directions")
    if waves.empty:
        st.info(
            "No displacement figure in the data began within the date filter; widen the dates "
            "to see the waves of 1988–94, 2020 and 2023."
        )
        return
    if ctx.view.start or ctx.view.end:
        st.caption(
            f"{len(waves):,} figures of waves that began within the date filter, both directions."
        )
    waves = _sourced(ctx, waves, ("group", "note"))
    first, last = waves["date"].astype(str).str[:4].agg(["min", "max"])
    ui.chart(
        charts.waves_figure(waves),
        publish.Meta(
            name=f"displacement-waves-{first}-{last}",
            title=f"Displacement in and around Nagorno-Karabakh, both directions, {first}–{last}",
            subtitle="Each sourced figure of a wave of displacement, with its range",
            source=publish.source_line(waves["publisher"]),
        ),
        key="waves_chart",
        alt="Each displacement figure by group and year with its range; the table below gives "
        "each with its source.",
    )
    waves["end_date"] = waves["end_date"].fillna("")
    st.dataframe(
        waves[["group", "value", "value_high", "publisher", "date", "end_date", "note", "url"]],
        hide_index=True,
        width="stretch",
        column_config=_figure_columns(
            st.column_config.NumberColumn("Figure (low)", format="localized"),
            group=st.column_config.TextColumn("Who", width="medium", pinned=True),
            date="From",
            end_date="To",
        ),
    )


def _figure_columns(value, **more) -> dict:
    """Columns of a table of sourced figures: the figure, its high end, who gives it, where."""
    return {
        "value": value,
        "value_high": st.column_config.NumberColumn("High", format="localized"),
        "publisher": st.column_config.TextColumn("Source", width="medium"),
        "note": st.column_config.TextColumn("Who gives it", width="large"),
        "url": st.column_config.LinkColumn("Link", display_text="open"),
        **more,
    }


def _in_dates(ctx: ui.Context, rows: pd.DataFrame) -> pd.DataFrame:
    """Waves that began within the date filter (a wave dated by its year counts from 1 January)."""
    if rows.empty or (ctx.view.start is None and ctx.view.end is None):
        return rows
    began = pd.to_datetime(
        rows["date"].astype(str).str.slice(0, 10), format="mixed", errors="coerce"
    )
    keep = pd.Series(True, index=rows.index)
    if ctx.view.start:
        keep &= began >= pd.Timestamp(ctx.view.start).replace(month=1, day=1)
    if ctx.view.end:
        keep &= began <= pd.Timestamp(ctx.view.end)
    return rows[keep].reset_index(drop=True)


NOT_KNOWN = (
    "**What these figures do not tell.** The counts by sex and age cover the people registered "
    "on the day given, not everyone who arrived; the shares come from the Armenian government's "
    "registration as the UN agencies relayed it. The provinces are where people were staying "
    "on a date: the early counts cover only state-provided accommodation (most people stayed "
    "with relatives or found their own housing), and people moved on afterwards. No source "
    "read here counts how many went on to which other country: the Armenian government "
    "reported how many left Armenia and had not come back (below), and its Prime Minister said "
    "in late 2023 that most of the few thousand who had left went to Russia."
)


def _figures_table(rows: pd.DataFrame) -> None:
    """Each figure with its unit, who gives it, when and where it was read."""
    figure = [
        f"{v:,}%" if u == "%" else f"{v:,}"
        for v, u in zip(rows["value"], rows["unit"], strict=True)
    ]
    st.dataframe(
        rows.assign(figure=figure)[["group", "figure", "publisher", "date", "note", "url"]],
        hide_index=True,
        width="stretch",
        column_config=_figure_columns(
            st.column_config.TextColumn("Figure"),
            group=st.column_config.TextColumn("Who", width="medium", pinned=True),
            figure=st.column_config.TextColumn("Figure"),
            date="Date",
        ),
    )


def _who_and_where(ctx: ui.Context) -> None:
    """The exodus in depth: who the displaced were and where they stayed, figure by figure."""
    pkg = ctx.package
    who = stats.exodus_figures(pkg.displacement, pkg.sources, "profile", pkg.publishers)
    where = stats.exodus_figures(pkg.displacement, pkg.sources, "region", pkg.publishers)
    if who.empty and where.empty:
        return
    st.header("Who left Nagorno-Karabakh in 2023, and where they went")
    st.markdown(
        "The Armenian government registered the arrivals; UNHCR, UNICEF, the World Health "
        "Organization and the IFRC relayed its figures. Each figure is shown as its source gives "
        "it, with the date: where two sources differ, both are there, neither added nor "
        "averaged. These figures are not filtered by the sidebar's dates."
    )
    if len(who):
        st.subheader("Who they were")
        shares = who[who["unit"] == "%"]
        if len(shares):
            order = [g for g in schema.EXODUS_GROUPS if g in set(shares["group"])]
            ui.chart(
                charts.group_figures_figure(shares, "per cent of the arrivals", order),
                publish.Meta(
                    name="exodus-2023-who-left",
                    title="Who left Nagorno-Karabakh for Armenia in 2023",
                    subtitle="Share of the arrivals by sex, age and disability, as each source "
                    "gives it",
                    source=publish.source_line(shares["publisher"])
                    + ", from the Armenian government's registration",
                ),
                key="exodus_profile_chart",
                alt="Shares of the 2023 arrivals who were women and girls, men and boys, "
                "children, older people and people with disabilities, one dot per source; the "
                "table below gives each figure.",
            )
        _figures_table(who)
    if len(where):
        st.subheader("Where they stayed in Armenia")
        counts = where[where["unit"] == "people"]
        if len(counts):
            order = list(counts.groupby("group")["value"].max().sort_values(ascending=False).index)
            ui.chart(
                charts.group_figures_figure(counts, "people", order),
                publish.Meta(
                    name="exodus-2023-where-they-stayed",
                    title="Where people from Nagorno-Karabakh stayed in Armenia, autumn 2023",
                    subtitle="People in state-provided accommodation by province, as each "
                    "report gives it",
                    source=publish.source_line(counts["publisher"]),
                ),
                key="exodus_region_chart",
                alt="People from Nagorno-Karabakh in state-provided accommodation by province of "
                "Armenia, one dot per report; the table below gives each figure, with the "
                "shares by province.",
            )
        _figures_table(where)
    st.markdown(NOT_KNOWN)


def _after_exodus(ctx: ui.Context) -> None:
    rows = stats.after_exodus(ctx.package.displacement, ctx.package.sources)
    if rows.empty:
        return
    st.subheader("After the exodus: the displaced in Armenia, and returns in Azerbaijan")
    st.markdown(
        "Figures reported since October 2023: people displaced from Nagorno-Karabakh registered "
        "in Armenia, those of them who left Armenia and had not come back, and the Azerbaijanis "
        "displaced in 1988–94 resettled in the districts and towns retaken since 2020, by the "
        "Azerbaijani government's count. Each point is one reported figure; hover for who gave "
        "it. These figures are not filtered by the sidebar's dates."
    )
    ui.chart(
        charts.after_exodus_figure(rows),
        publish.Meta(
            name="after-the-exodus-displaced-and-returns",
            title="After the exodus: the displaced in Armenia, and returns in Azerbaijan",
            subtitle="Each point a reported figure since October 2023",
            source=publish.source_line(rows["publisher"]),
        ),
        key="after_exodus_chart",
        alt="Figures reported since October 2023 by series; the table below lists each with "
        "who gave it.",
    )
    st.dataframe(
        rows[["date", "series", "value", "note", "publisher", "url"]],
        hide_index=True,
        width="stretch",
        column_config=_figure_columns(
            st.column_config.NumberColumn("People", format="localized"),
            date="Date",
            series="Figure",
        ),
    )


if __name__ == "__main__":
    render(ui.current_context())
