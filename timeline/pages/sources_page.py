"""Sources: the bibliography, what each source supports, and where the record leans."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from timeline import card, charts, load, publish, stats, ui
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
        filters = ui.active_filters(ctx)
        ui.chart(
            _balance(ctx.unselected()),
            publish.Meta(
                name="nagorno-karabakh-sources-by-perspective",
                title="Where the record leans: events backed by each perspective's sources",
                subtitle="By era; an event backed by several perspectives counts in each. "
                + ("Filtered by " + "; ".join(filters) if filters else "Every event."),
                source="this timeline's table of sources (the bibliography below)",
            ),
            key="balance_chart",
            alt="Events per era backed by each perspective's sources; the same counts are in "
            "'The record's balance as a table'.",
        )
        with st.expander("The record's balance as a table"):
            wide = table.pivot_table(
                index="era", columns="perspective", values="events", observed=True, fill_value=0
            )
            wide.columns = [PERSPECTIVES.get(c, c) for c in wide.columns]
            st.dataframe(wide, width="stretch")

    _register(ctx)
    _checks(ctx)
    _samples(pkg.samples)

    st.header("Seed articles")
    seeds = sources[sources["id"].str.startswith("seed-")]
    st.markdown(
        f"The {len(seeds)} articles this project began from (some of them were found together "
        "in one document), and what each supports here."
    )
    for seed in seeds.itertuples(index=False):
        supported = stats.citing(pkg.events, seed.id)
        framed = pkg.claims[pkg.claims["source_id"] == seed.id]
        with st.expander(f"{ui.md(seed.title)} — {ui.md(seed.publisher)}"):
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
        format_func=lambda p: PERSPECTIVES.get(p, p),
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
    columns = [
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
    st.dataframe(
        # an unknown author, date or language shows as an empty cell, not as the word "None"
        shown[columns].fillna(dict.fromkeys(["author", "published", "language"], "")),
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

    _licence()


PUBLISHER_TYPES = {
    "news_agency": "News agency",
    "newspaper": "Newspaper",
    "broadcaster": "Broadcaster",
    "magazine": "Magazine",
    "government": "Government",
    "intergovernmental": "Intergovernmental (UN, OSCE, courts, ICRC…)",
    "ngo": "NGO",
    "think_tank": "Think tank",
    "academic": "Academic",
    "reference": "Reference work",
    "mirror_or_aggregator": "Mirror or aggregator (a copy)",
    "blog_or_personal": "Blog or personal site",
    "partisan_site": "Partisan site",
    "unregistered": "Not in the register",
}


def _register(ctx: ui.Context) -> None:
    pkg = ctx.package
    if pkg.publishers.empty or "source_ids_list" not in ctx.events:
        return
    st.subheader("How the selected events are sourced")
    st.markdown(
        "Each event counted once, under the strongest kind of publisher it cites. Publishers "
        "with editorial responsibility (agencies, newspapers, broadcasters, governments, courts "
        "and the UN, NGOs, scholars) are what makes an event citable; a mirror, aggregator or "
        "blog is only where a text was read."
    )
    best = stats.strongest_type(ctx.events, pkg.sources, pkg.publishers)
    counts = best.value_counts()
    order = [t for t in stats.EDITORIAL_TYPES_ORDER if t in counts.index]
    st.dataframe(
        {
            "Strongest publisher cited": [PUBLISHER_TYPES.get(t, t) for t in order],
            "Events": [int(counts[t]) for t in order],
        },
        hide_index=True,
    )
    weak = ctx.events.loc[~ctx.events["has_editorial_source"].astype(bool)]
    if len(weak):
        with st.expander(
            f"{len(weak):,} selected events rest only on sources without editorial responsibility"
        ):
            st.markdown(
                "No page from a publisher with editorial responsibility was found for these; "
                "each card says so. Treat them with care."
            )
            _event_list(ctx, weak)
    st.subheader("Register of publishers")
    st.markdown(
        "Every source links to its publisher here: what kind of publisher it is, whether it "
        "takes editorial responsibility, its country and the standpoint it speaks from. A copy "
        "of another page names the original publisher."
    )
    table = stats.register(pkg.publishers, pkg.sources, ctx.events)
    table = table.assign(
        type=table["type"].map(lambda t: PUBLISHER_TYPES.get(t, t)),
        editorial=table["editorial"].map({"yes": "yes", "no": "no"}),
    )
    st.dataframe(
        table[["name", "type", "editorial", "country", "standpoint", "sources", "events"]].fillna(
            dict.fromkeys(["country", "standpoint"], "")
        ),
        hide_index=True,
        width="stretch",
        height=420,
        column_config={
            "name": st.column_config.TextColumn("Publisher", width="medium"),
            "type": "Type",
            "editorial": st.column_config.TextColumn(
                "Editorial", help="takes editorial responsibility for what it publishes"
            ),
            "country": "Country",
            "standpoint": st.column_config.TextColumn("Standpoint", width="medium"),
            "sources": st.column_config.NumberColumn("Sources"),
            "events": st.column_config.NumberColumn("Events", help="selected events citing it"),
        },
    )


# The last reading of an event's pages, as the Sources page counts it. (A comment, not a
# docstring: Streamlit writes a bare string in a page's body onto the page.)
READINGS = {
    "confirmed": "Confirmed against its pages",
    "corrected": "Corrected to what its pages say",
    "not_confirmed": "Not confirmed: a page could not be read",
}

STANDARD = """Every reading of a row against its pages is judged by one written standard. The test:
would a reader of our sentence come away believing something the page does not say? If so, or
in doubt, it is an error and is corrected:

