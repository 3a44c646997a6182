"""Figures computed from the data (never typed in): headline numbers, daily arrivals, balance."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from timeline import schema
from timeline.query import list_column

BLOCKADE_ID = "2022-12-12-lachin-corridor-blockade"
ANNOTATED_EVENTS = (
    "2023-09-19-azerbaijani-offensive",
    "2023-09-20-ceasefire-disarmament",
    "2023-09-24-first-arrivals-kornidzor",
    "2023-09-25-fuel-depot-explosion",
    "2023-09-28-shahramanyan-dissolution-decree",
)
SEPTEMBER_2023 = (pd.Timestamp("2023-09-19"), pd.Timestamp("2023-10-05"))


def arrivals(displacement: pd.DataFrame) -> pd.DataFrame:
    """Cumulative arrivals in Armenia, one row per reported figure, in time order."""
    if displacement.empty:
        return pd.DataFrame(columns=["date", "time", "value", "source_id", "note", "when"])
    rows = displacement[displacement["measure"] == "cumulative_arrivals_armenia"].copy()
    rows["when"] = pd.to_datetime(
        rows["date"] + " " + rows["time"].fillna("23:59"), format="%Y-%m-%d %H:%M"
    )
    return rows.sort_values(["when", "value"]).reset_index(drop=True)


def daily_arrivals(displacement: pd.DataFrame) -> pd.DataFrame:
    """People arrived each day: the day's last cumulative figure minus the previous day's."""
    rows = arrivals(displacement)
    if rows.empty:
        return pd.DataFrame(columns=["day", "cumulative", "arrived"])
    last = rows.groupby(rows["when"].dt.normalize())["value"].max()
    last = last.cummax()
    out = pd.DataFrame({"day": last.index, "cumulative": last.to_numpy()})
    out["arrived"] = out["cumulative"].diff().fillna(out["cumulative"]).astype("int64")
    return out


def arrived_by_day(displacement: pd.DataFrame, day: pd.Timestamp) -> dict | None:
    """The highest cumulative arrivals figure reported on a day, with its source id."""
    rows = arrivals(displacement)
    if rows.empty or pd.isna(day):
        return None
    same = rows[rows["when"].dt.normalize() == day.normalize()]
    if same.empty:
        return None
    top = same.loc[same["value"].idxmax()]
    return {"value": int(top["value"]), "time": top["time"], "source_id": top["source_id"]}


def population_estimates(displacement: pd.DataFrame) -> pd.DataFrame:
    if displacement.empty:
        return displacement
    return displacement[displacement["measure"] == "population_estimate"].reset_index(drop=True)


def waves(displacement: pd.DataFrame) -> pd.DataFrame:
    if displacement.empty:
        return displacement
    return displacement[displacement["measure"] == "displaced_wave"].reset_index(drop=True)


@dataclass(frozen=True)
class Headline:
    blockade_days: int | None
    arrived: int | None
    arrived_days: int | None
    arrived_by: pd.Timestamp | None
    final: int | None
    final_by: pd.Timestamp | None
    population_low: int | None
    population_high: int | None
    below_arrivals: pd.DataFrame

    @property
    def share_low(self) -> float | None:
        if self.arrived is None or not self.population_high:
            return None
        return self.arrived / self.population_high

    @property
    def share_high(self) -> float | None:
        if self.arrived is None or not self.population_low:
            return None
        return min(1.0, self.arrived / self.population_low)


FLOW_ENDED = 0.98


def headline(events: pd.DataFrame, displacement: pd.DataFrame) -> Headline:
    """The Overview's figures.

    The exodus is counted to the first day the reported total reached 98% of the highest total
    ever reported (later figures are registrations, not a flow). The share of the population is
    the range over the pre-offensive estimates that are not below the arrivals themselves;
    estimates that are lower are returned apart so the page can say which were left out.
    """
    blockade = events[events["id"] == BLOCKADE_ID]
    days = None
    if len(blockade):
        row = blockade.iloc[0]
        days = int((row["stop"] - row["start"]).days) + 1
    daily = daily_arrivals(displacement)
    arrived = arrived_days = arrived_by = final = final_by = None
    if len(daily):
        final = int(daily["cumulative"].max())
        final_by = daily.loc[daily["cumulative"].idxmax(), "day"]
        reached = daily[daily["cumulative"] >= FLOW_ENDED * final].iloc[0]
        arrived = int(reached["cumulative"])
        arrived_by = reached["day"]
        arrived_days = int((arrived_by - daily["day"].min()).days) + 1
    pop = population_estimates(displacement)
    low = high = None
    below = pop.iloc[0:0] if len(pop) else pd.DataFrame()
    if len(pop):
        first, _ = schema.parse_partial(pop["date"])
        start = blockade["start"].iloc[0] if len(blockade) else pd.Timestamp("2022-12-12")
        end = final_by if final_by is not None else pd.Timestamp("2023-10-31")
        recent = pop[(first >= start) & (first <= end)]
        if arrived is not None:
            below = recent[recent["value_high"].fillna(recent["value"]) < arrived]
            recent = recent[recent["value_high"].fillna(recent["value"]) >= arrived]
        if len(recent):
            values = pd.concat([recent["value"], recent["value_high"].dropna()])
            low, high = int(values.min()), int(values.max())
    return Headline(days, arrived, arrived_days, arrived_by, final, final_by, low, high, below)


def event_marks(events: pd.DataFrame) -> pd.DataFrame:
    """The key days of September 2023 as they stand in the events table."""
    marked = events[events["id"].isin(ANNOTATED_EVENTS)]
    return marked[["id", "start", "title"]].sort_values("start").reset_index(drop=True)


def september_2023(events: pd.DataFrame) -> pd.DataFrame:
    start, end = SEPTEMBER_2023
    days = events[
        (events["start"] >= start) & (events["start"] <= end) & (events["date_precision"] == "day")
    ]
    return days.sort_values(["start", "id"])


def era_of(dates: pd.Series, eras: pd.DataFrame) -> pd.Series:
    """The label of the era each date falls in (the first that matches), else 'Other'."""
    out = pd.Series("Other", index=dates.index, dtype="str")
    if eras.empty:
        return out
    first, last = schema.era_span(eras)
    for label, lo, hi in reversed(list(zip(eras["label"], first, last, strict=True))):
        out[(dates >= lo) & (dates <= hi)] = label
    return out


def balance(events: pd.DataFrame, eras: pd.DataFrame) -> pd.DataFrame:
    """For each era, how many events are backed by at least one source of each perspective."""
    rows = events[["id", "start"]].copy()
    rows["era"] = era_of(rows["start"], eras)
    rows["perspective"] = list_column(events, "perspectives_list", "perspectives")
    rows = rows.explode("perspective").dropna(subset=["perspective"])
    table = rows.groupby(["era", "perspective"]).size().rename("events").reset_index()
    order = list(eras["label"]) + ["Other"] if len(eras) else ["Other"]
    table["era"] = pd.Categorical(table["era"], categories=order, ordered=True)
    return table.sort_values(["era", "perspective"]).reset_index(drop=True)


def _cited(events: pd.DataFrame) -> pd.Series:
    """One row per (event, cited source id), indexed by the event's row."""
    return list_column(events, "source_ids_list", "source_ids").explode().dropna()


