"""Shared Streamlit widgets: data loading, sidebar filters, URL sync, event card, downloads."""

from __future__ import annotations

import datetime as dt
import json
import re
import string
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pandas as pd
import streamlit as st

from timeline import load, query, stats
from timeline.charts import category_label
from timeline.names import Renamer, place_names
from timeline.schema import CATEGORIES, EVENT_COLUMNS, NAME_USAGES, PERSPECTIVES

FILTER_KEYS = (
    "f_dates",
    "f_categories",
    "f_actors",
    "f_place",
    "f_perspectives",
    "f_support",
    "f_q",
)
EXPORT_COLUMNS = [c for c in EVENT_COLUMNS] + ["date_label", "perspectives"]


@dataclass(frozen=True)
class Context:
    """Everything a page needs: the data, the view, the filtered events, the naming."""

    package: load.Package
    view: query.View
    events: pd.DataFrame
    places: pd.Series
    rename: Renamer


# ----------------------------------------------------------------------------- data


@st.cache_resource(show_spinner="Loading the data…", max_entries=2)
def _bundled(stamp: tuple) -> load.Package:
    return load.load_package()


def bundled_package() -> load.Package:
    """Loaded and validated once per version of data/, shared read-only by every session."""
    stamp = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in load.DATA_DIR.glob("*.csv")))
    return _bundled(stamp)


@st.cache_resource(show_spinner="Reading your file…", max_entries=4)
def file_package(path: str, mtime: float) -> load.Package:
    base = bundled_package()
    data = Path(path).read_bytes()
    return load.package_with_events(base, load.read_events_file(data, path))


USER_FILE = "user_file"


def upload_limit_mb() -> int:
    return int(st.get_option("server.maxUploadSize"))


def read_upload(uploaded) -> load.EventsFile:
    """Read an uploaded file once; the result is kept for this session only."""
    pending = st.session_state.get("_pending")
    if pending is not None and pending[0] == uploaded.file_id:
        return pending[1]
    if uploaded.size > upload_limit_mb() * 1024 * 1024:
        result = load.EventsFile(
            uploaded.name,
            load.empty_events(),
            [
                load.Problem(
                    uploaded.name,
                    1,
                    "-",
                    f"the file is larger than {upload_limit_mb()} MB; split it or "
                    "keep the columns you need",
                )
            ],
        )
    else:
        result = load.read_events_file(uploaded.getvalue(), uploaded.name)
    st.session_state["_pending"] = (uploaded.file_id, result)
    return result


def forget_pending() -> None:
    st.session_state.pop("_pending", None)


def use_file(result: load.EventsFile) -> None:
    st.session_state[USER_FILE] = result
    reset_filters()


def use_bundled() -> None:
    st.session_state.pop(USER_FILE, None)
    st.session_state.pop("upload", None)
    forget_pending()
    reset_filters()


def package_for(data_path: str | None) -> tuple[load.Package, list[str]]:
    """The package to show, and messages about a --data file that could not be used.

    A file opened on the Data page wins, for this session only.
    """
    user = st.session_state.get(USER_FILE)
    if user is not None:
        cached = st.session_state.get("_user_package")
        if cached is None or cached[0] is not user:
            cached = (user, load.package_with_events(bundled_package(), user))
            st.session_state["_user_package"] = cached
        return cached[1], []
    if not data_path:
        package = bundled_package()
        return package, [str(p) for p in package.problems]
    path = Path(data_path)
    try:
        mtime = path.stat().st_mtime
    except OSError as err:
        return bundled_package(), [f"{data_path}:1: -: cannot read the file ({err.strerror})"]
    package = file_package(str(path), mtime)
    return package, [str(p) for p in package.problems]


@st.cache_resource(max_entries=256, show_spinner=False)
def _memo(name: str, token: str, key: tuple, _build):
    return _build()


def memo(ctx: Context, name: str, build, *key):
    """Build a figure or figure-like result once per (data version, view, extra key).

    A rerun whose inputs did not change (a card opened, a download) reuses what was built.
    Results are shared read-only between sessions only when they come from the same data.
    """
    return _memo(name, ctx.package.token, (ctx.view.filters(), ctx.view.names, *key), build)