- **date**: not the pages' date, or one date stated as settled where the pages disagree;
- **figure**: unlike the page's, of another period, place or side, rounded to another number,
  or a first count where a cited page has a later official one;
- **unsupported**: a statement of fact that no cited page carries, even if true;
- **wrong speaker**: words or a figure credited to another person or body than the page names;
- **unattributed**: a party's contested account or loaded term in our own voice;
- **changed strength**: more or less certain, final, complete or lasting than the page says
  ("reportedly" dropped, initialled made signed, damaged made destroyed, "main" dropped);
- **missing**: the main outcome, or a side that suffered, left out;
- **form**: quotation marks around words not on the page, "reports" for one page, a title
  firmer than its summary.

Another word for the same thing, with the same scope, certainty and speaker, is not an error.
The full standard and the random samples that measure the error rate are in the data's README."""


@ui.cached(16)
def _standing(package: load.Package) -> pd.DataFrame:
    return card.audit_standing(package)


def _checks(ctx: ui.Context) -> None:
    """How the selected events stand in the audit: the last reading of each one's pages."""
    standing = _standing(ctx.package)
    if standing.empty:
        return
    st.subheader("How the selected events were checked")
    st.markdown(
        "Each event was read against the pages it cites, and every reading is recorded in the "
        "audit (`audit.csv`). Counted here: the last reading of each selected event's pages."
    )
    shown = standing.reindex(ctx.events["id"])
    results = shown["result"].fillna("unread")
    counts = results.value_counts()
    labels = {**READINGS, "unread": "Not yet read on its pages"}
    order = [r for r in labels if r in counts.index]
    st.dataframe(
        {
            "Events": [int(counts[r]) for r in order],
            "Last reading of its pages": [labels[r] for r in order],
        },
        hide_index=True,
    )
    for column, how in (
        ("reworded", "reworded since, at a check that read no page"),
        (
            "shortened",
            "shortened since by a cut that took statements out and added none, so what is "
            "left is what the last reading read",
        ),
    ):
        n = int(shown[column].eq(True).sum())
        if n:
            one = n == 1
            st.markdown(
                f"{n:,} of them {'was' if one else 'were'} {how}; "
                f"{'its card says' if one else 'their cards say'} so."
            )
    flagged = ctx.events.loc[(results == "not_confirmed").to_numpy()]
    if len(flagged):
        n = len(flagged)
        label = (
            f"{n:,} selected event{'s are' if n != 1 else ' is'} not confirmed by the pages read"
        )
        with st.expander(label):
            st.markdown(
                "A statement of each rests on a page that could not be brought back and read; "
                "each card says which."
            )
            _event_list(ctx, flagged)
    pkg = ctx.package
    if len(pkg.claims):
        claims = pkg.claims[pkg.claims["event_id"].isin(ctx.events["id"])]
        checks = card.claim_checks(pkg, claims["id"])
        unconfirmed, reworded = len(checks.unconfirmed), len(checks.reworded)
        said = []
        if unconfirmed:
            said.append(
                f"{unconfirmed:,} {'is' if unconfirmed == 1 else 'are'} not confirmed by the "
                "pages read: the claimant's words were not found on any page brought back"
            )
        if reworded:
            one = reworded == 1
            said.append(
                f"{reworded:,} {'was' if one else 'were'} reworded since the last reading of "
                f"{'its' if one else 'their'} page, at a check that read no page"
            )
        if said:
            st.markdown(
                f"Of their {len(claims):,} claims, " + "; ".join(said) + ". Each is marked on "
                "its card."
            )
    with st.expander("What counts as an error"):
        st.markdown(STANDARD)


