"""Read and validate the data package and users' event files (ours or TimelineJS).

Nothing here raises on bad input: every problem comes back as a `Problem` naming the file, the
line (as in the file, header = line 1) and the column.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from timeline import schema, sourcing
from timeline.csv_reader import MAX_FIELD as MAX_FIELD
from timeline.csv_reader import Problem as Problem
from timeline.csv_reader import RawTable as RawTable
from timeline.csv_reader import read_csv_bytes as read_csv_bytes
from timeline.publish import SITE
from timeline.timelinejs import from_timelinejs, is_timelinejs
from timeline.timelinejs import neutralise as neutralise
from timeline.timelinejs import to_timelinejs as to_timelinejs

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SORT_LIMIT = 100_000  # larger tables stay in file order; views sort what they show
CITATION_FILE = DATA_DIR.parent / "CITATION.cff"


def citation_line(path: Path = CITATION_FILE) -> str:
    """How to cite the data, with the release and year CITATION.cff gives (written there once).

    Without a readable version and release date the line names no release rather than failing.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        text = ""
    version = re.search(r"^version:\s*['\"]?(\d+\.\d+\.\d+)", text, re.M)
    year = re.search(r"^date-released:\s*['\"]?(\d{4})-", text, re.M)
    if version and year:
        return f"{SITE}, data release {version[1]} ({year[1]}), CC BY 4.0."
    return f"{SITE}, CC BY 4.0."


@dataclass
class EventsFile:
    """A user's events file after reading: the valid rows and what was wrong with the rest."""

    name: str
    events: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    format: str = "ours"
    title: str | None = None
    eras: pd.DataFrame = field(default_factory=lambda: empty_eras())

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class Package:
    events: pd.DataFrame
    sources: pd.DataFrame
    claims: pd.DataFrame
    places: pd.DataFrame
    displacement: pd.DataFrame
    eras: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    title: str | None = None
    origin: str = "bundled"
    glossary: pd.DataFrame = field(default_factory=pd.DataFrame)
    publishers: pd.DataFrame = field(default_factory=pd.DataFrame)
    audit: pd.DataFrame = field(default_factory=pd.DataFrame)
    stories: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Guided stories (data/stories.csv): one row per step, sorted by story then step."""
    overlaps: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Figures the human-cost view must not add again (data/figures_overlap.csv)."""
    deaths_by_side: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Each side's dead, soldiers and civilians, as named parties give them
    (data/deaths_by_side.csv)."""
    samples: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Random samples read on their pages to measure the error rate (data/samples.csv), in
    the order drawn."""
    warnings: list[Problem] = field(default_factory=list)
    """Events kept although they rest only on sources without editorial responsibility (each
    says so itself under the "declared" rule; any such event under "warn")."""
    token: str = field(default_factory=lambda: uuid.uuid4().hex)
    """Names this loaded version of the data, so results computed from it can be reused."""

    def uncited_sources(self) -> list[str]:
        """Ids of sources (in file order) that no event, claim, displacement figure, glossary
        term or side's toll cites: the register lists what rows rest on."""
        if self.sources.empty or "id" not in self.sources:
            return []
        citing = (self.events, self.claims, self.displacement, self.glossary, self.deaths_by_side)
        cited = {
            source_id
            for rows in citing
            for column in ("source_ids", "source_id")
            if column in rows
            for value in rows[column]
            for source_id in split_list(value)
        }
        return [s for s in self.sources["id"].astype(str) if s not in cited]


def with_era_span(eras: pd.DataFrame) -> pd.DataFrame:
    """Eras with their first and last day parsed once, for every chart that shades them."""
    start, stop = schema.era_span(eras)
    return eras.assign(start=start, stop=stop)


def empty_eras() -> pd.DataFrame:
    return pd.DataFrame(
        {c: pd.Series(dtype="str") for c in ("id", "label", "start_date", "end_date")}
    )


# ----------------------------------------------------------------------------- validation