def memo_data(ctx: Context, name: str, build):
    """Like memo, for results that depend on the data alone, not on the view."""
    return _memo(name, ctx.package.token, (), build)


# ----------------------------------------------------------------------------- text safety

_PUNCT = re.compile("([" + re.escape(string.punctuation) + "])")


def md(text: object) -> str:
    """Data text made inert for st.markdown: every markdown and HTML character escaped."""
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    return _PUNCT.sub(r"\\\1", str(text)).replace("\n", "  \n")


def safe_url(url: object) -> str | None:
    if not isinstance(url, str) or not re.match(r"^https?://[^\s]+$", url.strip(), re.I):
        return None
    return quote(url.strip(), safe=":/?#[]@!$&'*+,;=%~").replace("(", "%28").replace(")", "%29")


def link(label: object, url: object) -> str:
    target = safe_url(url)
    return f"[{md(label)}]({target})" if target else md(label)


# ----------------------------------------------------------------------------- filters


def _params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def date_bounds(events: pd.DataFrame) -> tuple[dt.date, dt.date]:
    if events.empty or events["start"].isna().all():
        return dt.date(1918, 1, 1), dt.date(2024, 1, 1)
    return events["start"].min().date(), events["stop"].max().date()


def reset_filters() -> None:
    for key in FILTER_KEYS + ("event",):
        st.session_state.pop(key, None)
    names = st.session_state.get("f_names", "international")
    st.query_params.from_dict({} if names == "international" else {"names": names})
    st.session_state["view_seeded"] = False


def _seed(view: query.View, lo: dt.date, hi: dt.date) -> None:
    st.session_state["f_dates"] = (max(view.start or lo, lo), min(view.end or hi, hi))
    st.session_state["f_categories"] = list(view.categories)
    st.session_state["f_actors"] = list(view.actors)
    st.session_state["f_place"] = view.place or ""
    st.session_state["f_perspectives"] = list(view.perspectives)
    st.session_state["f_support"] = view.support
    st.session_state["f_q"] = view.q
    st.session_state["f_names"] = view.names
    st.session_state["event"] = view.event


def view_from_state(package: load.Package) -> tuple[query.View, list[str]]:
    """The view the filters hold. The URL seeds them once per session; afterwards they write
    the URL. Read before the page is drawn; the widgets themselves are drawn after it
    (`filters`), so that the page's text and first chart reach the browser first."""
    vocab, _actors, lo, hi = _vocabulary(package.token, package)
    notices: list[str] = []
    if not st.session_state.get("view_seeded"):
        view, notices = query.from_params(_params(), vocab)
        _seed(view, lo, hi)
        st.session_state["view_seeded"] = True
    dates = st.session_state.get("f_dates") or (lo, hi)
    start = dates[0] if len(dates) > 0 else lo
    end = dates[1] if len(dates) > 1 else hi
    view = query.View(
        start=start if start > lo else None,
        end=end if end < hi else None,
        categories=tuple(st.session_state.get("f_categories") or ()),
        actors=tuple(st.session_state.get("f_actors") or ()),
        place=st.session_state.get("f_place") or None,
        perspectives=tuple(st.session_state.get("f_perspectives") or ()),
        support=st.session_state.get("f_support") or "any",
        q=(st.session_state.get("f_q") or "").strip(),
        event=st.session_state.get("event"),
        names=st.session_state.get("f_names") or "international",
    )
    sync_url(view)
    return view, notices


def _relabel_place() -> None:
    """The place box shows names in the chosen usage, and Streamlit keeps a selectbox's
    choice by its label: without this, a place chosen as Stepanakert would be lost (or
    read back as an unknown 'Stepanakert') once the labels say Khankendi. Setting the
    choice again makes the next run send it with the new label."""
    st.session_state["f_place"] = st.session_state.get("f_place", "")


