"""Vocabularies, partial dates and the pandera schemas of the data package.

Every check here is vectorised (a Series in, a boolean Series out) so that validating a table of
a million rows costs seconds, not minutes.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pandera.pandas as pa

CATEGORIES: dict[str, str] = {
    "political": "Political",
    "military": "Military",
    "ceasefire_diplomacy": "Ceasefire & diplomacy",
    "violence_against_civilians": "Violence against civilians",
    "humanitarian": "Humanitarian",
    "displacement": "Displacement",
    "legal_international": "Legal & international",
}
PERSPECTIVES: dict[str, str] = {
    "armenian": "Armenian",
    "azerbaijani": "Azerbaijani",
    "international": "International",
    "russian": "Russian",
    "turkish": "Turkish",
    "other": "Other",
}
SOURCE_KINDS = ("news", "official", "ngo", "academic", "opinion", "reference")
PUBLISHER_TYPES = (
    "news_agency",
    "newspaper",
    "broadcaster",
    "magazine",
    "government",
    "intergovernmental",
    "ngo",
    "think_tank",
    "academic",
    "reference",
    "mirror_or_aggregator",
    "blog_or_personal",
    "partisan_site",
)
AUDIT_TABLES = ("events", "claims", "sources", "publishers", "displacement", "deaths_by_side")
AUDIT_KEYS = {
    "displacement": ("date", "measure", "source_id"),
    "deaths_by_side": ("event_id", "side", "status", "source_id"),
}
"""A table without an id column is audited by these columns joined with `|`: one audit row
covers the figures one source gives for one measure on one date."""
AUDIT_RESULTS = ("confirmed", "corrected", "not_confirmed", "removed")
AUDIT_METHODS = ("pages", "desk", "cut")
"""How a check was made: `pages`, the cited pages were brought back and read; `desk`, no page
was read (the row was compared with what earlier checks quoted from its pages, or a register
entry was edited); `cut`, no page was read and statements were only taken out of the row. Only a
`pages` check can confirm a row or find it not confirmed."""
NO_PAGE_METHODS = ("desk", "cut")
"""The methods of `AUDIT_METHODS` that read no page."""
SOURCING_RULE = "declared"
"""Every event must cite a source whose publisher has editorial responsibility.

- "error": an event that does not is left out with a message, like any other invalid row;
- "declared": the same, unless the event says so itself: its `figures_note` holds
  WEAK_DECLARATION (what was searched and not found is then on its card, with a caution);
  such events are kept and listed as warnings;
- "warn": every such event is kept and listed as a warning (while publishers.csv is filled).
"""
WEAK_DECLARATION = "no source with editorial responsibility found"
PRECISIONS = ("year", "month", "day")
MEASURES = (
    "cumulative_arrivals_armenia",
    "population_estimate",
    "remaining_population",
    "displaced_wave",
    "registered_displaced_armenia",
    "left_armenia_not_returned",
    "resettled_idps_azerbaijan",
    "exodus_profile",
    "exodus_profile_share",
    "exodus_region",
    "exodus_region_share",
)
EXODUS_GROUPS = (
    "Women and girls",
    "Men and boys",
    "Children (under 18)",
    "Older people",
    "People with disabilities",
    "Pregnant women",
)
"""The `group` of an `exodus_profile*` figure (data/README.md), in the order the page shows."""
NAME_USAGES: dict[str, str] = {
    "international": "International",
    "hy": "Armenian usage",
    "az": "Azerbaijani usage",
}

SLUG = r"^[a-z0-9][a-z0-9-]*$"
PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
DATE_HINT = "use YYYY, YYYY-MM or YYYY-MM-DD"


@dataclass(frozen=True)
class Column:
    """One column of the events table, declared once: the column lists, the pandera schema
    and what a user's file must have all come from `EVENT_SPEC`."""

    name: str
    kind: str = "text"  # text | date | count | coordinate
    needed: str = "bundled"  # where the column must be: always | bundled (our table) | never
    filled: str = "never"  # where every cell must be filled: always | bundled | never


