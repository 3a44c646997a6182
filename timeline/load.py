"""Read and validate the data package and users' event files (ours or TimelineJS).

Nothing here raises on bad input: every problem comes back as a `Problem` naming the file, the
line (as in the file, header = line 1) and the column.
"""

from __future__ import annotations

import csv
import functools
import html
import io
import re
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from timeline import schema

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
MAX_FIELD = 100_000
SORT_LIMIT = 100_000  # larger tables stay in file order; views sort what they show
TIMELINEJS_COLUMNS = [
    "Year",
    "Month",
    "Day",
    "Time",
    "End Year",
    "End Month",
    "End Day",
    "End Time",
    "Display Date",
    "Headline",
    "Text",
    "Media",
    "Media Credit",
    "Media Caption",
    "Media Thumbnail",
    "Type",
    "Group",
    "Background",
]
FORMULA_LEAD = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.column}: {self.message}"


@dataclass
class EventsFile:
    """A user's events file after reading: the valid rows and what was wrong with the rest."""

    name: str
    events: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    format: str = "ours"
    title: str | None = None
    eras: pd.DataFrame = field(default_factory=lambda: empty_eras())
    rows_read: int = 0

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
    token: str = field(default_factory=lambda: uuid.uuid4().hex)
    """Names this loaded version of the data, so results computed from it can be reused."""


def with_era_span(eras: pd.DataFrame) -> pd.DataFrame:
    """Eras with their first and last day parsed once, for every chart that shades them."""
    start, stop = schema.era_span(eras)
    return eras.assign(start=start, stop=stop)


def empty_eras() -> pd.DataFrame:
    return pd.DataFrame(
        {c: pd.Series(dtype="str") for c in ("id", "label", "start_date", "end_date")}
    )


# ----------------------------------------------------------------------------- reading CSV


@dataclass
class RawTable:
    frame: pd.DataFrame  # all cells as strings, NA for blank; index = record number
    lines: pd.Series  # record number -> line in the file where the record starts
    problems: list[Problem]