def filters(package: load.Package) -> None:
    """The shared filter widgets in the sidebar; their values are in session state under
    FILTER_KEYS, which `view_from_state` read at the start of this run."""
    events = package.events
    vocab, actors, lo, hi = _vocabulary(package.token, package)
    side = st.sidebar
    side.radio(
        "Place names",
        list(NAME_USAGES),
        format_func=NAME_USAGES.get,
        key="f_names",
        on_change=_relabel_place,
        horizontal=True,
        help="Contested names follow the usage you choose: e.g. Stepanakert / Khankendi.",
    )
    usage = st.session_state.get("f_names", "international")
    side.date_input(
        "Dates",
        min_value=lo,
        max_value=hi,
        key="f_dates",
        format="YYYY-MM-DD",
    )
    side.multiselect(
        "Categories",
        query_order(events),
        format_func=category_label,
        key="f_categories",
        placeholder="All categories",
    )
    side.multiselect("Actors", actors, key="f_actors", placeholder="All actors")
    names = place_names(package.places, usage)
    used_places = sorted(vocab.places, key=lambda p: str(names.get(p, p)))
    side.selectbox(
        "Place",
        ["", *used_places],
        key="f_place",
        format_func=lambda p: "Any place" if not p else str(names.get(p, p)),
    )
    side.multiselect(
        "Source perspective",
        list(PERSPECTIVES),
        format_func=PERSPECTIVES.get,
        key="f_perspectives",
        placeholder="Any perspective",
        help="Events backed by at least one source of the chosen perspectives.",
    )
    side.selectbox(
        "Sources behind the event",
        list(query.SUPPORT),
        format_func=query.SUPPORT.get,
        key="f_support",
    )
    side.text_input("Search", key="f_q", placeholder="e.g. Khojaly, ICJ, fuel")
    side.button("Reset filters", on_click=reset_filters, width="stretch")


@st.cache_resource(max_entries=16, show_spinner=False)
def _vocabulary(token: str, _package: load.Package):
    """What the sidebar offers, computed once per loaded version of the data."""
    events = _package.events
    vocab = query.Vocabulary.of(events)
    return vocab, sorted(vocab.actors), *date_bounds(events)


def query_order(events: pd.DataFrame) -> list[str]:
    present = {str(c) for c in events["category"].dropna().unique()}
    return [c for c in CATEGORIES if c in present] + sorted(present - set(CATEGORIES))


def sync_url(view: query.View) -> None:
    wanted = view.to_params()
    current = {
        k: (v if len(v) > 1 or k in ("category", "actor", "perspective") else v[0])
        for k, v in _params().items()
    }
    normal = {k: (list(v) if isinstance(v, list) else v) for k, v in wanted.items()}
    if current != normal:
        st.query_params.from_dict(wanted)


def select_event(event_id: str | None) -> None:
    st.session_state["event"] = event_id


def _pick_from(key: str) -> None:
    """The event chosen in a picker opens; the picker empties again, ready for the next."""
    picked = st.session_state.get(key)
    if picked:
        select_event(picked)
    st.session_state[key] = None


def event_picker(ctx: Context, events: pd.DataFrame, key: str, label: str) -> None:
    """Every event of the list reachable by keyboard: type part of a title, Enter opens its card.

    Charts cannot be walked with the keyboard; this box can, and on a phone it is easier to
    hit than a marker.
    """
    if events.empty:
        return
    rows = events.sort_values("start", kind="stable")
    labels = dict(
        zip(
            rows["id"],
            rows["date_label"].astype(str) + " — " + rows["title"].astype(str),
            strict=True,
        )
    )
    st.selectbox(
        label,
        list(labels),
        index=None,
        key=key,
        format_func=labels.get,
        placeholder=f"Type to search {len(labels):,} events, Enter opens the card",
        on_change=_pick_from,
        args=(key,),
    )


def _dismiss_card() -> None:
    select_event(None)