def source_usage(events: pd.DataFrame, sources: pd.DataFrame) -> pd.Series:
    """How many events cite each source id."""
    counts = _cited(events).value_counts()
    return sources["id"].map(counts).fillna(0).astype("int64")


@dataclass(frozen=True)
class Span:
    """The range of the figures the sources give for one group, and how many sources."""

    low: int
    high: int
    sources: int


# The Overview's displacement figures, in both directions: (label, groups, first, last year).
DISPLACEMENT_HEADLINES = (
    ("Armenians who left Azerbaijan, 1988–94", ("Armenians from Azerbaijan",), 1988, 1994),
    ("Azerbaijanis who left Armenia, 1988–91", ("Azerbaijanis from Armenia",), 1988, 1991),
    (
        "Azerbaijanis displaced in and around Nagorno-Karabakh, 1991–94",
        ("Azerbaijanis from Nagorno-Karabakh and surrounding districts",),
        1991,
        1994,
    ),
)
# The Overview's loss figures: events whose deaths columns count both sides together.
LOSS_EVENTS = (
    ("Killed, first war 1988–94", "1988-1994-first-nagorno-karabakh-war"),
    ("Killed, 2020 war", "2020-09-27-war-casualty-figures"),
)


def wave_span(displacement: pd.DataFrame, groups: tuple[str, ...], first: int, last: int):
    """Lowest and highest figure given for these groups for a wave that began between
    `first` and `last` (years), with the number of distinct sources; None without any."""
    rows = waves(displacement)
    if rows.empty:
        return None
    began = pd.to_numeric(rows["date"].astype(str).str[:4], errors="coerce")
    rows = rows[rows["group"].isin(groups) & began.between(first, last)]
    if rows.empty:
        return None
    values = pd.concat([rows["value"], rows["value_high"].dropna()]).astype("int64")
    return Span(int(values.min()), int(values.max()), int(rows["source_id"].nunique()))