def _column_of(message: str, column: object) -> tuple[str, str]:
    """A frame-wide check names its column as `column: message`; a column check has its own."""
    head, sep, rest = message.partition(": ")
    if sep and re.fullmatch(r"[a-z_]+", head):
        return head, rest
    if isinstance(column, str) and column and column != "None":
        return column, message
    return "-", message


def validate_frame(
    frame: pd.DataFrame,
    frame_schema: pa.DataFrameSchema,
    name: str,
    lines: pd.Series | None = None,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Validate with pandera; return the rows that passed and one Problem per failure."""
    if lines is None:
        lines = pd.Series(frame.index + 2, index=frame.index)
    try:
        frame_schema.validate(frame, lazy=True)
        return frame, []
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases
    except pa.errors.SchemaError as err:  # pragma: no cover - lazy mode reports all above
        return frame.iloc[0:0], [Problem(name, 1, "-", str(err).splitlines()[0])]
    problems: list[Problem] = []
    bad: set = set()
    for case in cases.itertuples(index=False):
        check = str(case.check)
        idx = case.index
        if idx is None or pd.isna(idx):
            column = str(case.failure_case) if case.column in (None, "None") else case.column
            if "column_in_dataframe" in check:
                problems.append(
                    Problem(name, 1, str(case.failure_case), "required column is missing")
                )
            elif "dtype" in check:
                problems.append(Problem(name, 1, str(case.column), f"wrong type ({check})"))
            else:
                col, msg = _column_of(check, column)
                problems.append(Problem(name, 1, col, msg))
            continue
        bad.add(idx)
        line = int(lines.get(idx, idx + 2))
        col, msg = _column_of(check, case.column)
        value = case.failure_case
        if "unique" in check:
            msg = f"duplicate id {value!r}"
        elif "not_nullable" in check:
            msg = "this cell must not be empty"
        elif msg == check and value is not None and not pd.isna(value):
            msg = f"{msg} (got {str(value)[:60]!r})"
        problems.append(Problem(name, line, col, msg))
    problems.sort(key=lambda p: (p.line, p.column))
    if any(p.message == "required column is missing" for p in problems):
        return frame.iloc[0:0], _dedupe(problems)
    return frame.drop(index=[i for i in bad if i in frame.index]), _dedupe(problems)


def _dedupe(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


MAX_COUNT = 10**15  # a figure above this is a typing slip, and would not fit a whole number


def _to_counts(
    frame: pd.DataFrame, columns: list[str], name: str, lines: pd.Series
) -> tuple[pd.DataFrame, list[Problem]]:
    """Whole-number columns as Int64; a cell that is not one is named and left empty."""
    problems: list[Problem] = []
    for col in columns:
        if col not in frame:
            continue
        raw = frame[col]
        try:
            frame[col] = raw.astype("Int64")  # the common case: whole numbers or empty
            continue
        except (TypeError, ValueError, OverflowError):
            pass
        numbers = pd.to_numeric(raw.str.replace(",", "", regex=False), errors="coerce")
        huge = raw.notna() & (numbers.abs() > MAX_COUNT)
        wrong = raw.notna() & (numbers.isna() | (numbers % 1 != 0)) & ~huge
        for idx in raw.index[wrong]:
            problems.append(
                Problem(name, int(lines[idx]), col, f"not a whole number (got {raw[idx]!r})")
            )
        for idx in raw.index[huge]:
            problems.append(
                Problem(
                    name,
                    int(lines[idx]),
                    col,
                    f"too large a number (got {raw[idx][:30]!r}); at most {MAX_COUNT:,}",
                )
            )
        frame[col] = numbers.where(~wrong & ~huge).astype("Int64")
    return frame, problems


def _to_coordinates(
    frame: pd.DataFrame, name: str, lines: pd.Series
) -> tuple[pd.DataFrame, list[Problem]]:
    """`lat`/`lon` as floats. A decimal comma is read as a point (Excel writes `39,8153` where
    `;` separates cells); the range is checked by the schema."""
    problems: list[Problem] = []
    present = [c for c in schema.COORDINATE_COLUMNS if c in frame]
    if len(present) == 2:
        lat, lon = frame["lat"].isna(), frame["lon"].isna()
        for col, idx in [("lon", i) for i in frame.index[~lat & lon]] + [
            ("lat", i) for i in frame.index[lat & ~lon]
        ]:
            problems.append(
                Problem(name, int(lines[idx]), col, "give both lat and lon, or neither")
            )
    elif len(present) == 1:
        other = "lon" if present[0] == "lat" else "lat"
        problems.append(
            Problem(
                name, 1, other, f"the file has {present[0]} but no {other}; give both or neither"
            )
        )
        return frame.drop(columns=present), problems
    for col in present:
        raw = frame[col].astype("str")
        comma = raw.str.fullmatch(r"-?\d+,\d+", na=False)
        numbers = pd.to_numeric(raw.where(~comma, raw.str.replace(",", ".")), errors="coerce")
        wrong = raw.notna() & numbers.isna()
        for idx in raw.index[wrong]:
            problems.append(
                Problem(name, int(lines[idx]), col, f"not a number (got {raw[idx][:30]!r})")
            )
        frame[col] = numbers.astype("float64")
    return frame, problems


def checked(
    frame: pd.DataFrame,
    lines: pd.Series,
    frame_schema: pa.DataFrameSchema,
    name: str,
    ints: Iterable[str] = (),
) -> tuple[pd.DataFrame, list[Problem]]:
    """Numbers converted, then the schema: the rows that passed every check, and the problems."""
    frame, problems = _to_counts(frame, list(ints), name, lines)
    frame, more = _to_coordinates(frame, name, lines)
    problems += more
    valid, found = validate_frame(frame, frame_schema, name, lines)
    bad_lines = {p.line for p in problems}
    if bad_lines:  # (filtering copies every column, which would also lose parse_once's cache)
        valid = valid[~lines.loc[valid.index].isin(bad_lines)]
    return valid, sorted(_dedupe(problems + found), key=lambda p: (p.line, p.column))


# ----------------------------------------------------------------------------- events


def read_events_file(data: bytes, name: str) -> EventsFile:
    """Read a user's events file (ours or TimelineJS) and validate it as an events table."""
    with schema.parse_once():
        return _read_events_file(data, name)


def read_events_path(path: str | Path) -> EventsFile:
    """`read_events_file` for a file on disk (`--data`), named by its file name only: the
    messages are shown to every visitor, who has no business knowing the server's folders."""
    path = Path(path)
    name = path.name or str(path)
    if path.is_dir():
        return _unread(name, "this is a folder, not a file; give the path of a CSV file")
    try:
        data = path.read_bytes()
    except OSError as err:
        return _unread(name, f"cannot read the file ({err.strerror or 'unreadable'})")
    return read_events_file(data, name)


def _unread(name: str, message: str, line: int = 1) -> EventsFile:
    return EventsFile(name, empty_events(), [Problem(name, line, "-", message)])


def _read_events_file(data: bytes, name: str) -> EventsFile:
    raw = read_csv_bytes(data, name)
    if raw.frame.empty and raw.problems:
        return EventsFile(name, empty_events(), raw.problems)
    problems = list(raw.problems)
    columns = list(raw.frame.columns)
    title = None
    eras = empty_eras()
    if is_timelinejs(columns):
        fmt = "timelinejs"
        frame, eras, title, more = from_timelinejs(raw.frame, raw.lines, name)
        problems += more
        lines = frame.pop("_line").astype("int64")
        frame.index = range(len(frame))
        lines.index = frame.index
    elif set(schema.FILE_COLUMNS) & set(columns):
        fmt = "ours"
        frame, lines = raw.frame.copy(), raw.lines
    else:
        expected = ", ".join(schema.FILE_COLUMNS)
        return _unread(
            name,
            f"the header has neither our columns ({expected}) nor the TimelineJS template's "
            "(Year, Headline, ...)",
        )
    if raw.frame.empty and not problems:  # named on line 2, where the first row would be
        return _unread(name, "the file has a header but no rows of events", line=2)
    valid, found = checked(frame, lines, schema.events_schema(), name, schema.FIGURE_COLUMNS)
    problems = sorted(_dedupe(problems + found), key=lambda p: (p.line, p.column))
    return EventsFile(name, enrich_events(valid), problems, fmt, title, with_era_span(eras))


def _no_events() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="str") for c in schema.FILE_COLUMNS})