def show_card(ctx: Context) -> None:
    """The selected event's card as a dialog over the page, where the eye already is; focus
    moves into it, Escape or the close button closes it and clears the event from the URL."""
    event_id = ctx.view.event
    if not event_id:
        return

    @st.dialog("Event", width="large", on_dismiss=_dismiss_card)
    def card() -> None:
        event_card(ctx, event_id)
        st.button("Close the card", on_click=select_event, args=(None,), key="close_card")

    card()


def follow(source: str, picked: str | None, selected: str | None) -> None:
    """Open the event a chart or table has just picked.

    A widget's selection outlives the rerun it caused, so only a change of that selection
    counts: closing a card, or picking in another widget, is not undone by a stale pick.
    """
    key = f"_picked_{source}"
    if st.session_state.get(key) == picked:
        return
    st.session_state[key] = picked
    if picked and picked != selected:
        select_event(picked)
        st.rerun()


def current_context() -> Context:
    """The context app.py built for this run (pages are scripts run by st.navigation)."""
    return st.session_state["_context"]


def context(package: load.Package, view: query.View) -> Context:
    """The run's context; titles of the filtered events follow the chosen place names
    (international usage too: a title naming a place in one side's usage is put in it)."""
    rename = renamer(package, view.names)
    events = query.apply(package.events, view)
    if rename.pattern is not None:
        events = events.assign(title=rename.series(events["title"], events["start"]))
    return Context(
        package=package,
        view=view,
        events=events,
        places=place_names(package.places, view.names),
        rename=rename,
    )


def renamer(package: load.Package, usage: str) -> Renamer:
    return Renamer(package.places if len(package.places) else None, usage)


# ----------------------------------------------------------------------------- page parts


def count_line(ctx: Context) -> None:
    n = len(ctx.events)
    total = len(ctx.package.events)
    word = "event" if n == 1 else "events"
    suffix = f" of {total:,}" if ctx.view.is_filtered else ""
    st.markdown(f"**{n:,} {word}**{suffix}")
    if n == 0:
        st.info("No events match these filters. Widen the dates or clear a filter.")
        st.button("Reset filters", on_click=reset_filters, key="reset_empty")


def show_notices(
    notices: list[str], data_messages: list[str], package: load.Package | None = None
) -> None:
    user = st.session_state.get(USER_FILE)
    if user is not None:
        cols = st.columns([4, 1], vertical_alignment="center")
        cols[0].info(
            f"Showing your file {md(user.name)} ({len(user.events):,} events), in this tab only."
        )
        cols[1].button("Back to the bundled data", on_click=use_bundled, key="banner_back")
    elif package is not None and package.origin != "bundled":
        st.caption(f"Showing {md(package.origin)} ({len(package.events):,} events).")
    for notice in notices:
        st.toast(notice)
        st.caption(f"ⓘ {md(notice)}")
    if data_messages:
        with st.expander(f"The data has {len(data_messages)} problem(s)", expanded=True):
            st.code("\n".join(data_messages[:200]), language=None)


def figures_line(row: pd.Series) -> str | None:
    parts = []
    for what, lo, hi in (
        ("Deaths", "deaths_low", "deaths_high"),
        ("Displaced", "displaced_low", "displaced_high"),
    ):
        a, b = row.get(lo), row.get(hi)
        if pd.notna(a) or pd.notna(b):
            a = b if pd.isna(a) else a
            b = a if pd.isna(b) else b
            parts.append(f"{what}: {int(a):,}" if a == b else f"{what}: {int(a):,}–{int(b):,}")
    return " · ".join(parts) or None


@st.cache_resource(max_entries=16, show_spinner=False)
def _event_index(token: str, _package: load.Package) -> pd.Index:
    """Event id -> row, built once per data version (ids are unique by schema)."""
    return pd.Index(_package.events["id"])


