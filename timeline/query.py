"""The view state (filters) as one frozen object: parse it from a URL, apply it, write it back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import pandas as pd

from timeline.schema import NAME_USAGES, PERSPECTIVES

SUPPORT = {
    "any": "Any sources",
    "multi": "Sources of two or more perspectives",
    "single": "Sources of one perspective only",
}
SEARCHED = ("title", "summary", "actors", "place_text")
KNOWN_PARAMS = {
    "from",
    "to",
    "category",
    "actor",
    "place",
    "perspective",
    "support",
    "q",
    "event",
    "names",
}


@dataclass(frozen=True)
class View:
    start: dt.date | None = None
    end: dt.date | None = None
    categories: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    place: str | None = None
    perspectives: tuple[str, ...] = ()
    support: str = "any"
    q: str = ""
    event: str | None = None
    names: str = "international"

    @property
    def is_filtered(self) -> bool:
        return self.filters() != View().filters()

    def filters(self) -> View:
        """The same view without what does not filter (selection, naming)."""
        return replace(self, event=None, names="international")

    def to_params(self) -> dict[str, str | list[str]]:
        """URL query parameters; defaults are left out so links stay short."""
        params: dict[str, str | list[str]] = {}
        if self.start:
            params["from"] = self.start.isoformat()
        if self.end:
            params["to"] = self.end.isoformat()
        if self.categories:
            params["category"] = list(self.categories)
        if self.actors:
            params["actor"] = list(self.actors)
        if self.place:
            params["place"] = self.place
        if self.perspectives:
            params["perspective"] = list(self.perspectives)
        if self.support != "any":
            params["support"] = self.support
        if self.q:
            params["q"] = self.q
        if self.event:
            params["event"] = self.event
        if self.names != "international":
            params["names"] = self.names
        return params


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

    def __len__(self) -> int:
        return len(self._ids)


@dataclass(frozen=True)
class Vocabulary:
    """What a URL may name: the values present in the loaded data."""

    categories: frozenset[str] = frozenset()
    actors: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()
    events: frozenset[str] | EventIds = frozenset()

    @classmethod
    def of(cls, events: pd.DataFrame) -> Vocabulary:
        return cls(
            categories=frozenset(str(c) for c in events["category"].dropna().unique()),
            actors=frozenset(actor_list(events)),
            places=frozenset(str(p) for p in events["place_id"].dropna().unique()),
            events=EventIds(events["id"]),
        )


def actor_list(events: pd.DataFrame) -> list[str]:
    """Every actor named, from the distinct actor lists (few, even in a big table)."""
    lists = pd.Series(events["actors"].dropna().unique())
    actors = lists.str.split(";").explode().str.strip()
    return sorted(a for a in actors.unique() if a)


def _values(params: Mapping[str, str | Sequence[str]], key: str) -> list[str]:
    value = params.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def from_params(
    params: Mapping[str, str | Sequence[str]], vocab: Vocabulary
) -> tuple[View, list[str]]:
    """Parse URL parameters. Anything unknown or malformed is dropped with a notice."""
    notices: list[str] = []
    fields: dict = {}
    for key in params:
        if key not in KNOWN_PARAMS:
            notices.append(f"Ignored the unknown link parameter “{key}”.")

    def one(key: str) -> str | None:
        values = _values(params, key)
        if len(values) > 1:
            notices.append(f"“{key}” was given {len(values)} times; the first was used.")
        return values[0].strip() if values else None

    for key, attr in (("from", "start"), ("to", "end")):
        text = one(key)
        if text:
            day = _date(text)
            if day is None:
                notices.append(f"Ignored “{key}={text[:40]}”: dates are written YYYY-MM-DD.")
            else:
                fields[attr] = day
    if fields.get("start") and fields.get("end") and fields["start"] > fields["end"]:
        notices.append("The link's “from” date was after its “to” date; they were swapped.")
        fields["start"], fields["end"] = fields["end"], fields["start"]

    for key, attr, allowed in (
        ("category", "categories", vocab.categories),
        ("actor", "actors", vocab.actors),
        ("perspective", "perspectives", frozenset(PERSPECTIVES)),
    ):
        good = []
        for value in _values(params, key):
            if value in allowed:
                if value not in good:
                    good.append(value)
            else:
                notices.append(f"Ignored the unknown {key} “{value[:40]}”.")
        if good:
            fields[attr] = tuple(good)

    for key, allowed in (
        ("place", vocab.places),
        ("event", vocab.events),
        ("support", frozenset(SUPPORT)),
        ("names", frozenset(NAME_USAGES)),
    ):
        value = one(key)
        if value:
            if value in allowed:
                fields[key] = value
            else:
                notices.append(f"Ignored the unknown {key} “{value[:40]}”.")
    q = one("q")
    if q:
        fields["q"] = q[:200]
    return View(**fields), notices


def apply(events: pd.DataFrame, view: View) -> pd.DataFrame:
    """The events the view selects. Column-wise masks, no per-row Python."""
    mask = pd.Series(True, index=events.index)
    if view.start:
        mask &= events["stop"] >= pd.Timestamp(view.start)
    if view.end:
        mask &= events["start"] <= pd.Timestamp(view.end)
    if view.categories:
        mask &= events["category"].isin(view.categories)
    if view.actors:
        actors = ";" + events["actors"].fillna("").str.replace("; ", ";") + ";"
        any_actor = pd.Series(False, index=events.index)
        for actor in view.actors:
            any_actor |= actors.str.contains(f";{actor};", regex=False)
        mask &= any_actor
    if view.place:
        mask &= events["place_id"] == view.place
    perspectives = events["perspectives"].fillna("")
    if view.perspectives:
        any_side = pd.Series(False, index=events.index)
        for side in view.perspectives:
            any_side |= (";" + perspectives + ";").str.contains(f";{side};", regex=False)
        mask &= any_side
    if view.support != "any":
        sides = perspectives.str.count(";") + (perspectives != "")
        mask &= sides >= 2 if view.support == "multi" else sides == 1
    if view.q:
        for word in view.q.split():
            found = pd.Series(False, index=events.index)
            for column in SEARCHED:
                if column in events:
                    found |= events[column].str.contains(word, case=False, regex=False)
            mask &= found.fillna(False)
    return events[mask.fillna(False).astype(bool)]
