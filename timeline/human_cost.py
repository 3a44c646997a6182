"""The human cost: deaths and displacement over the whole history, each period counted once.

An event's figure is left out when it is already inside another's: inside the dates of a
counted period total (a war's or a displacement wave's own figure, category `military` or
`displacement`), or named in data/figures_overlap.csv (a report published after the war, a
count repeated by another event, a natural disaster). What is left out is listed with why.
A figure that figures_overlap.csv marks `counted` = yes is added although its dates lie inside a
total: that total is the parties' own toll and does not hold it (peacekeepers killed during an
offensive).
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
    apart: set[str] = set()
    if len(overlaps):
        mine = overlaps[overlaps["measure"] == measure]
        if "counted" in mine:
            apart = set(mine.loc[mine["counted"] == "yes", "event_id"])
            mine = mine[mine["counted"] != "yes"]
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
        if inside is None or total["id"] in apart:
            counted_totals.append(total)
        else:
            reasons[total["id"]] = inside
    for _, row in rows.iterrows():
        if row["id"] in reasons or row["id"] in apart:
            continue  # left out already, or counted on its own
        if any(row["id"] == t["id"] for t in counted_totals):
            continue  # a total itself
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


SIDE_LABELS = {"armenian": "Armenian side", "azerbaijani": "Azerbaijani side"}
STATUS_LABELS = {"military": "military", "civilian": "civilians", "all": "all dead (not split)"}


def _period(start: pd.Timestamp, stop: pd.Timestamp) -> str:
    if pd.isna(stop) or stop.year == start.year:
        return f"{start.year}"
    end = str(stop.year)[-2:] if stop.year // 100 == start.year // 100 else str(stop.year)
    return f"{start.year}–{end}"


def by_side(events: pd.DataFrame, split: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Each side's dead per event as each party gives them, one row per figure, in time order:
    title, period, row (the chart's row: period, side, military or civilians), side, status,
    low, high, given_by, date, publisher, url. Shown beside the event's total, never added."""
    cols = ["event_id", "title", "period", "row", "side", "status", "low", "high", "given_by"]
    if split is None or split.empty:
        return pd.DataFrame(columns=[*cols, "date", "note", "publisher", "url"])
    ev = events.set_index("id")
    out = split[split["event_id"].isin(ev.index)].copy()
    out["title"] = out["event_id"].map(ev["title"])
    start, stop = out["event_id"].map(ev["start"]), out["event_id"].map(ev["stop"])
    out["period"] = [_period(a, b) for a, b in zip(start, stop, strict=True)]
    out["row"] = (
        out["period"]
        + ": "
        + out["side"].map(SIDE_LABELS)
        + ", "
        + out["status"].map(STATUS_LABELS)
    )
    out["low"] = out["value"].astype("Int64")
    out["high"] = out["value_high"].astype("Int64").fillna(out["low"])
    by_id = sources.set_index("id") if len(sources) else pd.DataFrame(columns=["publisher", "url"])
    out["publisher"] = out["source_id"].map(by_id["publisher"])
    out["url"] = out["source_id"].map(by_id["url"])
    out["_start"] = start
    order = {s: i for i, s in enumerate(SIDE_LABELS)} | {
        s: 2 + i for i, s in enumerate(STATUS_LABELS)
    }
    out["_side"], out["_status"] = out["side"].map(order), out["status"].map(order)
    out = out.sort_values(["_start", "_side", "_status", "low"])
    return out.drop(columns=["_start", "_side", "_status"]).reset_index(drop=True)


def over_total(events: pd.DataFrame, rows: pd.DataFrame) -> dict[str, tuple[int, int]]:
    """Events whose sides' own highest figures add up to more than the highest total the event
    gives: {event_id: (sides' sum, event's high)}. A side counts its military and civilian dead,
    or its unsplit figure if that is larger; the page says where the two disagree."""
    out: dict[str, tuple[int, int]] = {}
    high = events.set_index("id")["deaths_high"].astype("Float64")
    for event_id, sub in rows.groupby("event_id", sort=False):
        best = sub.groupby(["side", "status"])["high"].max()
        total = 0
        for side in best.index.get_level_values("side").unique():
            mine = best[side]
            total += int(max(mine.get("military", 0) + mine.get("civilian", 0), mine.get("all", 0)))
        given = high.get(event_id)
        if given is not None and not pd.isna(given) and total > given:
            out[str(event_id)] = (total, int(given))
    return out
