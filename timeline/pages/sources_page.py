"""Sources: the bibliography, what each source supports, and where the record leans."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from timeline import charts, stats, ui
from timeline.schema import PERSPECTIVES, SOURCE_KINDS


@ui.cached()
def _balance(ctx: ui.Context) -> go.Figure | None:
    table = stats.balance(ctx.events, ctx.package.eras)
    return charts.balance_figure(table) if len(table) else None


def render(ctx: ui.Context) -> None:
    st.title("Sources")
    ui.count_line(ctx)
    pkg = ctx.package
    if pkg.sources.empty:
        st.info("The data shown has no sources table.")
        return
    sources = stats.bibliography(pkg.events, pkg.sources, pkg.claims)

    st.header("Where the record leans")
    st.markdown(
        "For each era, how many of the selected events are backed by at least one source of each "
        "perspective. An event backed by several perspectives counts in each."
    )
    table = stats.balance(ctx.events, pkg.eras)
    if table.empty:
        st.info("No event in the current selection cites a source with a perspective.")
    else:
        st.plotly_chart(
            _balance(ctx.unselected()),
            key="balance_chart",
            config={"displaylogo": False},
            width="stretch",
            alt="Events per era backed by each perspective's sources; the same counts are in "
            "'The record's balance as a table'.",
        )
        with st.expander("The record's balance as a table"):
            wide = table.pivot_table(
                index="era", columns="perspective", values="events", observed=True, fill_value=0
            )
            wide.columns = [PERSPECTIVES.get(c, c) for c in wide.columns]
            st.dataframe(wide, width="stretch")

    st.header("Seed articles")
    st.markdown("The five articles this project began from, and what they support here.")
    seeds = sources[sources["id"].str.startswith("seed-")]
    for seed in seeds.itertuples(index=False):
        supported = stats.citing(pkg.events, seed.id)
        framed = pkg.claims[pkg.claims["source_id"] == seed.id]
        with st.expander(f"{seed.title} — {seed.publisher}"):
            author = f"{ui.md(seed.author)}, " if isinstance(seed.author, str) else ""
            date = ui.md(seed.published) if isinstance(seed.published, str) else "date not shown"
            st.markdown(
                f"{author}{ui.md(seed.publisher)}, {date} · "
                f"{PERSPECTIVES.get(seed.perspective, seed.perspective)} · {ui.md(seed.kind)} · "
                + (ui.link("link", seed.url) if isinstance(seed.url, str) else "no address found")
            )
            if len(supported):
                st.markdown("**Events it supports**")
                for ev in supported.itertuples(index=False):
                    st.markdown(f"- {ui.md(ev.date_label)}: {ui.md(ctx.rename(ev.title))}")
            if len(framed):
                st.markdown("**Claims it is the source of**")
                for c in framed.itertuples(index=False):
                    st.markdown(f"- {ui.md(c.claimant)}: {ui.md(c.claim)}")

    st.header("Bibliography")
    cols = st.columns(2)
    sides = cols[0].multiselect(
        "Perspective",
        list(PERSPECTIVES),
        format_func=PERSPECTIVES.get,
        key="src_persp",
        placeholder="All perspectives",
    )
    kinds = cols[1].multiselect("Kind", list(SOURCE_KINDS), key="src_kind", placeholder="All kinds")
    shown = sources
    if sides:
        shown = shown[shown["perspective"].isin(sides)]
    if kinds:
        shown = shown[shown["kind"].isin(kinds)]
    st.markdown(f"**{len(shown):,} sources**")
    st.dataframe(
        shown[
            [
                "title",
                "publisher",
                "author",
                "published",
                "perspective",
                "kind",
                "language",
                "events",
                "claims",
                "url",
            ]
        ],
        hide_index=True,
        width="stretch",
        height=520,
        column_config={
            "title": st.column_config.TextColumn("Title", width="large"),
            "publisher": "Publisher",
            "author": "Author",
            "published": "Date",
            "perspective": "Perspective",
            "kind": "Kind",
            "language": "Lang.",
            "events": st.column_config.NumberColumn("Events", help="events citing it"),
            "claims": st.column_config.NumberColumn("Claims", help="framings it is the source of"),
            "url": st.column_config.LinkColumn("Link", display_text="open"),
        },
    )


if __name__ == "__main__":
    render(ui.current_context())