def bibliography(events: pd.DataFrame, sources: pd.DataFrame, claims: pd.DataFrame) -> pd.DataFrame:
    """The sources with how many events cite each and how many claims each is the source of."""
    per_claim = claims.groupby("source_id").size() if len(claims) else pd.Series(dtype="int64")
    return sources.assign(
        events=source_usage(events, sources).to_numpy(),
        claims=sources["id"].map(per_claim).fillna(0).astype("int64").to_numpy(),
    )


def citing(events: pd.DataFrame, source_id: str) -> pd.DataFrame:
    """The events that cite a source."""
    cited = _cited(events)
    return events.loc[cited[cited == source_id].index.unique()]


def with_source(rows: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Rows that cite one source (`source_id`) with its publisher and address beside them."""
    by_id = sources.set_index("id")
    return rows.assign(
        publisher=rows["source_id"].map(by_id["publisher"]),
        url=rows["source_id"].map(by_id["url"]),
    )


def contested(
    events: pd.DataFrame, claims: pd.DataFrame, minimum: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The events framed by claims of at least `minimum` perspectives, and those claims."""
    shown = claims[claims["event_id"].isin(set(events["id"]))]
    sides = shown.groupby("event_id")["perspective"].nunique()
    chosen = events[events["id"].isin(sides[sides >= minimum].index)]
    return chosen, shown[shown["event_id"].isin(set(chosen["id"]))]


@dataclass(frozen=True)
class MapCoverage:
    unplaced: int
    """Events without a known place: not on the map."""
    outside: pd.Series
    """place_id -> events there that fall outside the map's view, most first."""


def map_coverage(
    events: pd.DataFrame,
    places: pd.DataFrame,
    lon: tuple[float, float],
    lat: tuple[float, float],
) -> MapCoverage:
    """What the map cannot show: events with no place, and those outside its view."""
    own = (
        events["lat"].notna() & events["lon"].notna()
        if {"lat", "lon"} <= set(events.columns)
        else pd.Series(False, index=events.index)
    )
    located = events["place_id"].isin(set(places["place_id"])) | own
    coords = places.set_index("place_id")
    ids = events.loc[located, "place_id"].astype("object")
    x, y = ids.map(coords["lon"]).astype(float), ids.map(coords["lat"]).astype(float)
    if {"lat", "lon"} <= set(events.columns):
        x = pd.to_numeric(events.loc[located, "lon"], errors="coerce").fillna(x)
        y = pd.to_numeric(events.loc[located, "lat"], errors="coerce").fillna(y)
    far = ids[~(x.between(*lon) & y.between(*lat))]
    return MapCoverage(int((~located).sum()), far.value_counts())


EDITORIAL_TYPES_ORDER = (
    "intergovernmental",
    "government",
    "academic",
    "news_agency",
    "newspaper",
    "broadcaster",
    "magazine",
    "ngo",
    "think_tank",
    "reference",
    "partisan_site",
    "blog_or_personal",
    "mirror_or_aggregator",
    "unregistered",
)


def register(publishers: pd.DataFrame, sources: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """The register of publishers with how many sources and events rest on each."""
    if publishers.empty:
        return publishers.assign(sources=pd.Series(dtype="int"), events=pd.Series(dtype="int"))
    pid = sources.get("publisher_id", pd.Series(dtype="str"))
    by_source = pid.value_counts()
    source_publisher = pd.Series(pid.to_numpy(), index=sources["id"]).to_dict()
    cited = events["source_ids_list"].explode().dropna().map(source_publisher)
    per_event = (
        pd.DataFrame({"event": cited.index, "publisher": cited.to_numpy()})
        .drop_duplicates()
        .groupby("publisher")["event"]
        .count()
    )
    table = publishers.drop_duplicates("id").copy()
    table["sources"] = table["id"].map(by_source).fillna(0).astype(int)
    table["events"] = table["id"].map(per_event).fillna(0).astype(int)
    return table.sort_values(["events", "name"], ascending=[False, True])


def strongest_type(events: pd.DataFrame, sources: pd.DataFrame, publishers: pd.DataFrame):
    """Each event's best-placed publisher type (editorial types first), for a count by type."""
    from timeline.sourcing import publisher_type_of_sources

    kinds = publisher_type_of_sources(sources, publishers).to_dict()
    rank = {k: i for i, k in enumerate(EDITORIAL_TYPES_ORDER)}

    def best(cited) -> str:
        types = [kinds.get(s, "unregistered") for s in cited] or ["unregistered"]
        return min(types, key=lambda t: rank.get(t, len(rank)))

    return events["source_ids_list"].map(best)


AFTER_EXODUS = {
    "registered_displaced_armenia": "Registered in Armenia (displaced from Nagorno-Karabakh)",
    "left_armenia_not_returned": "Left Armenia and not come back",
    "resettled_idps_azerbaijan": "Azerbaijanis resettled in the retaken districts",
}


def after_exodus(displacement: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """The figures reported after October 2023, one row each, with who gave them."""
    if displacement.empty:
        return displacement.assign(series=pd.Series(dtype="str"))
    rows = displacement[displacement["measure"].isin(list(AFTER_EXODUS))].copy()
    rows["series"] = rows["measure"].map(AFTER_EXODUS)
    rows = with_source(rows, sources) if len(sources) else rows
    return rows.sort_values(["measure", "date"]).reset_index(drop=True)


EXODUS_KINDS = ("profile", "region")
"""Who the people of the 2023 exodus were (`exodus_profile*`) and where they stayed
(`exodus_region*`): each as a count of people and as a per cent of the arrivals."""


def exodus_figures(
    displacement: pd.DataFrame,
    sources: pd.DataFrame,
    kind: str,
    publishers: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The sourced figures of one kind, one row each: date, group, value, unit ('people' or
    '%'), publisher (who gave the figure: the original of a copy, from the register),
    `given_by` (publisher and date, one legend entry per report), note, url."""
    measures = {f"exodus_{kind}": "people", f"exodus_{kind}_share": "%"}
    if displacement.empty or "measure" not in displacement:
        return pd.DataFrame(
            columns=["date", "group", "value", "unit", "publisher", "given_by", "note", "url"]
        )
    rows = displacement[displacement["measure"].isin(list(measures))].copy()
    rows["unit"] = rows["measure"].map(measures)
    rows = with_source(rows, sources) if len(sources) else rows.assign(publisher="", url="")
    if publishers is not None and len(publishers) and "original_publisher_id" in sources:
        names = dict(zip(publishers["id"], publishers["name"], strict=True))
        by_id = sources.set_index("id")
        original = by_id["original_publisher_id"].fillna(by_id["publisher_id"]).map(names)
        rows["publisher"] = rows["source_id"].map(original).fillna(rows["publisher"])
    publisher = rows["publisher"].fillna(rows["source_id"]).astype(str)
    rows["publisher"] = publisher
    rows["given_by"] = publisher + ", " + rows["date"].astype(str)
    return rows.sort_values(["unit", "date", "group"]).reset_index(drop=True)
