"""Perspectives: each side's framing of contested events, side by side, and a glossary."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from timeline import card, stats, ui
from timeline.schema import GLOSSARY_SUBJECTS, PERSPECTIVES

PER_PAGE = 15


def _cite(sources: pd.DataFrame, source_id: str) -> str:
    if source_id not in sources.index:
        return ui.md(source_id)
    src = sources.loc[source_id]
    date = f", {ui.md(src['published'])}" if pd.notna(src.get("published")) else ""
    return f"{ui.link(src['publisher'], src.get('url'))}{date}"


def glossary(ctx: ui.Context) -> None:
    terms = ctx.package.glossary
    if terms is None or terms.empty:
        return
    st.header("Glossary: what each side calls it")
    sources = ctx.package.sources.set_index("id")
    sides = [p for p in PERSPECTIVES if p in set(terms["perspective"])]
    for subject in [s for s in GLOSSARY_SUBJECTS if s in set(terms["subject"])]:
        rows = terms[terms["subject"] == subject]
        with st.container(border=True):
            st.markdown(f"**{ui.md(subject[0].upper() + subject[1:])}**")
            for side, col in zip(sides, st.columns(len(sides)), strict=True):
                mine = rows[rows["perspective"] == side]
                with col:
                    st.caption(PERSPECTIVES[side])
                    for term in mine.itertuples(index=False):
                        note = f" — {ui.md(term.note)}" if pd.notna(term.note) else ""
                        st.markdown(
                            f"“{ui.md(term.term)}”{note} ({_cite(sources, term.source_id)})"
                        )


def render(ctx: ui.Context) -> None:
    st.title("Perspectives")
    ui.count_line(ctx)
    st.markdown(
        "How the sides frame the same events. Each framing is paraphrased and attributed to who "
        "holds it, with its source; the sidebar filters choose the period and categories."
    )
    claims = ctx.package.claims
    if claims.empty:
        st.info("The data shown has no claims.")
        return
    minimum = (
        st.segmented_control(
            "Events framed by at least",
            [2, 3, 4],
            default=2,
            key="min_sides",
            format_func=lambda n: f"{n} perspectives",
        )
        or 2
    )
    contested, shown = stats.contested(ctx.events, claims, minimum)
    st.markdown(f"**{len(contested):,} contested events** in the current selection")
    if contested.empty:
        st.info("No event in this selection has framings from that many perspectives.")
    else:
        pages = (len(contested) - 1) // PER_PAGE + 1
        page = st.number_input("Page", 1, pages, 1, key="persp_page") if pages > 1 else 1
        sources = ctx.package.sources.set_index("id")
        listed = contested.iloc[(page - 1) * PER_PAGE : page * PER_PAGE]
        on_page = shown[shown["event_id"].isin(listed["id"])]
        checks = card.claim_checks(ctx.package, on_page.get("id", ()))
        for row in listed.itertuples():
            mine = shown[shown["event_id"] == row.id]
            sides = [p for p in PERSPECTIVES if p in set(mine["perspective"])]
            with st.container(border=True):
                st.caption(ui.md(row.date_label))
                st.markdown(f"**{ui.md(row.title)}**")
                for side, col in zip(sides, st.columns(len(sides)), strict=True):
                    with col:
                        st.markdown(f"*{PERSPECTIVES[side]}*")
                        for claim in mine[mine["perspective"] == side].itertuples(index=False):
                            flag = checks.flag(getattr(claim, "id", None))
                            st.markdown(
                                f"{ui.md(claim.claimant)}: {ui.md(claim.claim)} "
                                f"({_cite(sources, claim.source_id)})" + flag
                            )
                st.button(
                    "Open the event",
                    key=f"open_{row.id}",
                    on_click=ui.select_event,
                    args=(row.id,),
                )
        ui.show_card(ctx)
    glossary(ctx)


if __name__ == "__main__":
    render(ui.current_context())