EVENT_SPEC: tuple[Column, ...] = (
    Column("id", needed="always", filled="always"),
    Column("start_date", "date", needed="always", filled="always"),
    Column("end_date", "date"),
    Column("date_precision", filled="bundled"),
    Column("title", needed="always", filled="always"),
    Column("summary", filled="bundled"),
    Column("category", filled="bundled"),
    Column("actors"),
    Column("place_id"),
    Column("source_ids", filled="bundled"),
    Column("deaths_low", "count", needed="never"),
    Column("deaths_high", "count", needed="never"),
    Column("displaced_low", "count", needed="never"),
    Column("displaced_high", "count", needed="never"),
    Column("figures_note", needed="never"),
    Column("media", needed="never"),
    Column("media_credit", needed="never"),
    Column("display_date", needed="never"),
    Column("lat", "coordinate", needed="never"),
    Column("lon", "coordinate", needed="never"),
)
EVENT_COLUMNS = [c.name for c in EVENT_SPEC]
FIGURE_COLUMNS = [c.name for c in EVENT_SPEC if c.kind == "count"]
COORDINATE_COLUMNS = [c.name for c in EVENT_SPEC if c.kind == "coordinate"]
FILE_COLUMNS = [c.name for c in EVENT_SPEC if c.needed == "always"]
"""What a user's events file must have (`id`, `start_date`, `title`)."""
COORDINATE_RANGE = {"lat": (-90.0, 90.0), "lon": (-180.0, 180.0)}


def precision_of(values: pd.Series) -> pd.Series:
    """`year`, `month` or `day` from the shape of a partial date string."""
    length = values.fillna("").str.len()
    return pd.Series(
        pd.Categorical.from_codes(
            (length == 7) * 1 + (length == 10) * 2, categories=list(PRECISIONS)
        ),
        index=values.index,
    )


_local = threading.local()


@contextmanager
def parse_once() -> Iterator[None]:
    """Within this block a date column is parsed once, however many checks ask for it.

    Validation and enrichment each need the parsed start and end dates; at a million rows
    every extra parse costs a tenth of a second. The key is the column's Arrow array, which
    is immutable, so the same object always holds the same strings. The cache is per thread
    (each browser session runs in its own) and is dropped when the block ends.
    """
    outer = getattr(_local, "cache", None)
    _local.cache = {} if outer is None else outer
    try:
        yield
    finally:
        _local.cache = outer


def _arrow_key(values: pd.Series) -> object:
    return getattr(values.array, "_pa_array", None)


