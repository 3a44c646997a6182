"""The view state (filters) as one frozen object: parse it from a URL, apply it, write it back.

Every URL parameter is declared once in `PARAMS` (its URL key, the View field, its widget, how
it is parsed, written and applied, its default); the URL round trip, reset, seeding from a
link and the sidebar all loop over that list. CONTRIBUTING.md says how to add one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from timeline import load
from timeline.schema import CATEGORIES, NAME_USAGES, PERSPECTIVES

SUPPORT = {
    "any": "Any sources",
    "multi": "Sources of two or more perspectives",
    "single": "Sources of one perspective only",
}
SEARCHED = ("title", "summary", "actors", "place_text")
MAX_QUERY_CHARS = 200
"""A search longer than this is cut: 200 characters hold any title or name with room to spare."""
MAX_QUERY_WORDS = 20
"""Each word costs one pass over the text of every event (about 50 ms at 100,000 events), so
20 words bound a rerun to about a second at that size; 20,000 words once cost 28 s."""
DEFAULT_DATES = (dt.date(1918, 1, 1), dt.date(2024, 1, 1))


@dataclass(frozen=True)
class View:
    start: dt.date | None = None
    end: dt.date | None = None
    categories: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    place: str | None = None
    perspectives: tuple[str, ...] = ()
    support: str = "any"
    editorial: bool = False
    q: str = ""
    event: str | None = None
    names: str = "international"

    @property
    def is_filtered(self) -> bool:
        return self.filters() != View().filters()

    def filters(self) -> View:
        """The same view without what does not filter (selection, naming)."""
        return replace(self, **{p.field: p.default for p in PARAMS if p.role != "filter"})

    def unselected(self) -> View:
        """The same view without the open event: everything that decides what is drawn."""
        return replace(self, **{p.field: p.default for p in PARAMS if p.role == "selection"})

    def to_params(self) -> dict[str, str | list[str]]:
        """URL query parameters; defaults are left out so links stay short."""
        params: dict[str, str | list[str]] = {}
        for param in PARAMS:
            params.update(param.write(self))
        return params


# ----------------------------------------------------------------------------- the data offered


def list_column(events: pd.DataFrame, name: str, text: str) -> pd.Series:
    """A list column built at load (`actors_list`...), or parsed by the loader's one parse
    of `;`-separated cells when a table lacks it (`list_column(events, "actors_list",
    "actors")`)."""
    if name in events:
        return events[name]
    if text in events:
        return load.list_column(events[text])
    return pd.Series([()] * len(events), index=events.index, dtype="object")


class Indexed:
    """An events table with what the filters need prepared once, on first use.

    Kept per data version by the app (ui.indexed), so a rerun reuses the exploded actor and
    perspective lists instead of rebuilding them.
    """

    def __init__(self, events: pd.DataFrame) -> None:
        self.events = events

    @cached_property
    def actors(self) -> pd.Series:
        """One row per (event, actor), indexed by the event's row."""
        return list_column(self.events, "actors_list", "actors").explode().dropna()

    @cached_property
    def perspectives(self) -> pd.Series:
        return list_column(self.events, "perspectives_list", "perspectives").explode().dropna()

    @cached_property
    def sides(self) -> pd.Series:
        """How many perspectives back each event."""
        lists = list_column(self.events, "perspectives_list", "perspectives")
        return lists.map(len).astype("int64")

    def any_of(self, exploded: pd.Series, chosen: Collection[str]) -> pd.Series:
        hit = exploded.isin(list(chosen))
        rows = hit[hit].index.unique()
        return pd.Series(self.events.index.isin(rows), index=self.events.index)


class EventIds:
    """`id in EventIds(events)`, answered by one vectorised comparison.

    A URL names at most one event, once per session, so a set of every id (a million
    Python strings at a million rows: two seconds on the first page load) is not worth
    building.
    """

    def __init__(self, ids: pd.Series) -> None:
        self._ids = ids

    def __contains__(self, value: object) -> bool:
        return isinstance(value, str) and bool((self._ids == value).any())

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