def event_card(ctx: Context, event_id: str) -> None:
    events = ctx.package.events
    index = _event_index(ctx.package.token, ctx.package)
    if event_id not in index:
        st.warning("That event is not in the data shown.")
        return
    row = events.iloc[index.get_loc(event_id)]
    pkg = ctx.package
    with st.container(border=True):
        st.caption(
            f"{md(row['date_label'])} · date known to the {md(row['date_precision'])} · "
            f"{md(category_label(row['category']))}"
        )
        st.markdown(f"### {md(ctx.rename.at(row['title'], row['start']))}")
        if pd.notna(row.get("summary")):
            st.markdown(md(ctx.rename.at(row["summary"], row["start"])))
        place_id = row.get("place_id")
        if (
            isinstance(place_id, str)
            and len(pkg.places)
            and place_id in set(pkg.places["place_id"])
        ):
            p = pkg.places.set_index("place_id").loc[place_id]
            st.markdown(
                f"**Place:** {md(ctx.places.get(place_id, p['name']))} "
                f"(international: {md(p['name'])}; Armenian usage: {md(p['name_hy'])}; "
                f"Azerbaijani usage: {md(p['name_az'])})"
            )
        if pd.notna(row.get("actors")):
            st.markdown(
                f"**Actors:** {md(ctx.rename.at(row['actors'].replace(';', ', '), row['start']))}"
            )
        figures = figures_line(row)
        if figures:
            note = (
                f" — {md(ctx.rename.at(row['figures_note'], row['start']))}"
                if pd.notna(row.get("figures_note"))
                else ""
            )
            st.markdown(f"**Figures:** {md(figures)}{note}")
        if row["date_precision"] == "day":
            crossed = stats.arrived_by_day(pkg.displacement, row["start"])
            if crossed:
                src = pkg.sources.set_index("id").loc[crossed["source_id"]]
                at = f" (figure of {crossed['time']})" if pd.notna(crossed["time"]) else ""
                st.markdown(
                    f"**People arrived in Armenia by the end of that day:** "
                    f"{crossed['value']:,}{md(at)}, {link(src['publisher'], src.get('url'))}"
                )
        if pd.notna(row.get("media")):
            credit = row.get("media_credit")
            st.markdown(f"**Media:** {link(credit if pd.notna(credit) else 'link', row['media'])}")
        cited = row.get("source_ids")
        ids = [s.strip() for s in cited.split(";") if s.strip()] if isinstance(cited, str) else []
        if ids:
            by_id = pkg.sources.set_index("id") if len(pkg.sources) else pd.DataFrame()
            lines = []
            for sid in ids:
                if sid in by_id.index:
                    s = by_id.loc[sid]
                    bits = [md(s["publisher"])]
                    if pd.notna(s.get("published")):
                        bits.append(md(s["published"]))
                    bits.append(md(PERSPECTIVES.get(s["perspective"], s["perspective"])))
                    bits.append(md(s["kind"]))
                    lines.append(f"- {link(s['title'], s.get('url'))} — {' · '.join(bits)}")
                else:
                    lines.append(f"- {md(sid)}")
            st.markdown("**Sources**\n\n" + "\n".join(lines))
        claims_block(ctx, event_id)


def claims_block(ctx: Context, event_id: str) -> None:
    claims = ctx.package.claims
    if claims.empty:
        return
    rows = claims[claims["event_id"] == event_id]
    if rows.empty:
        return
    st.markdown("**How each side frames it**")
    sides = [p for p in PERSPECTIVES if p in set(rows["perspective"])]
    sources = ctx.package.sources.set_index("id")
    for side, col in zip(sides, st.columns(len(sides)), strict=True):
        with col:
            st.markdown(f"*{PERSPECTIVES[side]}*")
            for claim in rows[rows["perspective"] == side].itertuples(index=False):
                src = sources.loc[claim.source_id] if claim.source_id in sources.index else None
                cite = (
                    link(src["publisher"], src.get("url"))
                    if src is not None
                    else md(claim.source_id)
                )
                date = (
                    f", {md(src['published'])}"
                    if src is not None and pd.notna(src.get("published"))
                    else ""
                )
                st.markdown(f"{md(claim.claimant)}: {md(claim.claim)} ({cite}{date})")


TABLE_ROWS = 2_000