def parse_partial(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """First and last day covered by partial dates such as `1918`, `1988-02`, `2023-09-25`.

    Anything that is not a real date gives NaT in both. Each distinct string is parsed once,
    so a million events on a few thousand distinct dates cost little more than those dates.
    """
    cache: dict[int, tuple[object, pd.Series, pd.Series]] | None = getattr(_local, "cache", None)
    key = _arrow_key(values) if cache is not None else None
    if cache is None or key is None:
        return _parse_column(values)
    known = cache.get(id(key))  # the entry keeps `key` alive, so its id is not reused
    if known is not None and known[0] is key and len(known[1]) == len(values):
        return known[1].set_axis(values.index), known[2].set_axis(values.index)
    first, last = _parse_column(values)
    cache[id(key)] = (key, first, last)
    return first, last


def _parse_column(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    if len(uniques) == 0:
        nat = pd.Series(pd.NaT, index=values.index, dtype="datetime64[us]")
        return nat, nat.copy()
    first_u, last_u = _parse_unique(pd.Series(uniques, dtype="str"))
    first = pd.Series(first_u.to_numpy()[codes], index=values.index, dtype="datetime64[us]")
    last = pd.Series(last_u.to_numpy()[codes], index=values.index, dtype="datetime64[us]")
    missing = codes < 0
    if missing.any():
        first[missing] = pd.NaT
        last[missing] = pd.NaT
    return first, last


def _parse_unique(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    text = values.fillna("").astype(str).str.strip()
    shaped = text.str.fullmatch(PARTIAL_DATE.pattern)
    length = text.str.len()
    padded = text.where(length != 4, text + "-01-01").where(length != 7, text + "-01")
    first = pd.to_datetime(padded.where(shaped, None), format="%Y-%m-%d", errors="coerce")
    first = first.astype("datetime64[us]")
    last = first.copy()
    month = length == 7
    year = length == 4
    last[month] = first[month] + pd.offsets.MonthEnd(0)
    last[year] = first[year] + pd.offsets.YearEnd(0)
    return first, last


def era_span(eras: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """First and last day of each era; read from the `start`/`stop` columns the loader adds."""
    if "start" in eras and "stop" in eras:
        return eras["start"], eras["stop"]
    return parse_partial(eras["start_date"])[0], parse_partial(eras["end_date"])[1]


def _is_partial_date(values: pd.Series) -> pd.Series:
    return parse_partial(values)[0].notna() | values.isna()


def _end_after_start(df: pd.DataFrame) -> pd.Series:
    if "end_date" not in df:
        return pd.Series(True, index=df.index)
    start, _ = parse_partial(df["start_date"])
    end, _ = parse_partial(df["end_date"])
    return ~(end < start)


def _first_of_its_value(values: pd.Series) -> pd.Series:
    """False for a repeat of an earlier value (the first stays valid), like pandera's
    `unique` with `report_duplicates="exclude_first"`, but hashing each value once: at a
    million ids that halves the cost, and when all are distinct nothing more is done."""
    codes, uniques = pd.factorize(values)
    if len(uniques) == len(values):
        return pd.Series(True, index=values.index)
    repeat = pd.Series(codes, index=values.index).duplicated() & (codes >= 0)
    return ~repeat


def _precision_matches(df: pd.DataFrame) -> pd.Series:
    if "date_precision" not in df:
        return pd.Series(True, index=df.index)
    given = df["date_precision"]
    # compared as codes (-1 for a blank or unknown word): no string per row
    found, words = pd.factorize(given)
    lookup = np.array([PRECISIONS.index(w) if w in PRECISIONS else -1 for w in words] + [-1])
    codes = lookup[found]  # a blank's -1 picks the final -1
    shape = precision_of(df["start_date"]).cat.codes.to_numpy()
    return pd.Series(given.isna().to_numpy() | (codes == shape), index=df.index)


def _low_not_above_high(low: str, high: str) -> Callable[[pd.DataFrame], pd.Series]:
    def check(df: pd.DataFrame) -> pd.Series:
        if low not in df or high not in df:
            return pd.Series(True, index=df.index)
        return ~(df[low] > df[high])

    return check


def _not_above(low: str, high: str, error: str) -> pa.Check:
    """A row check: `low` is not above `high` where both are given."""
    return pa.Check(_low_not_above_high(low, high), error=f"{low}: {error}")


def _all_in(allowed: Iterable[str], sep: str = ";") -> Callable[[pd.Series], pd.Series]:
    allowed = frozenset(allowed)

    def check(values: pd.Series) -> pd.Series:
        parts = values.fillna("").str.split(sep)
        return parts.map(lambda ids: all(i.strip() in allowed for i in ids if i.strip()))

    return check


def _count(name: str) -> pa.Column:
    return pa.Column(
        "Int64",
        pa.Check.ge(0, error=f"{name} must be a whole number of 0 or more"),
        nullable=True,
        required=False,
    )


def events_schema(
    *,
    bundled: bool = False,
    place_ids: Iterable[str] | None = None,
    source_ids: Iterable[str] | None = None,
) -> pa.DataFrameSchema:
    """Schema of an events table.

    A user's file needs only `id`, `start_date` and `title`; the bundled table needs every
    column, a summary, a category and at least one source, and its ids must resolve.
    """
    date_check = pa.Check(_is_partial_date, error=f"not a date ({DATE_HINT})")
    category_check = pa.Check.isin(
        list(CATEGORIES), error="category must be one of: " + ", ".join(CATEGORIES)
    )
    place_checks = (
        [pa.Check.isin(list(place_ids), error="place_id is not in places.csv")]
        if place_ids is not None
        else []
    )
    source_checks = [pa.Check.str_length(min_value=1, error="at least one source is needed")]
    if source_ids is not None:
        source_checks.append(
            pa.Check(_all_in(source_ids), error="cites a source id that is not in sources.csv")
        )
    precision_check = pa.Check.isin(
        list(PRECISIONS), error="date_precision must be year, month or day"
    )
    special: dict[str, list[pa.Check]] = {
        "id": [
            pa.Check.str_matches(SLUG, error="id must be a lowercase slug (a-z, 0-9, -)"),
            pa.Check(_first_of_its_value, error="id must be unique"),
        ],
        "title": [pa.Check.str_length(min_value=1, error="title is empty")],
        "date_precision": [precision_check],
        "category": [category_check] if bundled else [],
        "place_id": place_checks,
        "source_ids": source_checks if bundled else [],
    }

    def column(spec: Column) -> pa.Column:
        required = spec.needed == "always" or (bundled and spec.needed == "bundled")
        nullable = not (spec.filled == "always" or (bundled and spec.filled == "bundled"))
        if spec.kind == "count":
            return _count(spec.name)
        if spec.kind == "coordinate":
            low, high = COORDINATE_RANGE[spec.name]
            return pa.Column(
                float,
                pa.Check.in_range(
                    low, high, error=f"{spec.name} must be a number from {low:g} to {high:g}"
                ),
                nullable=True,
                required=False,
            )
        checks = [date_check] if spec.kind == "date" else special.get(spec.name, [])
        return pa.Column(str, checks, nullable=nullable, required=required)

    return pa.DataFrameSchema(
        {spec.name: column(spec) for spec in EVENT_SPEC},
        checks=[
            pa.Check(_end_after_start, error="end_date: end_date is before start_date"),
            pa.Check(
                _precision_matches,
                error="date_precision: date_precision does not match the shape of start_date",
            ),
            _not_above("deaths_low", "deaths_high", "deaths_low is above deaths_high"),
            _not_above("displaced_low", "displaced_high", "displaced_low is above displaced_high"),
        ],
        strict=False,
        coerce=False,
    )


def sources_schema(publisher_ids: Iterable[str] | None = None) -> pa.DataFrameSchema:
    """Schema of sources.csv; with `publisher_ids`, each publisher named must be registered."""
    registered = (
        [pa.Check.isin(list(publisher_ids), error="not an id in publishers.csv")]
        if publisher_ids is not None
        else []
    )
    return pa.DataFrameSchema(
        {
            "id": pa.Column(str, pa.Check.str_matches(SLUG), unique=True),
            "title": pa.Column(str, pa.Check.str_length(min_value=1)),
            "publisher": pa.Column(str, pa.Check.str_length(min_value=1)),
            "author": pa.Column(str, nullable=True),
            "published": pa.Column(str, pa.Check(_is_partial_date), nullable=True),
            "url": pa.Column(
                str,
                pa.Check.str_matches(r"^https?://\S+$", error="url must start with http(s)://"),
                nullable=True,
            ),
            "perspective": pa.Column(str, pa.Check.isin(list(PERSPECTIVES))),
            "kind": pa.Column(str, pa.Check.isin(list(SOURCE_KINDS))),
            "language": pa.Column(str, pa.Check.str_matches(r"^[a-z]{2}$"), nullable=True),
            "publisher_id": pa.Column(str, registered, nullable=True, required=False),
            "original_publisher_id": pa.Column(str, registered, nullable=True, required=False),
            "original_url": pa.Column(
                str,
                pa.Check.str_matches(r"^https?://\S+$", error="url must start with http(s)://"),
                nullable=True,
                required=False,
            ),
        },
        strict=True,
    )


def claims_schema(event_ids: Iterable[str], source_ids: Iterable[str]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "id": pa.Column(str, unique=True, required=False),
            "event_id": pa.Column(
                str, pa.Check.isin(list(event_ids), error="event_id is not in events.csv")
            ),
            "perspective": pa.Column(str, pa.Check.isin(list(PERSPECTIVES))),
            "claimant": pa.Column(str, pa.Check.str_length(min_value=1)),
            "claim": pa.Column(str, pa.Check.str_length(min_value=10)),
            "source_id": pa.Column(
                str, pa.Check.isin(list(source_ids), error="source_id is not in sources.csv")
            ),
        },
        strict=True,
    )


def places_schema() -> pa.DataFrameSchema:
    name = pa.Column(str, pa.Check.str_length(min_value=1))
    return pa.DataFrameSchema(
        {
            "place_id": pa.Column(str, pa.Check.str_matches(SLUG), unique=True),
            "name": name,
            "name_hy": name,
            "name_az": name,
            "lat": pa.Column(float, pa.Check.in_range(-90, 90)),
            "lon": pa.Column(float, pa.Check.in_range(-180, 180)),
        },
        strict=True,
    )


def _sourced_figure(source_ids: Iterable[str]) -> dict[str, pa.Column]:
    """The columns every table of sourced figures shares: the figure or its range, where it
    was read, a note."""
    return {
        "value": pa.Column("Int64", pa.Check.ge(0)),
        "value_high": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "source_id": pa.Column(
            str, pa.Check.isin(list(source_ids), error="source_id is not in sources.csv")
        ),
        "note": pa.Column(str, nullable=True),
    }


def _range_checks() -> list[pa.Check]:
    return [
        pa.Check(
            _low_not_above_high("value", "value_high"),
            error="value_high: value_high is below value",
        )
    ]


def displacement_schema(source_ids: Iterable[str]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "date": pa.Column(str, pa.Check(_is_partial_date, error=f"not a date ({DATE_HINT})")),
            "time": pa.Column(
                str,
                pa.Check.str_matches(r"^\d{2}:\d{2}$", error="time must be HH:MM"),
                nullable=True,
            ),
            "end_date": pa.Column(str, pa.Check(_is_partial_date), nullable=True),
            "measure": pa.Column(str, pa.Check.isin(list(MEASURES))),
            "group": pa.Column(str, pa.Check.str_length(min_value=1)),
            **_sourced_figure(source_ids),
        },
        checks=_range_checks(),
        strict=True,
    )


def eras_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "id": pa.Column(str, pa.Check.str_matches(SLUG), unique=True),
            "label": pa.Column(str, pa.Check.str_length(min_value=1)),
            "start_date": pa.Column(str, pa.Check(_is_partial_date)),
            "end_date": pa.Column(str, pa.Check(_is_partial_date)),
        },
        checks=[pa.Check(_end_after_start, error="end_date: end_date is before start_date")],
        strict=True,
    )