@dataclass(frozen=True)
class Vocabulary:
    """What a URL or the sidebar may name: the values present in the loaded data."""

    categories: frozenset[str] = frozenset()
    actors: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()
    events: frozenset[str] | EventIds = frozenset()
    dates: tuple[dt.date, dt.date] = DEFAULT_DATES

    @classmethod
    def of(cls, events: pd.DataFrame | Indexed) -> Vocabulary:
        data = events if isinstance(events, Indexed) else Indexed(events)
        frame = data.events
        return cls(
            categories=frozenset(str(c) for c in frame["category"].dropna().unique()),
            actors=frozenset(str(a) for a in data.actors.unique()),
            places=frozenset(str(p) for p in frame["place_id"].dropna().unique()),
            events=EventIds(frame["id"]),
            dates=date_bounds(frame),
        )


def date_bounds(events: pd.DataFrame) -> tuple[dt.date, dt.date]:
    if events.empty or events["start"].isna().all():
        return DEFAULT_DATES
    return events["start"].min().date(), events["stop"].max().date()


def actor_list(events: pd.DataFrame) -> list[str]:
    """Every actor named, parsed as the actor filter parses them."""
    return sorted(Vocabulary.of(events).actors)


def category_order(vocab: Vocabulary) -> list[str]:
    return [c for c in CATEGORIES if c in vocab.categories] + sorted(
        vocab.categories - set(CATEGORIES)
    )


# ----------------------------------------------------------------------------- the registry

Params = Mapping[str, str | Sequence[str]]


def _values(params: Params, key: str) -> list[str]:
    value = params.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _one(params: Params, key: str, notices: list[str]) -> str | None:
    values = _values(params, key)
    if len(values) > 1:
        notices.append(f"“{key}” was given {len(values)} times; the first was used.")
    return values[0].strip() if values else None


def _unknown(key: str, value: str) -> str:
    return f"Ignored the unknown {key} “{value[:40]}”."


@dataclass(frozen=True)
class Param:
    """One URL parameter and the sidebar widget that holds it, declared once.

    role: "filter" narrows the events (has a mask, cleared by reset); "selection" is the
    open event (cleared by reset, no widget); "setting" changes how events are shown (kept
    by reset). `widget` names how ui.py draws it; `options`/`labels` give what it offers.
    """

    key: str
    field: str
    label: str = ""
    widget: str = ""
    role: str = "filter"
    help: str | None = None
    placeholder: str | None = None
    options: Callable[[Vocabulary], list[str]] | None = None
    labels: Mapping[str, str] | None = None
    allowed: Callable[[Vocabulary], Collection[str]] | None = None
    masker: Callable[[Indexed, Any], pd.Series] | None = None
    state_key: str = ""

    @property
    def state(self) -> str:
        """The session-state key of its widget (or of the value, for one without a widget)."""
        return self.state_key or f"f_{self.field}"

    @property
    def keys(self) -> tuple[str, ...]:
        return (self.key,)

    @property
    def default(self) -> Any:
        return next(f.default for f in fields(View) if f.name == self.field)

    def parse(self, params: Params, vocab: Vocabulary, notices: list[str]) -> dict[str, Any]:
        value = _one(params, self.key, notices)
        if not value:
            return {}
        if self.allowed is not None and value not in self.allowed(vocab):
            notices.append(_unknown(self.key, value))
            return {}
        return {self.field: value}

    def write(self, view: View) -> dict[str, str | list[str]]:
        value = getattr(view, self.field)
        return {} if value == self.default else {self.key: str(value)}

    def mask(self, data: Indexed, view: View, rows: pd.Series) -> pd.Series | None:
        """Which events it keeps (None: all); `rows` are those the filters before it kept."""
        value = getattr(view, self.field)
        if self.masker is None or value == self.default:
            return None
        return self.masker(data, value)

    def choices(self, vocab: Vocabulary) -> list[str]:
        """What its widget offers: `options`, else every allowed value, sorted."""
        if self.options is not None:
            return self.options(vocab)
        return sorted(self.allowed(vocab)) if self.allowed is not None else []

    def to_widget(self, view: View, vocab: Vocabulary) -> Any:
        value = getattr(view, self.field)
        return "" if value is None else value

    def from_widget(self, value: Any, vocab: Vocabulary, notices: list[str]) -> dict[str, Any]:
        """The view's value from the widget's; a choice the data no longer has is dropped."""
        if value in (None, ""):
            return {self.field: self.default}
        if self.allowed is not None and value not in self.allowed(vocab):
            notices.append(f"{self.label}: “{str(value)[:40]}” is not in the data shown any more.")
            return {self.field: self.default}
        return {self.field: value}