def empty_events() -> pd.DataFrame:
    return enrich_events(_no_events())


MONTHS = np.array(
    [
        "",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    dtype=object,
)


def date_labels(first: pd.Series, precision: pd.Series) -> pd.Series:
    """'25 September 2023', 'February 1988' or '1918', by precision, built from the date's
    parts (`_period_labels` calls it once per distinct date)."""
    known = first.notna()
    year = first.dt.year.astype("Int64").astype("str")
    month = pd.Series(MONTHS[first.dt.month.fillna(0).astype(int).to_numpy()], index=first.index)
    day = first.dt.day.astype("Int64").astype("str")
    out = year.where(precision != "month", month + " " + year)
    out = out.where(precision != "day", day + " " + month + " " + year)
    return out.where(known, "").astype("str")


def _period_labels(
    start_date: pd.Series, precision: pd.Series, end_date: pd.Series, is_period: pd.Series
) -> pd.Series:
    """'25 September 2023' or 'February 1988 – 1994' for every row.

    The label depends only on (start date, precision, end date of a period), so it is built
    once per distinct combination, a few thousand even in a million rows, and then spread
    over the rows by Arrow, without a Python string per row.
    """
    import pyarrow as pa_

    if start_date.empty:
        return pd.Series("", index=start_date.index, dtype="str")
    s_codes, s_uni = pd.factorize(start_date)
    p_codes, p_uni = pd.factorize(precision)
    e_codes, e_uni = pd.factorize(end_date.where(is_period))
    np_, ne = len(p_uni) + 1, len(e_uni) + 1
    key = (s_codes.astype("int64") + 1) * (np_ * ne) + (p_codes + 1) * ne + (e_codes + 1)
    k_codes, k_uni = pd.factorize(key)
    k_uni = np.asarray(k_uni, dtype="int64")

    def pick(uniques: object, codes: np.ndarray) -> pd.Series:
        values = np.asarray(uniques, dtype=object)
        out = np.full(len(codes), None, dtype=object)
        out[codes >= 0] = values[codes[codes >= 0]]
        return pd.Series(out, dtype="str")

    starts = pick(s_uni, k_uni // (np_ * ne) - 1)
    precisions = pick(p_uni, (k_uni // ne) % np_ - 1)
    ends = pick(e_uni, k_uni % ne - 1)
    label = date_labels(schema.parse_partial(starts)[0], precisions)
    end_label = date_labels(schema.parse_partial(ends)[0], schema.precision_of(ends).astype("str"))
    label = label.where(ends.isna(), label + " – " + end_label)
    spread = pa_.array(label.tolist(), pa_.string()).take(pa_.array(k_codes))
    out = spread.to_pandas()
    out.index = start_date.index
    return out


def _per_distinct(values: pd.Series, *builds: Callable[[Any], object]) -> list[pd.Series]:
    """For each `build`, `build(value)` per distinct value (missing gives `build(None)`), spread
    over the rows: a million events cite a few thousand distinct lists, so each is parsed once."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    out = []
    for build in builds:
        built = np.empty(len(uniques) + 1, dtype=object)
        for i, value in enumerate(uniques):
            built[i] = build(value)
        built[-1] = build(None)  # code -1 (missing) picks the last
        out.append(pd.Series(built[codes], index=values.index, dtype=object))
    return out


def split_list(value: object) -> tuple[str, ...]:
    """'ICRC ;UN' -> ('ICRC', 'UN'): a `;`-separated cell as stripped, non-empty parts."""
    if not isinstance(value, str):
        return ()
    return tuple(part for part in (p.strip() for p in value.split(";")) if part)


def list_column(values: pd.Series) -> pd.Series:
    """A `;`-separated text column as a column of tuples (see `split_list`)."""
    return _per_distinct(values, split_list)[0]


def editorial_sources(sources: pd.DataFrame | None, publishers: pd.DataFrame | None) -> set[str]:
    """Ids of the sources whose publisher is registered with editorial responsibility.

    A source with no `publisher_id`, or one not in the register, is not counted."""
    if sources is None or publishers is None or not len(sources) or not len(publishers):
        return set()
    if "publisher_id" not in sources or not {"id", "editorial"} <= set(publishers.columns):
        return set()
    yes = set(publishers.loc[publishers["editorial"] == "yes", "id"].dropna())
    return set(sources.loc[sources["publisher_id"].isin(yes), "id"].dropna())


def _source_facts(
    source_ids: pd.Series, sources: pd.DataFrame | None, publishers: pd.DataFrame | None
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Per event: the sorted perspectives of its sources (as a tuple and as `;`-joined text),
    and whether one of its sources has an editorial publisher."""
    persp: dict[str, str] = {}
    if sources is not None and len(sources) and {"id", "perspective"} <= set(sources.columns):
        known = sources.dropna(subset=["id", "perspective"])
        persp = dict(zip(known["id"], known["perspective"], strict=True))
    editorial = editorial_sources(sources, publishers)

    def sides(value: object) -> tuple[str, ...]:
        return tuple(sorted({persp[i] for i in split_list(value) if i in persp}))

    def backed(value: object) -> bool:
        return any(i in editorial for i in split_list(value))

    def joined(value: object) -> str:
        return ";".join(sides(value))

    perspectives, text, has_editorial = _per_distinct(source_ids, sides, joined, backed)
    return perspectives, text.astype("str"), has_editorial.astype(bool)


def _place_names(places: pd.DataFrame) -> dict[str, str]:
    """Every usage of every place name (and its id), casefolded -> place_id."""
    lookup: dict[str, str] = {}
    for column in ("place_id", "name", "name_hy", "name_az"):
        if column in places:
            for name, place_id in zip(places[column], places["place_id"], strict=True):
                if isinstance(name, str):
                    lookup.setdefault(name.strip().casefold(), place_id)
    return lookup


def locate(events: pd.DataFrame, places: pd.DataFrame | None) -> pd.DataFrame:
    """Where each event is: a place written by any of its names ('Khankendi', 'Shushi') becomes
    its place_id; `lat`/`lon` are the file's own where given, else its place's; `place_text`
    holds every name of its place, for search."""
    out: dict[str, pd.Series] = {}
    place_id = events["place_id"].astype("object")
    if places is None or not len(places) or "place_id" not in places:
        places = None
    elif not place_id.isin(places["place_id"]).all():
        named = place_id.str.strip().str.casefold().map(_place_names(places))
        place_id = named.fillna(place_id)
        out["place_id"] = place_id.astype("category")
    where = (
        pd.Index(places["place_id"]).get_indexer(place_id)
        if places is not None
        else np.full(len(events), -1)
    )
    for axis in schema.COORDINATE_COLUMNS:
        own = events[axis] if axis in events else pd.Series(np.nan, index=events.index)
        own = pd.to_numeric(own, errors="coerce").astype("float64")
        if places is not None and axis in places and own.isna().any():
            coords = pd.to_numeric(places[axis], errors="coerce").to_numpy(dtype="float64")
            found = np.where(where >= 0, coords[where], np.nan)
            own = own.fillna(pd.Series(found, index=events.index))
        out[axis] = own
    text = pd.Series("", index=events.index, dtype="str")
    if places is not None:
        usages = [places[c].fillna("") for c in ("name", "name_hy", "name_az") if c in places]
        joined = usages[0].str.cat(usages[1:], sep=" ").to_numpy(dtype=object)
        text = pd.Series(np.where(where >= 0, joined[where], ""), index=events.index, dtype="str")
    out["place_text"] = text
    return events.assign(**out)


_DTYPES = {
    **{c: "Int64" for c in schema.FIGURE_COLUMNS},
    **{c: "float64" for c in schema.COORDINATE_COLUMNS},
}


def enrich_events(
    events: pd.DataFrame,
    sources: pd.DataFrame | None = None,
    places: pd.DataFrame | None = None,
    publishers: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Add the derived columns every view needs, once, at load time."""
    df = events.copy()
    for col in schema.EVENT_COLUMNS:
        if col not in df:
            dtype = _DTYPES.get(col, "str")
            df[col] = pd.Series(
                np.nan if dtype == "float64" else pd.NA, index=df.index, dtype=dtype
            )
    missing = df["date_precision"].isna()
    if missing.any():
        shape = schema.precision_of(df.loc[missing, "start_date"]).astype("str")
        df["date_precision"] = df["date_precision"].fillna(shape)
    df["start"], start_last = schema.parse_partial(df["start_date"])
    _, end_last = schema.parse_partial(df["end_date"])
    df["stop"] = end_last.fillna(start_last)
    df["is_period"] = df["end_date"].notna() & (end_last > start_last)
    label = _period_labels(df["start_date"], df["date_precision"], df["end_date"], df["is_period"])
    df["date_label"] = df["display_date"].fillna(label)
    df["category"] = df["category"].fillna("uncategorised").astype("category")
    df["place_id"] = df["place_id"].astype("category")
    df["actors_list"] = list_column(df["actors"])
    df["source_ids_list"] = list_column(df["source_ids"])
    facts = _source_facts(df["source_ids"], sources, publishers)
    df["perspectives_list"], df["perspectives"], df["has_editorial_source"] = facts
    df = locate(df, places)
    if len(df) <= SORT_LIMIT and not df["start"].is_monotonic_increasing:
        df = df.sort_values(["start", "id"], kind="stable").reset_index(drop=True)
    return df


# ----------------------------------------------------------------------------- the package


SchemaFactory = Callable[[], pa.DataFrameSchema]


def _read_table(
    path: Path, tschema_factory: SchemaFactory, problems: list[Problem], ints: Iterable[str] = ()
) -> tuple[pd.DataFrame, RawTable]:
    """(the rows of one table that passed its schema, every row read); the problems of the
    others are added. Other tables refer to the rows read, so one slip in a source row costs
    that row, not every event that cites it."""
    name = f"data/{path.name}"
    if not path.is_file():
        problems.append(Problem(name, 1, "-", "file is missing"))
        return pd.DataFrame(), RawTable(pd.DataFrame(), pd.Series(dtype="int64"), [])
    raw = read_csv_bytes(path.read_bytes(), name)
    problems += raw.problems
    valid, found = checked(raw.frame.copy(), raw.lines, tschema_factory(), name, ints)
    problems += found
    return valid, raw


def _ids(table: pd.DataFrame, column: str) -> set[str]:
    return set(table[column].dropna()) if column in table else set()


def audit_keys(table: pd.DataFrame, columns: tuple[str, ...]) -> set[str]:
    if not set(columns) <= set(table.columns):
        return set()
    return {"|".join(map(str, row)) for row in table[list(columns)].fillna("").itertuples(False)}


def load_package(data_dir: Path = DATA_DIR) -> Package:
    """Read, validate and cross-check the bundled data package."""
    with schema.parse_once():
        return _load_package(data_dir)


def _load_package(data_dir: Path) -> Package:
    problems: list[Problem] = []

    def table(file: str, tschema_factory: SchemaFactory, ints: Iterable[str] = ()) -> pd.DataFrame:
        valid, raw = _read_table(data_dir / file, tschema_factory, problems, ints)
        key = "place_id" if file == "places.csv" else "id"
        ids[file] = _ids(raw.frame, key)
        if file.removesuffix(".csv") in schema.AUDIT_KEYS:
            ids[file] = audit_keys(raw.frame, schema.AUDIT_KEYS[file.removesuffix(".csv")])
        if key in raw.frame:
            lines[file] = dict(zip(raw.frame[key], raw.lines, strict=True))
        return valid

    ids: dict[str, set[str]] = {}
    lines: dict[str, dict[str, int]] = {}
    publishers = table("publishers.csv", schema.publishers_schema)
    sources = table("sources.csv", lambda: schema.sources_schema(ids["publishers.csv"]))
    places = table("places.csv", schema.places_schema)
    source_ids = ids["sources.csv"]
    events = table(
        "events.csv",
        lambda: schema.events_schema(
            bundled=True, place_ids=ids["places.csv"], source_ids=source_ids
        ),
        schema.FIGURE_COLUMNS,
    )
    claims = table("claims.csv", lambda: schema.claims_schema(ids["events.csv"], source_ids))
    displacement = table(
        "displacement.csv", lambda: schema.displacement_schema(source_ids), ("value", "value_high")
    )
    eras = table("eras.csv", schema.eras_schema)
    glossary = table("glossary.csv", lambda: schema.glossary_schema(source_ids))
    deaths_by_side = table(
        "deaths_by_side.csv",
        lambda: schema.deaths_by_side_schema(ids["events.csv"], source_ids),
        ("value", "value_high"),
    )
    audited = {t: ids[f"{t}.csv"] for t in schema.AUDIT_TABLES}
    audit = table("audit.csv", lambda: schema.audit_schema(audited))
    stories = table("stories.csv", lambda: schema.stories_schema(ids["events.csv"]), ("step",))
    overlaps = table(
        "figures_overlap.csv", lambda: schema.figures_overlap_schema(ids["events.csv"])
    )
    samples = table("samples.csv", schema.samples_schema, schema.SAMPLE_COUNTS)
    if events.empty:
        events = _no_events()
    events = enrich_events(events, sources, places, publishers)
    event_lines = lines.get("events.csv", {})
    events, refused, weak = sourcing.apply_rule(events, sources, publishers, event_lines)
    problems += refused
    problems += sourcing.register_problems(sources, publishers, lines)
    return Package(
        events=events,
        sources=sources,
        claims=claims,
        places=places,
        displacement=displacement,
        eras=with_era_span(eras if len(eras) else empty_eras()),
        problems=problems,
        glossary=glossary,
        publishers=publishers,
        audit=audit,
        stories=_ordered_stories(stories),
        overlaps=overlaps,
        deaths_by_side=deaths_by_side,
        samples=samples,
        warnings=weak,
    )


def _ordered_stories(stories: pd.DataFrame) -> pd.DataFrame:
    """Steps in story order (stories in file order), `step` as a plain int."""
    if stories.empty or "step" not in stories:
        return stories
    order = {story: i for i, story in enumerate(dict.fromkeys(stories["story_id"]))}
    out = stories.assign(step=stories["step"].astype(int), _order=stories["story_id"].map(order))
    return out.sort_values(["_order", "step"]).drop(columns="_order").reset_index(drop=True)


def package_with_events(base: Package, user: EventsFile) -> Package:
    """The bundled package with a user's events (and eras) in place of ours."""
    return Package(
        events=locate(user.events, base.places),
        sources=base.sources.iloc[0:0],
        claims=base.claims.iloc[0:0],
        places=base.places,
        displacement=base.displacement.iloc[0:0],
        eras=user.eras,
        problems=user.problems,
        title=user.title,
        origin=user.name,
        publishers=base.publishers,
        audit=base.audit.iloc[0:0],
    )
