"""Shared Streamlit widgets: data loading, sidebar filters, URL sync, event card, downloads."""

from __future__ import annotations

import collections
import dataclasses
import functools
import gc
import hashlib
import logging
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from timeline import allocator, card, exports, load, publish, query, sandbox, stats
from timeline.charts import category_label
from timeline.names import Renamer, place_names
from timeline.schema import EVENT_COLUMNS
from timeline.text import link, md, safe_url  # noqa: F401 (pages use ui.md and ui.safe_url)

EVENT_STATE = next(p.state for p in query.PARAMS if p.role == "selection")
EXPORT_COLUMNS = [c for c in EVENT_COLUMNS] + ["date_label", "perspectives"]

_LOG = logging.getLogger("timeline")


@contextmanager
def error_boundary(what: str) -> Iterator[None]:
    """No traceback and no server path reaches a visitor: an error inside is logged on the
    server with a short reference, and the page says what failed in our words. Streamlit's
    reruns and stops are not `Exception`s and pass through."""
    try:
        yield
    except Exception:
        ref = uuid.uuid4().hex[:8]
        _LOG.exception("error %s while drawing %s", ref, what)
        st.error(
            f"Something went wrong while drawing {what}. The rest of the dashboard still "
            "works: try another page, reset the filters, or reload the page. If it happens "
            f"again, tell the site's maintainers this reference: {ref}."
        )


@dataclass(frozen=True)
class Context:
    """Everything a page needs: the data, the view, the filtered events, the naming."""

    package: load.Package
    view: query.View
    events: pd.DataFrame
    places: pd.Series
    rename: Renamer

    def unselected(self) -> Context:
        """The same context without the open event (what most figures are drawn from)."""
        return context(self.package, self.view.unselected())


# ----------------------------------------------------------------------------- data

allocator.return_freed_memory()  # visitors' uploads are freed back to the system (why: there)


@st.cache_resource(show_spinner="Loading the data…", max_entries=2)
def _bundled(data_dir: str, stamp: tuple) -> load.Package:
    package = load.load_package(Path(data_dir))
    # Streamlit runs a full garbage collection after every script run. Scanning the shared
    # package's objects (hundreds of thousands: cells, list columns) each time cost about
    # 120 ms of CPU per new visitor, two thirds of it (bench/capacity.py, py-spy). They live as
    # long as the server, so they are moved out of the collector's sight once loaded. The
    # sessions open at that moment are frozen too and never collected: a session's data is
    # therefore kept out of st.session_state (`_session_data`).
    gc.collect()
    gc.freeze()
    return package


def bundled_package() -> load.Package:
    """Loaded and validated once per version of data/, shared read-only by every session."""
    stamp = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in load.DATA_DIR.glob("*.csv")))
    return _bundled(str(load.DATA_DIR), stamp)


@st.cache_resource(show_spinner="Reading your file…", max_entries=4)
def file_package(path: str, mtime: float) -> load.Package:
    """The `--data` file, named by its file name only: visitors never see a server path."""
    return load.package_with_events(bundled_package(), load.read_events_path(path))


def _unreadable(err: OSError) -> str:
    return f"cannot read the file ({err.strerror or type(err).__name__})"


USER_FILE = "user_file"
UPLOAD_LIMIT_MB = 20
"""The largest events file we read: the uploader's own limit (the browser refuses a larger
file before sending it) and `read_upload`'s, for a file sent past the browser."""


def upload_limit_mb() -> int:
    return UPLOAD_LIMIT_MB


TOO_LARGE = (
    f"A file larger than {UPLOAD_LIMIT_MB} MB is refused by your browser before it is sent "
    "(its name turns red): split it into periods, or keep only the columns "
    "you need (id, start_date and title are enough)."
)
"""Said under the uploader. The uploader's own `max_upload_size` makes the browser refuse a
larger file at once, with Streamlit's words under the file's name; these say what to do. A
file sent some other way past that check is refused by `read_upload`, in our words."""


@st.cache_resource(scope="session", show_spinner=False)
def _session_store(token: str) -> dict[str, Any]:
    return {}