GLOSSARY_SUBJECTS = (
    "territory",
    "capital",
    "2020 war",
    "September 2023 operation",
    "blockade",
    "Khojaly 1992",
    "Shusha",
    "surrounding districts",
)


def glossary_schema(source_ids: Iterable[str]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "subject": pa.Column(str, pa.Check.isin(list(GLOSSARY_SUBJECTS))),
            "perspective": pa.Column(str, pa.Check.isin(list(PERSPECTIVES))),
            "term": pa.Column(str, pa.Check.str_length(min_value=1)),
            "source_id": pa.Column(
                str, pa.Check.isin(list(source_ids), error="source_id is not in sources.csv")
            ),
            "note": pa.Column(str, nullable=True),
        },
        strict=True,
    )


def publishers_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "id": pa.Column(
                str,
                [
                    pa.Check.str_matches(SLUG, error="id must be a lowercase slug (a-z, 0-9, -)"),
                    pa.Check(_first_of_its_value, error="id must be unique"),
                ],
            ),
            "name": pa.Column(str, pa.Check.str_length(min_value=1)),
            "domains": pa.Column(str, nullable=True),
            "type": pa.Column(
                str,
                pa.Check.isin(
                    list(PUBLISHER_TYPES),
                    error="type must be one of: " + ", ".join(PUBLISHER_TYPES),
                ),
            ),
            "editorial": pa.Column(
                str, pa.Check.isin(["yes", "no"], error="editorial must be yes or no")
            ),
            "country": pa.Column(str, nullable=True),
            "standpoint": pa.Column(str, nullable=True),
            "note": pa.Column(str, nullable=True),
        },
        strict=True,
    )


