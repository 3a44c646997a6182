"""The human cost: deaths and displacement over the whole history, each period counted once.

An event's figure is left out when it is already inside another's: inside the dates of a
counted period total (a war's or a displacement wave's own figure, category `military` or
`displacement`), or named in data/figures_overlap.csv (a report published after the war, a
count repeated by another event, a natural disaster). What is left out is listed with why.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from timeline import schema

COLUMNS = {
    "deaths": ("deaths_low", "deaths_high"),
    "displaced": ("displaced_low", "displaced_high"),
}
TOTAL_CATEGORIES = ("military", "displacement")
"""A period event of these categories with a figure is a total for its dates (the first war's
30,000 dead, the 1988-94 displacement of Azerbaijanis); incidents inside it are not added."""


OWN_ROW_DAYS = 30
"""A total spanning a month or more (a war, a wave of flight) gets its own chart row; shorter
ones join their era's other events, so the chart keeps about twenty rows, not sixty."""


@dataclass(frozen=True)
class Tally:
    measure: str
    counted: pd.DataFrame
    """id, title, start, stop, low, high, row (the chart row it is summed into), total (bool)"""
    left_out: pd.DataFrame
    """id, title, low, high, reason"""


def _figures(events: pd.DataFrame, measure: str) -> pd.DataFrame:
    lo, hi = COLUMNS[measure]
    low = events[lo].astype("Float64")
    high = events[hi].astype("Float64")
    frame = events[["id", "title", "start", "stop", "category", "is_period"]].assign(
        low=low.fillna(high), high=high.fillna(low)
    )
    return frame[frame["low"].notna()].reset_index(drop=True)


def _era_of(start: pd.Timestamp, eras: pd.DataFrame) -> str:
    if eras is not None and len(eras) and "start" in eras:
        hit = eras[(eras["start"] <= start) & (eras["stop"] >= start)]
        if len(hit):
            return str(hit["label"].iloc[0])
    return f"{start.year}"


def tally(
    events: pd.DataFrame, overlaps: pd.DataFrame, eras: pd.DataFrame | None, measure: str
) -> Tally:
    """Which figures are added up, into which chart row, and which are left out and why."""
    rows = _figures(events, measure)
    titles = dict(zip(events["id"], events["title"], strict=True))
    reasons: dict[str, str] = {}
    if len(overlaps):
        mine = overlaps[overlaps["measure"] == measure]
        for event_id, part_of, note in zip(
            mine["event_id"], mine["part_of"], mine["note"], strict=True
        ):
            whole = titles.get(part_of) if isinstance(part_of, str) else None
            reasons[event_id] = f"Part of “{whole}”: {note}" if whole else str(note)
    rows = rows.assign(span=rows["stop"] - rows["start"])
    totals = rows[
        rows["is_period"]
        & rows["category"].isin(TOTAL_CATEGORIES)
        & ~rows["id"].isin(list(reasons))
    ].sort_values(["span", "start"], ascending=[False, True])
    counted_totals: list[pd.Series] = []
    for _, total in totals.iterrows():
        inside = _inside(total, counted_totals, is_total=True)
        if inside is None:
            counted_totals.append(total)
        else:
            reasons[total["id"]] = inside
    for _, row in rows.iterrows():
        if row["id"] in reasons or any(row["id"] == t["id"] for t in counted_totals):
            continue
        inside = _inside(row, counted_totals)
        if inside is not None:
            reasons[row["id"]] = inside
    left = rows["id"].isin(list(reasons))
    total_ids = {t["id"] for t in counted_totals}
    counted = rows[~left].copy()
    counted["total"] = counted["id"].isin(total_ids)
    own_row = counted["total"] & (counted["span"] >= pd.Timedelta(days=OWN_ROW_DAYS))
    counted["row"] = [
        title if own else f"Other events, {_era_of(start, eras)}"
        for title, start, own in zip(counted["title"], counted["start"], own_row, strict=True)
    ]
    left_out = rows[left][["id", "title", "low", "high"]].assign(
        reason=lambda f: f["id"].map(reasons)
    )
    keep = ["id", "title", "start", "stop", "low", "high", "row", "total"]
    return Tally(measure, counted[keep].reset_index(drop=True), left_out.reset_index(drop=True))


def _inside(row: pd.Series, totals: list[pd.Series], is_total: bool = False) -> str | None:
    """Why the row is left out: the counted totals whose dates hold it, if any. Two totals of
    the same dates are two populations (the Armenians and the Azerbaijanis displaced in
    1988-94): both count."""
    holding = [
        f"“{total['title']}”"
        for total in totals
        if total["id"] != row["id"]
        and total["start"] <= row["start"]
        and row["stop"] <= total["stop"]
        and not (is_total and (total["start"], total["stop"]) == (row["start"], row["stop"]))
    ]
    if not holding:
        return None
    return "Inside the dates of the counted total of " + " and of ".join(holding) + "."


def chart_rows(t: Tally) -> pd.DataFrame:
    """One row per total or per era's other events: summed low and high, in time order."""
    if t.counted.empty:
        return pd.DataFrame(columns=["row", "low", "high", "events", "first"])
    grouped = t.counted.groupby("row", sort=False).agg(
        low=("low", "sum"), high=("high", "sum"), events=("id", "size"), first=("start", "min")
    )
    return grouped.sort_values("first").reset_index()


def sources_of(events: pd.DataFrame, sources: pd.DataFrame, ids: pd.Series) -> pd.Series:
    """Who gives each event's figures: the publishers of its sources, in citation order."""
    publisher = dict(zip(sources["id"], sources["publisher"], strict=True)) if len(sources) else {}
    lists = dict(zip(events["id"], events["source_ids_list"], strict=True))
    return ids.map(
        lambda i: "; ".join(dict.fromkeys(str(publisher.get(s, s)) for s in lists.get(i, ())))
    )


MEASURE_LABELS = {"deaths": "Deaths", "displaced": "People displaced"}
assert set(MEASURE_LABELS) == set(schema.COST_MEASURES)