def _session_data() -> dict[str, Any]:
    """What this session read from its own file, and the run's context: held by Streamlit's
    session-scoped cache, which drops it when the session disconnects.

    Not in st.session_state: the session that is open when `_bundled` loads the data is
    frozen with everything else (gc.freeze), so its state is never collected, and what it
    held stayed for the server's life (tests/test_memory.py found a visitor's package kept).
    A tab that reconnects after a disconnect is told its file is gone (`lost_file_notice`).
    The token tells apart sessions that share an id (AppTest gives every app the same).
    """
    if get_script_run_ctx() is None:  # not in a session's run: nothing of a session here
        return {}
    token = st.session_state.setdefault("_data_token", uuid.uuid4().hex)
    return _session_store(token)


def user_file() -> load.EventsFile | None:
    """The file this session opened on the Data page, if it still holds one."""
    return _session_data().get(USER_FILE)


@dataclass(frozen=True)
class Upload:
    """An uploaded file once read: which upload it was, its content hash, what was read."""

    file_id: str
    name: str
    digest: str
    result: load.EventsFile


def _refused(name: str, message: str, line: int = 1) -> load.EventsFile:
    return load.EventsFile(name, load.empty_events(), [load.Problem(name, line, "-", message)])


def _release(file_id: str) -> None:
    """Drop the uploaded bytes from the server once read: the rows read from them (or the
    refusal) are what the session keeps, so an 18 MB file is not held twice."""
    ctx = get_script_run_ctx()
    if ctx is not None:
        # the memory manager the server runs has remove_file; the base class does not declare it
        ctx.uploaded_file_mgr.remove_file(ctx.session_id, file_id)  # type: ignore[attr-defined]


def read_upload(uploaded) -> Upload:
    """Read an uploaded file once; the result is kept for this session only."""
    pending = _session_data().get("_pending")
    if pending is not None and pending.file_id == uploaded.file_id:
        return pending
    if uploaded.size > UPLOAD_LIMIT_MB * 1024 * 1024:
        digest = ""
        result = _refused(
            uploaded.name,
            f"the file is larger than {UPLOAD_LIMIT_MB} MB ({uploaded.size:,} bytes); split it "
            "or keep only the columns you need",
        )
    else:
        data = uploaded.getvalue()
        digest = hashlib.sha256(data).hexdigest()
        result = sandbox.read_events_file(data, uploaded.name)
        if not result.problems and result.events.empty:
            result = _refused(uploaded.name, "the file has a header but no rows of events", 2)
    upload = Upload(uploaded.file_id, uploaded.name, digest, result)
    _session_data()["_pending"] = upload
    _release(uploaded.file_id)
    return upload


def pending_upload(uploaded) -> Upload | None:
    """The file in the uploader, read: from `uploaded` when the server still holds its
    bytes, else what was read from them when they were released."""
    if uploaded is not None:
        return read_upload(uploaded)
    return _session_data().get("_pending")


def forget_pending() -> None:
    _session_data().pop("_pending", None)


def is_shown(upload: Upload) -> bool:
    """Whether this very content is the file shown (same name and row count is not enough:
    a corrected file often has both)."""
    data = _session_data()
    return data.get(USER_FILE) is not None and data.get("_user_digest") == upload.digest


SHOWN_NAME = "_shown_name"
"""The name of the file shown, kept in st.session_state (a few bytes), so that a session whose
data was dropped on a disconnect says so instead of silently showing ours."""


def use_file(upload: Upload) -> None:
    data = _session_data()
    for key in ("_user_package", "_session_cache"):
        data.pop(key, None)
    data[USER_FILE] = upload.result
    data["_user_digest"] = upload.digest
    st.session_state[SHOWN_NAME] = upload.result.name[:100]
    reset_filters()


def use_bundled() -> None:
    data = _session_data()
    for key in (USER_FILE, "_user_digest", "_user_package", "_session_cache", "_pending"):
        data.pop(key, None)
    for key in (SHOWN_NAME, "_lost_file", "upload"):
        st.session_state.pop(key, None)
    reset_filters()


def package_for(data_path: str | None) -> tuple[load.Package, list[str]]:
    """The package to show, and messages about a --data file that could not be used.

    A file opened on the Data page wins, for this session only.
    """
    data = _session_data()
    user = data.get(USER_FILE)
    if user is None and SHOWN_NAME in st.session_state:
        st.session_state["_lost_file"] = st.session_state.pop(SHOWN_NAME)
        reset_filters()  # they were set on the lost file's events
    if user is not None:
        cached = data.get("_user_package")
        if cached is None or cached[0] is not user:
            cached = (user, load.package_with_events(bundled_package(), user))
            data["_user_package"] = cached
        return cached[1], []
    if not data_path:
        package = bundled_package()
        return package, [str(p) for p in package.problems]
    path = Path(data_path)
    try:
        mtime = path.stat().st_mtime
    except OSError as err:
        return bundled_package(), [str(load.Problem(path.name, 1, "-", _unreadable(err)))]
    package = file_package(str(path), mtime)
    return package, [str(p) for p in package.problems]