def audit_schema(row_ids: Mapping[str, Iterable[str]] | None = None) -> pa.DataFrameSchema:
    """`row_ids` maps a table name to the ids its rows have; a row naming another id is refused."""
    checks = []
    if row_ids is not None:
        known = {table: frozenset(ids) for table, ids in row_ids.items()}

        def present(df: pd.DataFrame, removed: bool) -> pd.Series:
            """Audit rows name a row of their table; a `removed` one names a row no longer there.

            The checks made before a row was taken out stay in the audit: a row naming an id
            that a `removed` row of the same table also names is kept as its history.
            """
            if not {"table", "row_id", "result"} <= set(df.columns):
                return pd.Series(True, index=df.index)
            taken_out = df["result"] == "removed"
            history = (
                set()
                if removed
                else set(zip(df.loc[taken_out, "table"], df.loc[taken_out, "row_id"], strict=True))
            )
            rows = zip(df["table"], df["row_id"], df["result"], strict=True)
            return pd.Series(
                [
                    t not in known
                    or (res == "removed") != removed
                    or (r in known[t]) != removed
                    or (t, r) in history
                    for t, r, res in rows
                ],
                index=df.index,
                dtype=bool,
            )

        checks.append(
            pa.Check(
                lambda df: present(df, removed=False),
                error="row_id: row_id is not an id of that table",
            )
        )
        checks.append(
            pa.Check(
                lambda df: present(df, removed=True),
                error="row_id: marked removed but still in that table",
            )
        )
    return pa.DataFrameSchema(
        {
            "row_id": pa.Column(str, pa.Check.str_length(min_value=1)),
            "table": pa.Column(
                str,
                pa.Check.isin(
                    list(AUDIT_TABLES), error="table must be one of: " + ", ".join(AUDIT_TABLES)
                ),
            ),
            "checked_on": pa.Column(
                str, pa.Check(_is_partial_date, error=f"not a date ({DATE_HINT})")
            ),
            "result": pa.Column(
                str,
                pa.Check.isin(
                    list(AUDIT_RESULTS), error="result must be one of: " + ", ".join(AUDIT_RESULTS)
                ),
            ),
            "method": pa.Column(
                str,
                pa.Check.isin(
                    list(AUDIT_METHODS), error="method must be one of: " + ", ".join(AUDIT_METHODS)
                ),
            ),
            "note": pa.Column(str, nullable=True),
        },
        checks=checks,
        strict=True,
    )