def read_csv_bytes(data: bytes, name: str) -> RawTable:
    """Decode and split a CSV file without trusting anything about it."""
    empty = RawTable(pd.DataFrame(), pd.Series(dtype="int64"), [])
    if not data[:4096].strip() and not data.strip():
        return RawTable(empty.frame, empty.lines, [Problem(name, 1, "-", "the file is empty")])
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            return RawTable(
                empty.frame,
                empty.lines,
                [
                    Problem(
                        name,
                        1,
                        "-",
                        "the file says it is UTF-16 but is not; save it as 'CSV UTF-8'",
                    )
                ],
            )
    if b"\x00" in data[:8192]:
        return RawTable(
            empty.frame,
            empty.lines,
            [Problem(name, 1, "-", "this is not a text file (it looks binary); save it as CSV")],
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    fast = _fast_read(data)
    if fast is not None:
        return fast
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        return RawTable(
            empty.frame,
            empty.lines,
            [
                Problem(
                    name,
                    line,
                    "-",
                    f"the file is not UTF-8 text (byte 0x{data[err.start]:02x}); "
                    "save it again as 'CSV UTF-8'",
                )
            ],
        )
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return RawTable(
            empty.frame, empty.lines, [Problem(name, line, "-", "the file has a NUL character")]
        )

    problems: list[Problem] = []
    rows: list[list[str]] = []
    lines: list[int] = []
    csv.field_size_limit(MAX_FIELD)
    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    last = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            problems.append(Problem(name, last + 1, "-", f"unreadable CSV: {err}"))
            return RawTable(empty.frame, empty.lines, problems)
        start, last = last + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        rows.append(row)
        lines.append(start)
    if rows and _ends_inside_quotes(text):
        # the lenient reader returns the rest of the file as one last cell: say so, drop it
        cells = rows.pop()
        line = lines.pop()
        header_cells = rows[0] if rows else []
        column = header_cells[len(cells) - 1].strip() if len(cells) <= len(header_cells) else "-"
        problems.append(
            Problem(
                name,
                line,
                column or "-",
                'a quote (") opens this cell and is never closed, so the rest of the file '
                'would be one cell; close the quote, or double it ("") if it belongs in the '
                "text",
            )
        )
    if not rows:
        return RawTable(
            empty.frame, empty.lines, problems or [Problem(name, 1, "-", "the file is empty")]
        )

    header, keep, names, twice = _header(rows[0])
    if twice:
        problems += [Problem(name, lines[0], n, "this column name appears twice") for n in twice]
        return RawTable(empty.frame, empty.lines, problems)

    width = len(header)
    records: list[list[str]] = []
    record_lines: list[int] = []
    for row, line in zip(rows[1:], lines[1:], strict=True):
        extra = [c for c in row[width:] if c.strip()]
        if extra:
            problems.append(
                Problem(
                    name,
                    line,
                    "-",
                    f"this row has {len(row)} fields but the header has {width}; "
                    "a comma inside a field needs quotes",
                )
            )
            continue
        row = row[:width] + [""] * (width - len(row))
        records.append([row[i] for i in keep])
        record_lines.append(line)
    frame = _tidy(pd.DataFrame(records, columns=names, dtype="str"))
    return RawTable(frame, pd.Series(record_lines, index=frame.index, dtype="int64"), problems)


def _ends_inside_quotes(text: str) -> bool:
    """True when the file ends inside a quoted cell. Quotes inside a quoted cell come in
    pairs, so this needs an odd number of quote characters; only then is the file read
    again, strictly, to tell it from a stray quote in an unquoted cell (which is kept)."""
    if text.count('"') % 2 == 0:
        return False
    try:
        for _ in csv.reader(io.StringIO(text, newline=""), strict=True):
            pass
    except csv.Error as err:
        return "unexpected end of data" in str(err)
    return False


def _header(cells: list[str]) -> tuple[list[str], list[int], list[str], list[str]]:
    """Header cells stripped; trailing blank and 'Unnamed' columns dropped (spreadsheet exports)."""
    header = [h.strip() for h in cells]
    while header and (not header[-1] or header[-1].startswith("Unnamed")):
        header.pop()
    keep = [i for i, h in enumerate(header) if h and not h.startswith("Unnamed")]
    names = [header[i] for i in keep]
    twice = sorted({n for n in names if names.count(n) > 1})
    return header, keep, names, twice


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Whitespace-only cells are empty; empty cells are missing."""
    out = {}
    for name, col in frame.items():
        col = col.str.strip()
        out[name] = col.where(col != "")
    return pd.DataFrame(out, index=frame.index)


@functools.cache
def _maybe_space_end():
    """Bytes that can end (or start) a cell with whitespace: ASCII spaces and controls, and
    any byte of a non-ASCII character."""
    import pyarrow as pa_

    ends = [bytes([b]) for b in (*range(0x09, 0x0E), *range(0x1C, 0x21), *range(0x80, 0x100))]
    return pa_.array(ends, pa_.binary())


def _tidy_arrow(column):
    """`_tidy` on an Arrow column: the same Unicode trim (pandas' own `str.strip` on Arrow
    strings calls it), without a round trip through pandas."""
    import pyarrow as pa_
    import pyarrow.compute as pc

    # Trimming copies the column, which for long text (hundreds of MB) costs more than first
    # asking whether any cell may need it: its first or last byte is an ASCII space or part of
    # a non-ASCII character (which might be a space).
    trim = True
    if len(column) and column.nbytes > 64 * len(column):
        data = column.cast(pa_.binary())
        edges = pc.or_(
            pc.is_in(pc.binary_slice(data, 0, 1), value_set=_maybe_space_end()),
            pc.is_in(pc.binary_slice(data, -1), value_set=_maybe_space_end()),
        )
        trim = pc.any(edges).as_py()
    trimmed = pc.utf8_trim_whitespace(column) if trim else column
    blank = pc.equal(trimmed, "")
    if not pc.any(blank).as_py():
        return trimmed
    return pc.if_else(blank, pa_.scalar(None, pa_.string()), trimmed)


def _fast_read(data: bytes) -> RawTable | None:
    """Read a large well-formed file with Arrow's CSV reader; None sends it down the careful path.

    Taken only when every record is one physical line (so line = record + 2), the rows have
    the header's width, the bytes are UTF-8 (Arrow checks) and hold no NUL; anything else
    (quoted newlines, ragged rows, blank lines, oversized fields, a bad byte) is read by the
    csv module, which can say where the trouble is.
    """
    if len(data) < 1_000_000 or b"\x00" in data:
        return None
    end = data.find(b"\n")
    try:
        first = data[: end if end >= 0 else len(data)].decode("utf-8").rstrip("\r")
    except UnicodeDecodeError:
        return None
    if '"' in first:
        return None
    cells = first.split(",")
    header, keep, names, twice = _header(cells)
    if twice or not names:
        return None
    physical = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    try:
        import pyarrow as pa_
        import pyarrow.csv as pacsv

        columns = [f"c{i}" for i in range(len(cells))]
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(column_names=columns, skip_rows=1, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(newlines_in_values=False, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa_.string() for c in columns},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except Exception:  # noqa: BLE001 - any trouble: the careful reader will name it
        return None
    if table.num_rows + 1 != physical:
        return None
    # bytes >= characters: a column within the limit in bytes is within it in characters
    longest = [pa_.compute.max(pa_.compute.binary_length(table[c])).as_py() or 0 for c in columns]
    if max(longest, default=0) > MAX_FIELD:
        return None
    table = table.select([columns[i] for i in keep]).rename_columns(names)
    table = pa_.table([_tidy_arrow(table[c]) for c in names], names=names)
    filled = pa_.compute.is_valid(table[names[0]])
    for c in names[1:]:
        filled = pa_.compute.or_(filled, pa_.compute.is_valid(table[c]))
    if not pa_.compute.all(filled).as_py():
        return None  # a row of blank cells: the careful reader skips it and keeps line numbers
    frame = table.to_pandas()
    return RawTable(frame, pd.Series(frame.index + 2, index=frame.index, dtype="int64"), [])


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


def _to_counts(frame: pd.DataFrame, columns: list[str], name: str, lines: pd.Series):
    problems: list[Problem] = []
    for col in columns:
        if col not in frame:
            continue
        raw = frame[col]
        try:
            frame[col] = raw.astype("Int64")  # the common case: whole numbers or empty
            continue
        except (TypeError, ValueError):
            pass
        numbers = pd.to_numeric(raw.str.replace(",", "", regex=False), errors="coerce")
        wrong = raw.notna() & (numbers.isna() | (numbers % 1 != 0))
        for idx in raw.index[wrong]:
            problems.append(
                Problem(name, int(lines[idx]), col, f"not a whole number (got {raw[idx]!r})")
            )
        frame[col] = numbers.where(~wrong).astype("Int64")
    return frame, problems


# ----------------------------------------------------------------------------- TimelineJS


class _TextOnly(HTMLParser):
    BREAKS = {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in self.BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in self.BREAKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_to_text(value: str) -> str:
    """Plain text of an HTML fragment: tags dropped, scripts dropped, entities decoded."""
    parser = _TextOnly()
    parser.feed(value)
    parser.close()
    text = "".join(parser.parts).replace("\xa0", " ")
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    return re.sub(r"\s*\n\s*", "\n", text).strip()


def is_timelinejs(columns: list[str]) -> bool:
    lowered = {c.strip().lower() for c in columns}
    return {"year", "headline"} <= lowered


def _unneutralise(value):
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1] in "=+-@":
        return value[1:]
    return value


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "event"


def _date_parts(row: pd.Series, prefix: str) -> tuple[str | None, str | None]:
    """(partial ISO date, problem column+message) from TimelineJS Year/Month/Day cells."""
    parts = []
    for unit, low, high in (("Year", -9999, 9999), ("Month", 1, 12), ("Day", 1, 31)):
        col = f"{prefix}{unit}"
        value = row.get(col)
        if value is None or pd.isna(value):
            break
        try:
            number = float(str(value).replace(",", ""))
        except ValueError:
            return None, f"{col}|not a number (got {str(value)[:30]!r})"
        if number % 1 or not low <= number <= high:
            return None, f"{col}|must be a whole number from {low} to {high} (got {value!r})"
        parts.append(int(number))
    if not parts:
        return None, None
    if parts[0] < 1:
        return None, f"{prefix}Year|years before 1 CE are not supported (got {parts[0]})"
    text = f"{parts[0]:04d}" + "".join(f"-{p:02d}" for p in parts[1:])
    first, _ = schema.parse_partial(pd.Series([text]))
    if first.isna().iloc[0]:
        return None, f"{prefix}Day|there is no such day ({text})"
    return text, None


def from_timelinejs(
    raw: pd.DataFrame, lines: pd.Series, name: str
) -> tuple[pd.DataFrame, pd.DataFrame, str | None, list[Problem]]:
    """TimelineJS rows -> (events in our columns, era bands, timeline title, problems)."""
    canon = {c.lower(): c for c in TIMELINEJS_COLUMNS}
    raw = raw.rename(columns={c: canon.get(c.strip().lower(), c) for c in raw.columns})
    raw = raw.map(_unneutralise)
    problems: list[Problem] = []
    events: list[dict] = []
    eras: list[dict] = []
    title: str | None = None
    used: dict[str, int] = {}
    for idx, row in raw.iterrows():
        line = int(lines[idx])
        kind = str(row.get("Type") or "").strip().lower()
        headline = html_to_text(str(row.get("Headline") or ""))
        text = html_to_text(str(row.get("Text") or ""))
        if kind == "title":
            title = headline or text or title
            continue
        start, err = _date_parts(row, "")
        end, end_err = _date_parts(row, "End ")
        for error in (err, end_err):
            if error:
                col, msg = error.split("|", 1)
                problems.append(Problem(name, line, col, msg))
        if err or end_err:
            continue
        if start is None:
            problems.append(Problem(name, line, "Year", "a dated row needs a Year"))
            continue
        if not headline and not text:
            problems.append(Problem(name, line, "Headline", "the row has no Headline and no Text"))
            continue
        if kind == "era":
            eras.append(
                {
                    "id": _slug(f"{start}-{headline}"),
                    "label": headline or text[:60],
                    "start_date": start,
                    "end_date": end or start,
                }
            )
            continue
        base = _slug(f"{start}-{headline or text[:40]}")
        used[base] = used.get(base, 0) + 1
        event_id = base if used[base] == 1 else f"{base}-{used[base]}"
        credit = " — ".join(
            html_to_text(str(row.get(c)))
            for c in ("Media Caption", "Media Credit")
            if row.get(c) is not None and not pd.isna(row.get(c))
        )
        events.append(
            {
                "id": event_id,
                "start_date": start,
                "end_date": end,
                "date_precision": schema.PRECISIONS[start.count("-")],
                "title": headline or text[:90],
                "summary": text or None,
                "category": (html_to_text(str(row["Group"])) or None)
                if "Group" in row and not pd.isna(row["Group"])
                else None,
                "media": row.get("Media") if not pd.isna(row.get("Media")) else None,
                "media_credit": credit or None,
                "display_date": row.get("Display Date")
                if not pd.isna(row.get("Display Date"))
                else None,
                "_line": line,
            }
        )
    frame = pd.DataFrame(events, columns=[*schema.EVENT_COLUMNS, "_line"])
    frame = frame.astype({c: "str" for c in frame.columns if c != "_line"}).where(
        frame.notna(), pd.NA
    )
    era_frame = pd.DataFrame(eras, columns=list(empty_eras().columns), dtype="str")
    return frame, era_frame, title, problems


def neutralise(value):
    """Prefix a spreadsheet formula lead with a quote so the cell stays text."""
    if isinstance(value, str) and value.startswith(FORMULA_LEAD):
        return "'" + value
    return value


def to_timelinejs(events: pd.DataFrame, eras: pd.DataFrame | None = None, title: str | None = None):
    """Our events (and era bands) as rows of the TimelineJS spreadsheet template."""

    def split(dates: pd.Series) -> list[pd.Series]:
        parts = dates.fillna("").astype(str).str.split("-", expand=True).reindex(columns=range(3))
        return [parts[i].replace("", pd.NA).astype("Int64") for i in range(3)]

    def rows(frame: pd.DataFrame, kind: str, headline: str, text: pd.Series | None):
        y, m, d = split(frame["start_date"])
        ey, em, ed = split(frame["end_date"]) if "end_date" in frame else (pd.NA,) * 3
        out = pd.DataFrame(index=frame.index, columns=TIMELINEJS_COLUMNS, dtype="object")
        out["Year"], out["Month"], out["Day"] = y, m, d
        out["End Year"], out["End Month"], out["End Day"] = ey, em, ed
        out["Headline"] = frame[headline].map(html.escape, na_action="ignore")
        if text is not None:
            out["Text"] = text.map(html.escape, na_action="ignore")
        out["Type"] = kind
        return out

    parts = []
    if title:
        head = pd.DataFrame([{c: None for c in TIMELINEJS_COLUMNS}])
        head["Headline"], head["Type"] = html.escape(title), "title"
        parts.append(head)
    if eras is not None and len(eras):
        parts.append(rows(eras, "era", "label", None))
    if len(events):
        body = rows(events, "", "title", events.get("summary"))
        body["Type"] = None
        if "display_date" in events:
            body["Display Date"] = events["display_date"]
        if "media" in events:
            web = events["media"].fillna("").astype(str).str.match(r"^https?://", case=False)
            body["Media"] = events["media"].where(web, None)
            body["Media Credit"] = events.get("media_credit")
        body["Group"] = events.get("category")
        parts.append(body)
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=TIMELINEJS_COLUMNS)
    return out.map(neutralise)


# ----------------------------------------------------------------------------- events


def read_events_file(data: bytes, name: str) -> EventsFile:
    """Read a user's events file (ours or TimelineJS) and validate it as an events table."""
    with schema.parse_once():
        return _read_events_file(data, name)


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
    elif {"id", "start_date", "title"} & set(columns):
        fmt = "ours"
        frame, lines = raw.frame.copy(), raw.lines
    else:
        return EventsFile(
            name,
            empty_events(),
            problems
            + [
                Problem(
                    name,
                    1,
                    "-",
                    "the header has neither our columns (id, start_date, title) nor the "
                    "TimelineJS template's (Year, Headline, ...)",
                )
            ],
            rows_read=len(raw.frame),
        )
    frame, count_problems = _to_counts(frame, schema.FIGURE_COLUMNS, name, lines)
    problems += count_problems
    valid, schema_problems = validate_frame(frame, schema.events_schema(), name, lines)
    bad_lines = {p.line for p in count_problems}
    if bad_lines:  # (filtering copies every column, which would also lose parse_once's cache)
        valid = valid[~lines.loc[valid.index].isin(bad_lines)]
    problems = sorted(_dedupe(problems + schema_problems), key=lambda p: (p.line, p.column))
    return EventsFile(
        name,
        enrich_events(valid),
        problems,
        fmt,
        title,
        with_era_span(eras),
        rows_read=len(raw.frame),
    )


def empty_events() -> pd.DataFrame:
    return enrich_events(
        pd.DataFrame({c: pd.Series(dtype="str") for c in ["id", "start_date", "title"]})
    )


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

    def pick(uniques, codes: np.ndarray) -> pd.Series:
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


def _per_distinct(values: pd.Series, *builds) -> list[pd.Series]:
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


def locate(events: pd.DataFrame, places: pd.DataFrame | None) -> pd.DataFrame:
    """`lat`/`lon` of each event: the file's own where given, else its place's in places.csv."""
    out = {}
    for axis in ("lat", "lon"):
        own = events[axis] if axis in events else pd.Series(np.nan, index=events.index)
        own = pd.to_numeric(own, errors="coerce").astype("float64")
        if places is not None and len(places) and axis in places and own.isna().any():
            where = pd.Index(places["place_id"]).get_indexer(events["place_id"].astype("object"))
            coords = pd.to_numeric(places[axis], errors="coerce").to_numpy(dtype="float64")
            found = np.where(where >= 0, coords[where], np.nan)
            own = own.fillna(pd.Series(found, index=events.index))
        out[axis] = own
    return events.assign(**out)


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
            df[col] = pd.Series(
                pd.NA, index=df.index, dtype="Int64" if col in schema.FIGURE_COLUMNS else "str"
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
    df["place_text"] = ""
    if places is not None and len(places):
        names = places.set_index("place_id")
        joined = names["name"] + " " + names["name_hy"] + " " + names["name_az"]
        df["place_text"] = df["place_id"].astype("object").map(joined).fillna("").astype("str")
    if len(df) <= SORT_LIMIT and not df["start"].is_monotonic_increasing:
        df = df.sort_values(["start", "id"], kind="stable").reset_index(drop=True)
    return df


# ----------------------------------------------------------------------------- the package


def _read_table(path: Path, tschema_factory, problems: list[Problem], ints=()) -> pd.DataFrame:
    name = f"data/{path.name}"
    if not path.exists():
        problems.append(Problem(name, 1, "-", "file is missing"))
        return pd.DataFrame()
    raw = read_csv_bytes(path.read_bytes(), name)
    problems += raw.problems
    frame, more = _to_counts(raw.frame, list(ints), name, raw.lines)
    problems += more
    for col in ("lat", "lon"):
        if col in frame:
            frame[col] = pd.to_numeric(frame[col], errors="coerce")
    if tschema_factory is None:
        return frame
    _, found = validate_frame(frame, tschema_factory(), name, raw.lines)
    problems += found
    return frame


def load_package(data_dir: Path = DATA_DIR) -> Package:
    """Read, validate and cross-check the bundled data package."""
    with schema.parse_once():
        return _load_package(data_dir)


def _load_package(data_dir: Path) -> Package:
    problems: list[Problem] = []
    sources = _read_table(data_dir / "sources.csv", schema.sources_schema, problems)
    places = _read_table(data_dir / "places.csv", schema.places_schema, problems)
    source_ids = set(sources.get("id", pd.Series(dtype="str")).dropna())
    place_ids = set(places.get("place_id", pd.Series(dtype="str")).dropna())
    events = _read_table(
        data_dir / "events.csv",
        lambda: schema.events_schema(bundled=True, place_ids=place_ids, source_ids=source_ids),
        problems,
        ints=schema.FIGURE_COLUMNS,
    )
    event_ids = set(events.get("id", pd.Series(dtype="str")).dropna())
    claims = _read_table(
        data_dir / "claims.csv", lambda: schema.claims_schema(event_ids, source_ids), problems
    )
    displacement = _read_table(
        data_dir / "displacement.csv",
        lambda: schema.displacement_schema(source_ids),
        problems,
        ints=("value", "value_high"),
    )
    eras = _read_table(data_dir / "eras.csv", schema.eras_schema, problems)
    glossary = _read_table(
        data_dir / "glossary.csv", lambda: schema.glossary_schema(source_ids), problems
    )
    publishers = _read_table(data_dir / "publishers.csv", schema.publishers_schema, problems)
    ids = {
        "events": event_ids,
        "claims": set(claims.get("id", pd.Series(dtype="str")).dropna()),
        "sources": source_ids,
        "publishers": set(publishers.get("id", pd.Series(dtype="str")).dropna()),
    }
    audit = _read_table(data_dir / "audit.csv", lambda: schema.audit_schema(ids), problems)
    if events.empty:
        events = pd.DataFrame({c: pd.Series(dtype="str") for c in ["id", "start_date", "title"]})
    return Package(
        events=enrich_events(events, sources, places, publishers),
        sources=sources,
        claims=claims,
        places=places,
        displacement=displacement,
        eras=with_era_span(eras if len(eras) else empty_eras()),
        problems=problems,
        glossary=glossary,
        publishers=publishers,
        audit=audit,
    )


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