def _token(package: load.Package) -> str:
    return package.token


SESSION_CACHE_ENTRIES = 32


def _key(value: object) -> object:
    if isinstance(value, load.Package):
        return value.token
    if isinstance(value, Context):
        return _context_key(value)
    if isinstance(value, query.View):
        return repr(value)
    return value


def _session_package(args: tuple) -> bool:
    """Whether a call is about this session's uploaded file, which no other session can
    ask for: its results stay with the session and go when it ends (in the shared caches
    they outlived it: 170 MB per session that uploaded an 18 MB file)."""
    held = _session_data().get("_user_package")
    if held is None:
        return False
    mine = held[1]
    return any(a is mine or (isinstance(a, Context) and a.package is mine) for a in args)


def cached(max_entries: int = 64):
    """Cache a function on its arguments, so the key cannot drift from what it reads.

    A Package is hashed by its token (one per loaded version of the data), a View by its
    fields, and a Context by both (`context` builds it from them alone). Results are shared
    read-only between sessions that show the same data; a rerun whose arguments did not
    change (a card opened, a download) reuses what was built. Results from a visitor's own
    uploaded file are kept in that session only (`_session_package`).
    """

    def decorate(fn):
        shared = st.cache_resource(
            max_entries=max_entries,
            show_spinner=False,
            hash_funcs=dict(HASHES),
        )(fn)

        @functools.wraps(fn)
        def call(*args):
            if not _session_package(args):
                return shared(*args)
            memo = _session_data().setdefault("_session_cache", {})
            key = (fn.__module__, fn.__qualname__, *map(_key, args))
            if key not in memo:
                while len(memo) >= SESSION_CACHE_ENTRIES:
                    memo.pop(next(iter(memo)))
                memo[key] = fn(*args)
            return memo[key]

        return call

    return decorate


def _context_key(ctx: Context) -> tuple[str, str]:
    return ctx.package.token, repr(ctx.view)


HASHES: dict[str | type[Any], Callable[[Any], Any]] = {
    load.Package: _token,
    query.View: repr,
    Context: _context_key,
}


@cached(16)
def indexed(package: load.Package) -> query.Indexed:
    """The events with the search text and list columns the filters use, once per version."""
    return query.Indexed(package.events)


@cached(16)
def vocabulary(package: load.Package) -> query.Vocabulary:
    """What the sidebar offers and a link may name, computed once per version of the data."""
    return query.Vocabulary.of(indexed(package))


@cached(4)
def headline(package: load.Package) -> stats.Headline:
    return stats.headline(package.events, package.displacement)


@cached(64)
def filtered(package: load.Package, view: query.View) -> pd.DataFrame:
    """The events a view selects, their titles in the view's place-name usage."""
    return _named(query.apply(indexed(package), view), renamer(package, view.names))


def _named(events: pd.DataFrame, rename: Renamer) -> pd.DataFrame:
    if rename.pattern is not None:
        events = events.assign(title=rename.series(events["title"], events["start"]))
    return events


# ----------------------------------------------------------------------------- filters


def url_params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def reset_filters() -> None:
    """Clear every filter and the open event; settings (place names) are kept."""
    for param in query.PARAMS:
        if param.role != "setting":
            st.session_state.pop(param.state, None)
    kept = {
        p.field: st.session_state[p.state]
        for p in query.PARAMS
        if p.role == "setting" and p.state in st.session_state
    }
    st.query_params.from_dict(query.View(**kept).to_params())
    st.session_state["view_seeded"] = False
    _filter_changed()