def _steps_numbered(df: pd.DataFrame) -> pd.Series:
    """Each story's steps are 1..n: a gap or a repeat would make Next skip or stall."""
    if "story_id" not in df or "step" not in df:
        return pd.Series(True, index=df.index)
    steps = pd.to_numeric(df["step"], errors="coerce")
    ok = pd.Series(True, index=df.index)
    for _, group in steps.groupby(df["story_id"], sort=False):
        wanted = list(range(1, len(group) + 1))
        if sorted(group.dropna().astype(int)) != wanted:
            ok[group.index] = False
    return ok


def _one_title(df: pd.DataFrame) -> pd.Series:
    if "story_id" not in df or "story_title" not in df:
        return pd.Series(True, index=df.index)
    titles = df.groupby("story_id")["story_title"].transform("nunique")
    return titles <= 1


def stories_schema(event_ids: Iterable[str]) -> pa.DataFrameSchema:
    """data/stories.csv: guided sequences of events, one row per step."""
    return pa.DataFrameSchema(
        {
            "story_id": pa.Column(
                str, pa.Check.str_matches(SLUG, error="story_id must be a lowercase slug")
            ),
            "story_title": pa.Column(str, pa.Check.str_length(min_value=1)),
            "step": pa.Column("Int64", pa.Check.ge(1, error="step must be 1 or more")),
            "event_id": pa.Column(
                str, pa.Check.isin(list(event_ids), error="event_id is not in events.csv")
            ),
            "caption": pa.Column(
                str, pa.Check.str_length(min_value=10, error="caption must be a sentence")
            ),
            "start_date": pa.Column(
                str,
                pa.Check(_is_partial_date, error=f"not a date ({DATE_HINT})"),
                nullable=True,
                required=False,
            ),
            "end_date": pa.Column(
                str,
                pa.Check(_is_partial_date, error=f"not a date ({DATE_HINT})"),
                nullable=True,
                required=False,
            ),
        },
        checks=[
            pa.Check(_steps_numbered, error="step: a story's steps must be numbered 1 to n"),
            pa.Check(_one_title, error="story_title: one story must keep one title"),
        ],
        strict=True,
    )


COST_MEASURES = ("deaths", "displaced")


OVERLAP_COUNTED = ("yes",)
"""figures_overlap `counted`: `yes` counts a figure on its own although its dates lie inside
a counted total that does not hold it (the total is one party's toll, the dead are another's)."""


def _counted_apart_names_no_whole(df: pd.DataFrame) -> pd.Series:
    if "counted" not in df or "part_of" not in df:
        return pd.Series(True, index=df.index)
    return ~((df["counted"] == "yes") & df["part_of"].notna())