@dataclass(frozen=True)
class ManyParam(Param):
    """A repeatable parameter (`?category=a&category=b`): any of the chosen values."""

    def parse(self, params: Params, vocab: Vocabulary, notices: list[str]) -> dict[str, Any]:
        allowed = self.allowed(vocab) if self.allowed else None
        good: list[str] = []
        for value in _values(params, self.key):
            if allowed is None or value in allowed:
                if value not in good:
                    good.append(value)
            else:
                notices.append(_unknown(self.key, value))
        return {self.field: tuple(good)} if good else {}

    def write(self, view: View) -> dict[str, str | list[str]]:
        value = getattr(view, self.field)
        return {self.key: list(value)} if value else {}

    def to_widget(self, view: View, vocab: Vocabulary) -> Any:
        return list(getattr(view, self.field))

    def from_widget(self, value: Any, vocab: Vocabulary, notices: list[str]) -> dict[str, Any]:
        chosen = tuple(value or ())
        allowed = self.allowed(vocab) if self.allowed else None
        kept = tuple(v for v in chosen if allowed is None or v in allowed)
        gone = [v for v in chosen if v not in kept]
        if gone:
            notices.append(
                f"Not in the data shown any more, so removed from {self.label}: "
                + ", ".join(f"“{v}”" for v in gone)
                + "."
            )
        return {self.field: kept}


@dataclass(frozen=True)
class TextParam(Param):
    """Free text, bounded (MAX_QUERY_CHARS, MAX_QUERY_WORDS) with a notice when cut."""

    def parse(self, params: Params, vocab: Vocabulary, notices: list[str]) -> dict[str, Any]:
        text = bounded_query(_one(params, self.key, notices) or "", notices)
        return {self.field: text} if text else {}

    def mask(self, data: Indexed, view: View, rows: pd.Series) -> pd.Series | None:
        """Every word, searched only in the events the other filters kept (the costliest
        mask comes last)."""
        q = getattr(view, self.field)
        return _search(data.events, q, rows) if q else None

    def from_widget(self, value: Any, vocab: Vocabulary, notices: list[str]) -> dict[str, Any]:
        return {self.field: bounded_query(str(value or ""), notices)}


@dataclass(frozen=True)
class FlagParam(Param):
    """On or off; `?key=1` when on."""

    def parse(self, params: Params, vocab: Vocabulary, notices: list[str]) -> dict[str, Any]:
        value = _one(params, self.key, notices)
        if not value:
            return {}
        if value.lower() in ("1", "true", "yes", "on"):
            return {self.field: True}
        if value.lower() not in ("0", "false", "no", "off"):
            notices.append(f"Ignored “{self.key}={value[:40]}”: write {self.key}=1 to turn it on.")
        return {}

    def write(self, view: View) -> dict[str, str | list[str]]:
        return {self.key: "1"} if getattr(view, self.field) else {}

    def to_widget(self, view: View, vocab: Vocabulary) -> Any:
        return bool(getattr(view, self.field))

    def from_widget(self, value: Any, vocab: Vocabulary, notices: list[str]) -> dict[str, Any]:
        return {self.field: bool(value)}


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