def view_from_state(package: load.Package) -> tuple[query.View, list[str]]:
    """The view the filters hold. The URL seeds them once per session; afterwards they write
    the URL. Read before the page is drawn; the widgets themselves are drawn after it
    (`filters`), so that the page's text and first chart reach the browser first.

    A value the data no longer allows (the data changed under an open session: a date past
    the new range, an actor no longer named) is dropped or clamped with a notice, and the
    widget is given the repaired value before it is drawn.
    """
    vocab = vocabulary(package)
    notices: list[str] = []
    if not st.session_state.get("view_seeded"):
        params = url_params()
        lost = params.pop(FILE_PARAM, [])
        for key in PAGE_KEYS:
            params.pop(key, None)
        if lost and user_file() is None:
            st.session_state["_lost_file"] = lost[0][:100]
        seeded, more = query.from_params(params, vocab)
        notices += more
        for param in query.PARAMS:
            st.session_state[param.state] = param.to_widget(seeded, vocab)
        st.session_state["view_seeded"] = True
    values: dict = {}
    for param in query.PARAMS:
        if param.state not in st.session_state:
            continue
        found: list[str] = []
        values.update(param.from_widget(st.session_state[param.state], vocab, found))
        if found:
            notices += found
            st.session_state[param.state] = param.to_widget(query.View(**values), vocab)
    view = query.View(**values)
    sync_url(view)
    return view, notices


def _relabel_selectboxes() -> None:
    """Streamlit keeps a selectbox's choice by its label: without this, a place chosen as
    Stepanakert would be lost (or read back as an unknown 'Stepanakert') once the labels
    say Khankendi. Setting the choice again makes the next run send it with the new label."""
    for param in query.PARAMS:
        if param.widget in ("place", "selectbox") and param.state in st.session_state:
            st.session_state[param.state] = st.session_state[param.state]


def _label(labels, empty: str | None = None):
    def label(value: str) -> str:
        if not value and empty is not None:
            return empty
        return str(labels.get(value, value)) if labels is not None else str(value)

    return label


CLOSE_SIDEBAR = "_close_sidebar"

_CLOSE_SIDEBAR_JS = """<script>
(() => {{
  // change {n}: on a narrow screen the sidebar covers the page; close it to show the result
  if (!window.matchMedia("(max-width: 767.98px)").matches) return;
  const side = document.getElementById("stSidebar");
  if (!side || side.getAttribute("data-collapsed") === "true") return;
  const close = side.querySelector('button[aria-label="Collapse sidebar"]');
  if (close) close.click();
}})();
</script>"""


def _filter_changed() -> None:
    st.session_state[CLOSE_SIDEBAR] = st.session_state.get(CLOSE_SIDEBAR, 0) + 1


def _setting_changed() -> None:
    _relabel_selectboxes()
    _filter_changed()


def close_sidebar_on_phone() -> None:
    """After a filter changed, a phone's sidebar (which covers 77% of the screen) closes, so
    the reader sees the result and the active filters above it. Wider screens keep it open."""
    n = st.session_state.pop(CLOSE_SIDEBAR, 0)
    if n:
        st.sidebar.html(_CLOSE_SIDEBAR_JS.format(n=n), unsafe_allow_javascript=True)


def _widget(side, param: query.Param, vocab: query.Vocabulary, names: pd.Series) -> None:
    kind = param.widget
    options = param.choices(vocab)
    common = {"key": param.state, "help": param.help, "on_change": _filter_changed}
    if kind == "radio":
        common["on_change"] = _setting_changed
        side.radio(
            param.label,
            options,
            format_func=_label(param.labels),
            horizontal=True,
            **common,
        )
    elif kind == "dates":
        lo, hi = vocab.dates
        side.date_input(param.label, min_value=lo, max_value=hi, format="YYYY-MM-DD", **common)
    elif kind == "multiselect":
        side.multiselect(
            param.label,
            options,
            format_func=_label(param.labels),
            placeholder=param.placeholder,
            **common,
        )
    elif kind == "place":
        side.selectbox(
            param.label,
            ["", *sorted(options, key=lambda p: str(names.get(p, p)))],
            format_func=_label(names, param.placeholder),
            **common,
        )
    elif kind == "selectbox":
        side.selectbox(param.label, options, format_func=_label(param.labels), **common)
    elif kind == "toggle":
        side.toggle(param.label, **common)
    elif kind == "text":
        side.text_input(
            param.label,
            max_chars=query.MAX_QUERY_CHARS,
            placeholder=param.placeholder,
            **common,
        )


def filters(package: load.Package) -> None:
    """The shared filter widgets in the sidebar, one per entry of query.PARAMS that has a
    widget; `view_from_state` read their values at the start of this run."""
    vocab = vocabulary(package)
    names = place_names(package.places, st.session_state.get("f_names", "international"))
    side = st.sidebar
    for param in query.PARAMS:
        if param.widget:
            _widget(side, param, vocab, names)
    side.button("Reset filters", on_click=reset_filters, width="stretch")
    close_sidebar_on_phone()