def figures_overlap_schema(event_ids: Iterable[str]) -> pa.DataFrameSchema:
    """data/figures_overlap.csv: an event's figure already inside another's, or outside the
    conflict's toll (part_of empty); the human-cost view leaves it out and says why. With
    `counted` = yes, the opposite: a figure inside a total's dates that the total does not hold
    is counted on its own."""
    known = list(event_ids)
    return pa.DataFrameSchema(
        {
            "event_id": pa.Column(str, pa.Check.isin(known, error="event_id is not in events.csv")),
            "measure": pa.Column(
                str,
                pa.Check.isin(list(COST_MEASURES), error="measure must be deaths or displaced"),
            ),
            "part_of": pa.Column(
                str,
                pa.Check.isin(known, error="part_of is not in events.csv"),
                nullable=True,
            ),
            "counted": pa.Column(
                str,
                pa.Check.isin(list(OVERLAP_COUNTED), error="counted must be yes or empty"),
                nullable=True,
                required=False,
            ),
            "note": pa.Column(str, pa.Check.str_length(min_value=10, error="say why")),
        },
        checks=[
            pa.Check(
                _counted_apart_names_no_whole,
                error="part_of: a figure counted on its own (counted = yes) is part of no other",
            )
        ],
        strict=True,
    )


SAMPLE_RULES = ("strict", "standard")
"""How a sample's readers judged an error: `strict`, anything a careful reader would object to
(before the written standard); `standard`, the written standard (data/README.md)."""


SAMPLE_COUNTS = ("seed", "readers", "events_read", "events_with_error", "events_plain_error")
"""The whole-number columns of data/samples.csv (read as Int64)."""


def samples_schema() -> pa.DataFrameSchema:
    """data/samples.csv: random samples of events read on their pages to measure how many have
    an error. One row per sample, named by the seed of its draw."""
    count = pa.Check.ge(0)
    return pa.DataFrameSchema(
        {
            "seed": pa.Column("Int64", pa.Check.ge(1), unique=True),
            "drawn_from": pa.Column(str, pa.Check.str_length(min_value=3)),
            "rule": pa.Column(
                str,
                pa.Check.isin(
                    list(SAMPLE_RULES), error="rule must be one of: " + ", ".join(SAMPLE_RULES)
                ),
            ),
            "readers": pa.Column("Int64", pa.Check.ge(1)),
            "events_read": pa.Column("Int64", pa.Check.ge(1)),
            "events_with_error": pa.Column("Int64", count),
            "events_plain_error": pa.Column("Int64", count),
            "note": pa.Column(str, nullable=True),
        },
        checks=[
            _not_above(
                "events_with_error", "events_read", "more events with an error than events read"
            ),
            _not_above(
                "events_plain_error",
                "events_with_error",
                "more plain errors than events with an error",
            ),
        ],
        strict=True,
    )


SIDES = ("armenian", "azerbaijani")
DEATH_STATUSES = ("military", "civilian", "all")
"""`all`: a side's dead where its source does not split soldiers from civilians."""


def deaths_by_side_schema(
    event_ids: Iterable[str], source_ids: Iterable[str]
) -> pa.DataFrameSchema:
    """data/deaths_by_side.csv: one side's dead in an event, soldiers or civilians, as one
    named party gives them. Shown beside the event's total, never added to it."""
    return pa.DataFrameSchema(
        {
            "event_id": pa.Column(
                str, pa.Check.isin(list(event_ids), error="event_id is not in events.csv")
            ),
            "side": pa.Column(
                str, pa.Check.isin(list(SIDES), error="side must be one of: " + ", ".join(SIDES))
            ),
            "status": pa.Column(
                str,
                pa.Check.isin(
                    list(DEATH_STATUSES),
                    error="status must be one of: " + ", ".join(DEATH_STATUSES),
                ),
            ),
            "given_by": pa.Column(str, pa.Check.str_length(min_value=3, error="name who gives it")),
            "date": pa.Column(
                str,
                pa.Check(_is_partial_date, error=f"not a date ({DATE_HINT})"),
                nullable=True,
            ),
            **_sourced_figure(source_ids),
        },
        checks=_range_checks(),
        strict=True,
    )