RULE_LABELS = {"strict": "strict, before the written standard", "standard": "the written standard"}
GOAL = "at most 1 event in 36"
NUMBERS = {2: "two", 3: "three", 4: "four"}


def _kinds(found: int, plain: int, readers: int) -> str:
    """How many of a sample's errors were plain, in words, with what "plain" means for it."""
    if not found:
        return ""
    what = (
        "found by both readers and called borderline by neither"
        if readers > 1
        else "not called borderline by the reader"
    )
    if not plain:
        return f"none of them plain ({what})"
    if plain == found:
        return f"all of them plain ({what})" if found > 1 else f"a plain one ({what})"
    return f"{plain} of them plain ({what})"


def _before(samples: pd.DataFrame, most: int = 3) -> str:
    """What the samples before the latest found, up to `most` of them read under the same rule
    by as many readers, with the count of all of them together: one sample is a small measure,
    and a reader judging the latest needs the ones next to it. Empty when there is none."""
    last = samples.iloc[-1]
    alike = samples.iloc[:-1]
    alike = alike[(alike["rule"] == last["rule"]) & (alike["readers"] == last["readers"])]
    alike = alike.tail(most)
    if alike.empty:
        return ""
    counts = [
        f"{int(f)} of {int(r)}"
        for f, r in zip(alike["events_with_error"], alike["events_read"], strict=True)
    ]
    which = (
        "The sample before it"
        if len(alike) == 1
        else f"The {NUMBERS.get(len(alike), len(alike))} samples before it"
    )
    together = pd.concat([alike, samples.iloc[[-1]]])
    return (
        f"{which}, under the same rule and with as many readers, found an error in "
        f"{publish.listed(counts)}; the {NUMBERS.get(len(together), len(together))} together, "
        f"in {int(together['events_with_error'].sum())} of "
        f"{int(together['events_read'].sum())} events. "
    )


def _samples(samples: pd.DataFrame) -> None:
    """How often an event has an error, as random samples of the whole dataset measured it."""
    if samples.empty:
        return
    st.subheader("How often an event has an error")
    last = samples.iloc[-1]
    read, found, plain = (
        int(last[c]) for c in ("events_read", "events_with_error", "events_plain_error")
    )
    readers = int(last["readers"])
    by = f"{NUMBERS.get(readers, readers)} readers, independently" if readers > 1 else "one reader"
    kinds = _kinds(found, plain, readers)
    st.markdown(
        f"Samples of 36 events drawn at random from {ui.md(last['drawn_from'])} are read again "
        f"on their pages, each event with one or more of its claims. The latest "
        f"(seed {int(last['seed'])}, read by {by}, "
        f"under {RULE_LABELS.get(last['rule'], last['rule'])}) found an error in "
        f"**{found} of {read}** events" + (f", {kinds}" if kinds else "") + ". "
        f"{_before(samples)}The goal is {GOAL}. Every error a sample finds is corrected, but a "
        "new sample draws other events. This measures the whole dataset, not the selection."
    )
    with st.expander(f"All {len(samples)} samples"):
        st.dataframe(
            {
                "Seed": samples["seed"].astype(int).tolist(),
                "Rule": [RULE_LABELS.get(r, r) for r in samples["rule"]],
                "Readers": samples["readers"].astype(int).tolist(),
                "Events read": samples["events_read"].astype(int).tolist(),
                "With an error": samples["events_with_error"].astype(int).tolist(),
                "Plainly wrong": samples["events_plain_error"].astype(int).tolist(),
            },
            hide_index=True,
        )
        noted = samples[samples["note"].fillna("").str.len() > 0]
        for seed, note in zip(noted["seed"], noted["note"], strict=True):
            st.markdown(f"- Seed {int(seed)}: {ui.md(note)}")


def _event_list(ctx: ui.Context, events: pd.DataFrame) -> None:
    """Events as a list of date and title, in the place names the reader chose."""
    for ev in events.itertuples(index=False):
        st.markdown(f"- {ui.md(ev.date_label)}: {ui.md(ctx.rename(ev.title))}")


def _licence() -> None:
    st.subheader("Licence and how to cite")
    st.markdown(ui.LICENCE_TEXT)


if __name__ == "__main__":
    render(ui.current_context())