FILE_PARAM = "file"
"""Names the uploaded file the page shows, so that a page that outlived its session (a server
restart, a tab reopened later) can say the file is gone instead of silently showing ours."""


def _file_param() -> dict[str, str]:
    user = user_file()
    return {FILE_PARAM: user.name[:100]} if user is not None else {}


def lost_file_notice() -> None:
    """Said on every page until a file is opened again or the visitor goes back to ours."""
    name = st.session_state.get("_lost_file")
    if name is None or user_file() is not None:
        return
    cols = st.columns([4, 1], vertical_alignment="center")
    cols[0].warning(
        f"This page was showing your file “{md(name)}”, which the server no longer holds (it "
        "was restarted, or the page was closed for a while). Open the file again on Your "
        "data; until then the bundled events are shown."
    )
    cols[1].button("Show the bundled data", on_click=use_bundled, key="lost_back")


PAGE_KEYS = ("story", "step")
"""URL keys a page owns (the Stories page's story and step): the filters' sync keeps them."""


def sync_url(view: query.View) -> None:
    many = {p.key for p in query.PARAMS if isinstance(p, query.ManyParam)}
    current = {k: (v if len(v) > 1 or k in many else v[0]) for k, v in url_params().items()}
    kept = {k: current[k] for k in PAGE_KEYS if k in current}
    wanted = view.to_params() | _file_param() | kept
    if current != wanted:
        st.query_params.from_dict(wanted)


def select_event(event_id: str | None) -> None:
    st.session_state[EVENT_STATE] = event_id


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
        format_func=lambda k: labels.get(k, str(k)),
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
        # a dialog is a fragment: only a full rerun, without it, takes it off the page
        if st.button("Close the card", key="close_card"):
            select_event(None)
            st.rerun()

    card()


def new_pick(source: str, picked: str | None) -> bool:
    """Whether `picked` is a new choice of this widget: its selection outlives the rerun it
    caused, so the same value seen again is not acted on again."""
    key = f"_picked_{source}"
    if st.session_state.get(key) == picked:
        return False
    st.session_state[key] = picked
    return True


def follow(source: str, picked: str | None, selected: str | None) -> None:
    """Open the event a chart or table has just picked.

    A widget's selection outlives the rerun it caused, so only a change of that selection
    counts: closing a card, or picking in another widget, is not undone by a stale pick.
    """
    if not new_pick(source, picked):
        return
    if picked and picked != selected:
        select_event(picked)
        st.rerun()


def current_context() -> Context:
    """The context app.py built for this run (pages are scripts run by st.navigation)."""
    return _session_data()["_context"]


def set_context(ctx: Context) -> None:
    _session_data()["_context"] = ctx


def context(package: load.Package, view: query.View) -> Context:
    """The run's context; titles of the filtered events follow the chosen place names."""
    return Context(
        package=package,
        view=view,
        events=filtered(package, view.unselected()),
        places=_place_names(package, view.names),
        rename=renamer(package, view.names),
    )


@cached(16)
def renamer(package: load.Package, usage: str) -> Renamer:
    """Built once per data version and usage (its patterns took a fifth of a new visit)."""
    return Renamer(package.places if len(package.places) else None, usage)


@cached(16)
def _place_names(package: load.Package, usage: str) -> pd.Series:
    return place_names(package.places, usage)


# ----------------------------------------------------------------------------- page parts


CITATION = load.citation_line()
LICENCE_TEXT = (
    "The data (events, sources, claims, places, figures, publishers and the audit) is under "
    "the [Creative Commons Attribution 4.0 licence](https://creativecommons.org/licenses/by/4.0/)"
    ": share and adapt it for any purpose, crediting it. The dashboard's code is under the MIT "
    "licence. The documents the data cites stay under their owners' terms. Cite it as: *"
    + CITATION
    + "* (`CITATION.cff` in the repository has the same in machine-readable form)."
)


def share_link(drop: tuple[str, ...] = ()) -> str:
    """The address of the view on screen: this page and every parameter of its URL but those
    in `drop`."""
    base = str(st.context.url or "")
    return publish.view_link(base, {k: v for k, v in url_params().items() if k not in drop})