@dataclass(frozen=True)
class DatesParam(Param):
    """A date range: two URL keys (`from`, `to`), two View fields, one date-range widget."""

    key_to: str = "to"
    field_to: str = "end"

    @property
    def keys(self) -> tuple[str, ...]:
        return (self.key, self.key_to)

    def parse(self, params: Params, vocab: Vocabulary, notices: list[str]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, attr in ((self.key, self.field), (self.key_to, self.field_to)):
            text = _one(params, key, notices)
            if text:
                day = _date(text)
                if day is None:
                    notices.append(f"Ignored “{key}={text[:40]}”: dates are written YYYY-MM-DD.")
                else:
                    out[attr] = day
        start, end = out.get(self.field), out.get(self.field_to)
        if start and end and start > end:
            notices.append("The link's “from” date was after its “to” date; they were swapped.")
            out[self.field], out[self.field_to] = end, start
        return out

    def write(self, view: View) -> dict[str, str | list[str]]:
        out: dict[str, str | list[str]] = {}
        for key, attr in ((self.key, self.field), (self.key_to, self.field_to)):
            day = getattr(view, attr)
            if day:
                out[key] = day.isoformat()
        return out

    def mask(self, data: Indexed, view: View, rows: pd.Series) -> pd.Series | None:
        start, end = getattr(view, self.field), getattr(view, self.field_to)
        if not start and not end:
            return None
        events = data.events
        mask = pd.Series(True, index=events.index)
        if start:
            mask &= events["stop"] >= pd.Timestamp(start)
        if end:
            mask &= events["start"] <= pd.Timestamp(end)
        return mask

    def to_widget(self, view: View, vocab: Vocabulary) -> Any:
        """Clamped into the data's range: the widget refuses a value outside it."""
        lo, hi = vocab.dates
        start = min(max(getattr(view, self.field) or lo, lo), hi)
        end = max(min(getattr(view, self.field_to) or hi, hi), lo)
        return (start, max(start, end))

    def from_widget(self, value: Any, vocab: Vocabulary, notices: list[str]) -> dict[str, Any]:
        lo, hi = vocab.dates
        days = tuple(value or ())
        start = days[0] if len(days) > 0 and days[0] else lo
        end = days[1] if len(days) > 1 and days[1] else hi
        inside = min(max(start, lo), hi), max(min(end, hi), lo)
        if inside != (start, end):
            notices.append(
                f"The dates were brought within the data shown ({lo.isoformat()} to "
                f"{hi.isoformat()})."
            )
        start, end = inside
        return {
            self.field: start if start > lo else None,
            self.field_to: end if end < hi else None,
        }


def _sides_mask(data: Indexed, support: str) -> pd.Series:
    return data.sides >= 2 if support == "multi" else data.sides == 1


def _search(events: pd.DataFrame, q: str, rows: pd.Series) -> pd.Series:
    """Events among `rows` whose title, summary, actors or place hold every word, any case.

    Each word is looked for only in the rows still in (the other filters' and the previous
    words'), column by column, as an escaped case-insensitive pattern (Arrow's regex engine:
    2.0 s per word over a million events, against 2.6 s for the substring search used
    before). A joined text column prepared once per data version searched no faster and
    cost 18 s and about 450 MB to build at that size, so none is kept.
    """
    keep = rows.to_numpy(dtype=bool).copy()
    for word in dict.fromkeys(q.lower().split()):
        at = np.flatnonzero(keep)
        if not len(at):
            break
        pattern = re.escape(word)
        hit = np.zeros(len(at), dtype=bool)
        for column in SEARCHED:
            if column in events:
                values = events[column] if len(at) == len(events) else events[column].take(at)
                found = values.str.contains(pattern, case=False, regex=True)
                hit |= found.fillna(False).to_numpy(dtype=bool)
        keep[at] = hit
    return pd.Series(keep, index=events.index)


def _editorial_mask(data: Indexed, on: bool) -> pd.Series:
    """`has_editorial_source`: the loader sets it from the register of publishers."""
    return data.events["has_editorial_source"].fillna(False).astype(bool)


def _fixed(labels: Mapping[str, str]) -> dict[str, Any]:
    """A fixed vocabulary: offered in its own order, shown by its labels, nothing else allowed."""
    return {
        "options": lambda vocab: list(labels),
        "labels": labels,
        "allowed": lambda vocab: labels,
    }


PARAMS: tuple[Param, ...] = (
    Param(
        "names",
        "names",
        "Place names",
        "radio",
        role="setting",
        help="Contested names follow the usage you choose: e.g. Stepanakert / Khankendi.",
        **_fixed(NAME_USAGES),
    ),
    DatesParam("from", "start", "Dates", "dates", state_key="f_dates"),
    ManyParam(
        "category",
        "categories",
        "Categories",
        "multiselect",
        placeholder="All categories",
        options=category_order,
        labels=CATEGORIES,
        allowed=lambda vocab: vocab.categories,
        masker=lambda data, chosen: data.events["category"].isin(chosen),
    ),
    ManyParam(
        "actor",
        "actors",
        "Actors",
        "multiselect",
        placeholder="All actors",
        allowed=lambda vocab: vocab.actors,
        masker=lambda data, chosen: data.any_of(data.actors, chosen),
    ),
    Param(
        "place",
        "place",
        "Place",
        "place",
        placeholder="Any place",
        allowed=lambda vocab: vocab.places,
        masker=lambda data, place: data.events["place_id"] == place,
    ),
    ManyParam(
        "perspective",
        "perspectives",
        "Source perspective",
        "multiselect",
        placeholder="Any perspective",
        help="Events backed by at least one source of the chosen perspectives.",
        **_fixed(PERSPECTIVES),
        masker=lambda data, chosen: data.any_of(data.perspectives, chosen),
    ),
    Param(
        "support",
        "support",
        "Sources behind the event",
        "selectbox",
        **_fixed(SUPPORT),
        masker=_sides_mask,
    ),
    FlagParam(
        "editorial",
        "editorial",
        "Only events backed by a source with editorial responsibility",
        "toggle",
        help="A news agency, newspaper, broadcaster, government, intergovernmental body, NGO, "
        "think tank or scholar: not a mirror, aggregator, blog or anonymous site.",
        masker=_editorial_mask,
    ),
    TextParam(
        "q",
        "q",
        "Search",
        "text",
        placeholder="e.g. Khojaly, ICJ, fuel",
        help=f"Words in the title, summary, actors or place (up to {MAX_QUERY_WORDS} words).",
    ),
    Param(
        "event",
        "event",
        "Open event",
        role="selection",
        allowed=lambda vocab: vocab.events,
        state_key="event",
    ),
)
KNOWN_PARAMS = frozenset(k for p in PARAMS for k in p.keys)


def bounded_query(text: str, notices: list[str]) -> str:
    """A search cut to MAX_QUERY_CHARS characters and MAX_QUERY_WORDS words, with a notice."""
    text = text.strip()
    cut = text[:MAX_QUERY_CHARS]
    words = cut.split()
    if len(words) > MAX_QUERY_WORDS:
        cut = " ".join(words[:MAX_QUERY_WORDS])
    elif len(text) > MAX_QUERY_CHARS:
        cut = cut.rstrip()
    if cut != text:
        notices.append(
            f"The search was cut to {MAX_QUERY_WORDS} words and {MAX_QUERY_CHARS} characters: "
            f"“{cut[:40]}…”."
        )
    return cut


def from_params(params: Params, vocab: Vocabulary) -> tuple[View, list[str]]:
    """Parse URL parameters. Anything unknown or malformed is dropped with a notice."""
    notices = [
        f"Ignored the unknown link parameter “{k[:40]}”." for k in params if k not in KNOWN_PARAMS
    ]
    values: dict[str, Any] = {}
    for param in PARAMS:
        values.update(param.parse(params, vocab, notices))
    return View(**values), notices


def apply(events: pd.DataFrame | Indexed, view: View) -> pd.DataFrame:
    """The events the view selects. Column-wise masks, no per-row Python."""
    data = events if isinstance(events, Indexed) else Indexed(events)
    mask = pd.Series(True, index=data.events.index)
    for param in PARAMS:
        more = param.mask(data, view, mask)
        if more is not None:
            mask &= more.fillna(False).astype(bool)
    return data.events[mask]