def events_table(ctx: Context, events: pd.DataFrame, key: str) -> str | None:
    """The accessible alternative to the chart. Selecting a row returns its event id."""
    if len(events) > TABLE_ROWS:
        st.caption(
            f"The table shows the first {TABLE_ROWS:,} of {len(events):,} events by date; "
            "narrow the filters to see the rest, or download them all."
        )
        events = events.nsmallest(TABLE_ROWS, "start")
    elif not events["start"].is_monotonic_increasing:
        events = events.sort_values("start", kind="stable")
    table = pd.DataFrame(
        {
            "Title": events["title"],
            "Date": events["date_label"],
            "Deaths": figure_range(events, "deaths"),
            "Displaced": figure_range(events, "displaced"),
            "Category": events["category"].map(category_label),
            "Place": events["place_id"].astype("object").map(ctx.places).fillna(""),
            "Sources": events["source_ids"].fillna("").str.count(";")
            + events["source_ids"].notna(),
            "id": events["id"],
        }
    ).reset_index(drop=True)
    state = st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        height=min(420, 38 + 35 * max(len(table), 1)),
        column_config={
            "Title": st.column_config.TextColumn(width="large", pinned=True),
            "Date": st.column_config.TextColumn(width="medium"),
            "Deaths": st.column_config.TextColumn(
                help="as the sources give it; a range is low–high (see the card's note)"
            ),
            "Displaced": st.column_config.TextColumn(help="people displaced, as for deaths"),
            "Sources": st.column_config.NumberColumn(help="number of sources cited", width="small"),
            "id": None,
        },
        on_select="rerun",
        selection_mode=["single-cell", "single-row"],
        key=key,
    )
    if state is None:
        return None
    rows = list(state.selection.rows) + [cell[0] for cell in state.selection.get("cells", [])]
    if rows:
        return str(table.iloc[rows[0]]["id"])
    return None


def figure_range(events: pd.DataFrame, what: str) -> pd.Series:
    """'20–218', '5,000' or blank (never 'None') per event, from `<what>_low`/`<what>_high`."""
    lo = events[f"{what}_low"].astype("Float64")
    hi = events[f"{what}_high"].astype("Float64")
    lo, hi = lo.fillna(hi), hi.fillna(lo)
    text = [
        "" if pd.isna(a) else f"{int(a):,}" if a == b else f"{int(a):,}–{int(b):,}"
        for a, b in zip(lo, hi, strict=True)
    ]
    return pd.Series(text, index=events.index, dtype="object")


def neutralised_csv(events: pd.DataFrame) -> bytes:
    out = events[[c for c in EXPORT_COLUMNS if c in events]].copy()
    text_cols = [
        c
        for c in out.columns
        if c not in ("deaths_low", "deaths_high", "displaced_low", "displaced_high")
    ]
    out[text_cols] = out[text_cols].map(load.neutralise)
    return out.to_csv(index=False).encode("utf-8")


def events_json(events: pd.DataFrame) -> bytes:
    out = events[[c for c in EXPORT_COLUMNS if c in events]]
    records = json.loads(out.to_json(orient="records", force_ascii=False))
    return json.dumps(records, ensure_ascii=False, indent=1).encode("utf-8")


def downloads(ctx: Context, key: str = "dl") -> None:
    events = ctx.events
    cols = st.columns(3)
    cols[0].download_button(
        "Download CSV",
        lambda: neutralised_csv(events),
        "events.csv",
        "text/csv",
        width="stretch",
        key=f"{key}_csv",
    )
    cols[1].download_button(
        "Download JSON",
        lambda: events_json(events),
        "events.json",
        "application/json",
        width="stretch",
        key=f"{key}_json",
    )
    pkg = ctx.package
    cols[2].download_button(
        "Download TimelineJS sheet",
        lambda: timelinejs_csv(events, pkg),
        "events-timelinejs.csv",
        "text/csv",
        width="stretch",
        key=f"{key}_tj",
    )


def timelinejs_csv(events: pd.DataFrame, package: load.Package) -> bytes:
    sheet = load.to_timelinejs(events, package.eras, package.title)
    return sheet.to_csv(index=False).encode("utf-8")