def share(title: str = "") -> None:
    """Copy the link of the view, or an <iframe> for an article (Streamlit's embed mode)."""
    link = share_link()
    with st.popover("Share", icon=":material/share:"):
        st.markdown("**Link to this view** (the copy button is at the right of the box)")
        st.code(link, language=None, wrap_lines=True)
        st.markdown("**Embed in an article**")
        st.code(publish.iframe(link, title or publish.SITE), language="html", wrap_lines=True)


_PUBLISHED: collections.OrderedDict = collections.OrderedDict()
_PUBLISHED_LOCK = threading.Lock()
PUBLISHED_ENTRIES = 32


def _published(fig, meta: publish.Meta):
    """publish.publishable, kept for a figure object the page's cache handed out: copying a
    big figure (the timeline, the map) cost about 50 ms on each rerun of those pages. Keyed by
    the figure's identity, holding the figure so the identity cannot be reused. A figure of a
    visitor's own file is not kept here: this store is shared and outlives the session."""
    if user_file() is not None:
        return publish.publishable(fig, meta)
    key = (id(fig), meta)
    with _PUBLISHED_LOCK:
        hit = _PUBLISHED.get(key)
        if hit is not None and hit[0] is fig:
            _PUBLISHED.move_to_end(key)
            return hit[1]
    out = publish.publishable(fig, meta)
    with _PUBLISHED_LOCK:
        _PUBLISHED[key] = (fig, out)
        while len(_PUBLISHED) > PUBLISHED_ENTRIES:
            _PUBLISHED.popitem(last=False)
    return out


def chart(
    fig,
    meta: publish.Meta,
    key: str,
    svg: bool = True,
    config: dict | None = None,
    link_drops: tuple[str, ...] = (),
    **kwargs,
):
    """st.plotly_chart of a publishable figure: the saved image carries its title, source,
    licence and the link of the view, at 2x, under a sensible file name. `config` adds to
    Plotly's (scroll zoom); `link_drops` leaves URL parameters out of the link a figure does
    not show (the map does not ring the open event: with it in the link, each click would
    redraw the map); the rest goes to st.plotly_chart (on_select, selection_mode, alt)."""
    meta = dataclasses.replace(meta, link=meta.link or share_link(link_drops))
    return st.plotly_chart(
        _published(fig, meta),
        key=key,
        config={**publish.config(meta, svg=svg), **(config or {})},
        width="stretch",
        **kwargs,
    )


def footer() -> None:
    """Share control, licence and citation under every page."""
    share()
    st.divider()
    st.caption(
        "Data: CC BY 4.0 · Code: MIT · Cite as: " + md(CITATION) + " Linked documents stay "
        "under their owners' terms."
    )


def count_line(ctx: Context) -> None:
    n = len(ctx.events)
    total = len(ctx.package.events)
    word = "event" if n == 1 else "events"
    suffix = f" of {total:,}" if ctx.view.is_filtered else ""
    st.markdown(f"**{n:,} {word}**{suffix}")
    active = active_filters(ctx)
    if active:
        # above the content, so a reader with the sidebar closed (a phone) sees what is on
        st.caption("Filtered by " + " · ".join(md(a) for a in active))
    if n == 0:
        st.info("No events match these filters. Widen the dates or clear a filter.")
        st.button("Reset filters", on_click=reset_filters, key="reset_empty")


def active_filters(ctx: Context) -> list[str]:
    """The filters that are on, in words: 'Dates: 1988-01-01 to 1994-12-31', 'Categories: ...'."""
    out = []
    for param in query.PARAMS:
        if param.role != "filter":
            continue
        written = param.write(ctx.view)
        if not written:
            continue
        if isinstance(param, query.DatesParam):
            lo, hi = written.get("from"), written.get("to")
            out.append(f"{param.label}: {lo or 'the start'} to {hi or 'the end'}")
            continue
        if isinstance(param, query.FlagParam):
            out.append(param.label)
            continue
        values = [v for vs in written.values() for v in (vs if isinstance(vs, list) else [vs])]
        labels = ctx.places if param.widget == "place" else (param.labels or {})
        out.append(f"{param.label}: {', '.join(str(labels.get(v, v)) for v in values)}")
    return out


