"""Guided stories: steps over the event table (data/stories.csv), pure functions for the page.

A story is an ordered list of steps; each step names an event (and optionally a span to show)
with a caption in our own words. The page keeps `story=` and `step=` in the URL.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from timeline import load, schema

PAD_DAYS = 183
"""Around a step the timeline shows half a year each side: enough to see what led to it and
what followed, few enough events (in the 2020 war, dozens rather than hundreds) to read."""


@dataclass(frozen=True)
class Step:
    story_id: str
    story_title: str
    number: int
    count: int
    event_id: str
    caption: str
    window: tuple[str, str]
    """(first day, last day) the timeline shows for this step, ISO dates."""


def titles(package: load.Package) -> dict[str, str]:
    """story_id -> title, in file order."""
    stories = package.stories
    if stories.empty:
        return {}
    return dict(zip(stories["story_id"], stories["story_title"], strict=True))


def steps_of(package: load.Package, story_id: str) -> pd.DataFrame:
    stories = package.stories
    if stories.empty:
        return stories
    return stories[stories["story_id"] == story_id].reset_index(drop=True)


def clamp(number: object, count: int) -> int:
    """A step number from a URL or a click, kept inside 1..count (1 for anything unreadable)."""
    try:
        n = int(str(number))
    except (TypeError, ValueError):
        return 1
    return min(max(n, 1), max(count, 1))


def _day(value: object, end: bool = False) -> pd.Timestamp | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)) or not str(value):
        return None
    start, stop = schema.parse_partial(pd.Series([str(value)]))
    picked = (stop if end else start).iloc[0]
    return None if pd.isna(picked) else pd.Timestamp(picked)


def window(row: pd.Series, event: pd.Series | None) -> tuple[str, str]:
    """The span the step asks for, else the event's own span padded by PAD_DAYS each side."""
    first, last = _day(row.get("start_date")), _day(row.get("end_date"), end=True)
    if first is None and event is not None:
        first = pd.Timestamp(event["start"])
    if last is None and event is not None:
        last = pd.Timestamp(event["stop"]) if pd.notna(event.get("stop")) else first
    if first is None:
        first = last = pd.Timestamp("2000-01-01")
    last = last if last is not None else first
    if pd.isna(row.get("start_date")) or not row.get("start_date"):
        first, last = first - pd.Timedelta(days=PAD_DAYS), last + pd.Timedelta(days=PAD_DAYS)
    return first.date().isoformat(), last.date().isoformat()


def step(package: load.Package, story_id: str, number: object) -> Step | None:
    """The step to show, or None when the story does not exist."""
    rows = steps_of(package, story_id)
    if rows.empty:
        return None
    n = clamp(number, len(rows))
    row = rows.iloc[n - 1]
    events = package.events
    match = events[events["id"] == row["event_id"]]
    event = match.iloc[0] if len(match) else None
    return Step(
        story_id=story_id,
        story_title=str(row["story_title"]),
        number=n,
        count=len(rows),
        event_id=str(row["event_id"]),
        caption=str(row["caption"]),
        window=window(row, event),
    )


def _source_line(sources: pd.DataFrame, source_id: str) -> str:
    match = sources[sources["id"] == source_id] if "id" in sources else sources.iloc[0:0]
    if match.empty:
        return source_id
    src = match.iloc[0]
    parts = [str(src[c]) for c in ("publisher", "title", "published", "url") if pd.notna(src[c])]
    return ", ".join(parts)


def timelinejs_story(package: load.Package, story_id: str) -> pd.DataFrame:
    """The story as a TimelineJS sheet: one slide per step, the caption as Text with the event's
    sources listed under it, and the story's title as the title slide."""
    rows = steps_of(package, story_id)
    events = package.events.set_index("id", drop=False)
    rows = rows[rows["event_id"].isin(events.index)]
    picked = events.loc[rows["event_id"]].reset_index(drop=True)
    texts = []
    for caption, ids in zip(rows["caption"], picked["source_ids_list"], strict=True):
        cited = [_source_line(package.sources, s) for s in ids]
        texts.append(f"{caption} Sources: " + "; ".join(cited) + "." if cited else caption)
    picked = picked.assign(summary=texts)
    title = titles(package).get(story_id)
    return load.to_timelinejs(picked, None, title)


def timelinejs_story_csv(package: load.Package, story_id: str) -> bytes:
    return timelinejs_story(package, story_id).to_csv(index=False).encode("utf-8")