def show_notices(
    notices: list[str], data_messages: list[str], package: load.Package | None = None
) -> None:
    user = user_file()
    if user is not None:
        cols = st.columns([4, 1], vertical_alignment="center")
        cols[0].info(
            f"Showing your file {md(user.name)} ({len(user.events):,} events), in this tab only."
        )
        cols[1].button("Back to the bundled data", on_click=use_bundled, key="banner_back")
    elif st.session_state.get("_lost_file"):
        lost_file_notice()
    elif package is not None and package.origin != "bundled":
        st.caption(f"Showing {md(package.origin)} ({len(package.events):,} events).")
    for notice in notices:
        st.toast(md(notice))
        st.caption(f"ⓘ {md(notice)}")
    if data_messages:
        with st.expander(f"The data has {len(data_messages)} problem(s)", expanded=True):
            st.code("\n".join(data_messages[:200]), language=None)


@cached(256)
def card_content(package: load.Package, event_id: str, names: str) -> card.Card | None:
    return card.build(package, event_id, names)


def _cite(source: card.Cited, with_date: bool = True) -> str:
    date = f", {md(source.published)}" if with_date and source.published else ""
    if not source.known:
        return md(source.id)
    return f"{link(source.publisher or source.title, source.url)}{date}"


def event_card(ctx: Context, event_id: str) -> None:
    """Lays out card.build's content; every data text is escaped here."""
    content = card_content(ctx.package, event_id, ctx.view.names)
    if content is None:
        st.warning("That event is not in the data shown.")
        return
    with st.container(border=True):
        st.caption(md(content.date_line))
        st.markdown(f"### {md(content.title)}")
        for caution in content.cautions:
            st.warning(md(caution), icon=":material/warning:")
        if content.unconfirmed:
            with st.expander("What could not be confirmed"):
                st.markdown(md(content.unconfirmed))
        if content.summary:
            st.markdown(md(content.summary))
        if content.place:
            st.markdown(f"**Place:** {md(content.place.line())}")
        if content.actors:
            st.markdown(f"**Actors:** {md(', '.join(content.actors))}")
        if content.figures:
            note = f" — {md(content.figures_note)}" if content.figures_note else ""
            # a range is the lowest and the highest figure given (an early and a final count,
            # or two sides' counts); the note says which is which
            span = " (lowest to highest figure given)" if "–" in content.figures else ""
            st.markdown(f"**Figures:** {md(content.figures)}{span}{note}")
        if content.arrived:
            at = f" (figure of {content.arrived.time})" if content.arrived.time else ""
            st.markdown(
                f"**People arrived in Armenia by the end of that day:** "
                f"{content.arrived.value:,}{md(at)}, {_cite(content.arrived.source, False)}"
            )
        if content.media:
            st.markdown(f"**Media:** {link(*content.media)}")
        if content.sources:
            lines = [
                f"- {link(s.title, s.url)} — {md(' · '.join(s.details))}"
                if s.known
                else f"- {md(s.id)}"
                for s in content.sources
            ]
            st.markdown("**Sources**\n\n" + "\n".join(lines))
        if content.checked:
            st.caption(f"Audit: {md(content.checked)}")
        if content.claims:
            st.markdown("**How each side frames it**")
            for (side, claims), col in zip(
                content.claims, st.columns(len(content.claims)), strict=True
            ):
                with col:
                    st.markdown(f"*{md(side)}*")
                    for claim in claims:
                        st.markdown(
                            f"{md(claim.claimant)}: {md(claim.claim)} ({_cite(claim.source)})"
                            + claim.flag
                        )


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
            "Sources": query.list_column(events, "source_ids_list", "source_ids").map(len),
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


def selected(package: load.Package, view: query.View) -> pd.DataFrame:
    """The events a view selects, titles in its place names, as the pages show them: what a
    download holds. Built without the caches: Streamlit calls it at the click, outside any
    session's run, where the caches could not tell a visitor's own file from ours (its rows
    would have gone to the shared caches and outlived the session)."""
    names = Renamer(package.places if len(package.places) else None, view.names)
    return _named(query.apply(query.Indexed(package.events), view.unselected()), names)


def downloads(ctx: Context, key: str = "dl") -> None:
    """The selection as files, built only when clicked (see exports.OnDemand).

    `on_click="ignore"`: a download does not rerun the page, so a click while another run
    is under way does not leave the button waiting for a run that replaced it.
    """
    for col, kind in zip(st.columns(len(exports.FORMATS)), exports.FORMATS, strict=True):
        fmt = exports.FORMATS[kind]
        col.download_button(
            fmt.label,
            exports.OnDemand(kind, ctx.package, ctx.view, selected),
            fmt.file_name,
            fmt.mime,
            on_click="ignore",
            width="stretch",
            key=f"{key}_{kind}",
        )
