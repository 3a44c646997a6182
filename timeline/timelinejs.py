"""The TimelineJS spreadsheet template: read a newsroom's sheet, write ours as one.

Reading works a column at a time (dates checked for the whole sheet at once): a 20,000-row
sheet once took 224 s when each row's date was parsed on its own. Writing escapes every text
cell, since TimelineJS renders them as HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from html.parser import HTMLParser

import pandas as pd

from timeline import schema
from timeline.csv_reader import Problem

COLUMNS = [
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
WEB_ADDRESS = r"^https?://[^\s\"'<>]+$"


class _TextOnly(HTMLParser):
    BREAKS = {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in self.BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in self.BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
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


def _per_value(values: pd.Series, convert: Callable[[str], object]) -> pd.Series:
    """`convert` once per distinct non-missing value (a sheet repeats its groups and credits)."""
    known = values.dropna()
    uniques = known.unique()
    mapping = dict(zip(uniques, (convert(str(v)) for v in uniques), strict=True))
    return values.map(mapping)


def _plain(values: pd.Series) -> pd.Series:
    """HTML cells as plain text; missing and empty as ''."""
    return _per_value(values, html_to_text).fillna("").astype("str")


def _unneutralise(values: pd.Series) -> pd.Series:
    """Drop the quote a spreadsheet export puts before a formula lead ('=1 -> =1)."""
    quoted = values.str.match(r"^'[=+\-@]", na=False)
    return values.where(~quoted, values.str.slice(1))


UNITS = (("Year", -9999, 9999), ("Month", 1, 12), ("Day", 1, 31))


def _dates(raw: pd.DataFrame, prefix: str) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(partial ISO date or NA, problem column or NA, problem message or NA) for every row,
    from its Year/Month/Day cells; a unit after a blank one is not read, as TimelineJS does."""
    index = raw.index
    reached = pd.Series(True, index=index)
    parts: list[pd.Series] = []
    err_col = pd.Series(pd.NA, index=index, dtype="object")
    err_msg = pd.Series(pd.NA, index=index, dtype="object")
    for unit, low, high in UNITS:
        col = f"{prefix}{unit}"
        cells = raw[col] if col in raw else pd.Series(pd.NA, index=index, dtype="str")
        reached &= cells.notna()
        number = pd.to_numeric(cells.str.replace(",", "", regex=False), errors="coerce")
        fresh = reached & err_col.isna()
        nan = fresh & number.isna()
        err_col[nan] = col
        err_msg[nan] = "not a number (got " + cells[nan].str.slice(0, 30).map(repr) + ")"
        wrong = fresh & number.notna() & ((number % 1 != 0) | (number < low) | (number > high))
        err_col[wrong] = col
        err_msg[wrong] = (
            f"must be a whole number from {low} to {high} (got " + cells[wrong].map(repr) + ")"
        )
        parts.append(number.where(reached & err_col.isna()))
    year, month, day = parts
    early = err_col.isna() & year.notna() & (year < 1)
    err_col[early] = f"{prefix}Year"
    err_msg[early] = (
        "years before 1 CE are not supported (got " + year[early].astype("Int64").astype(str) + ")"
    )
    ok = err_col.isna() & year.notna()
    text = pd.Series(pd.NA, index=index, dtype="str")

    def pad(values: pd.Series, width: int) -> pd.Series:
        return values[ok].astype("Int64").astype(str).str.zfill(width)

    text[ok] = pad(year, 4)
    has_month = ok & month.notna()
    text[has_month] = text[has_month] + "-" + pad(month, 2)[has_month[ok]]
    has_day = has_month & day.notna()
    text[has_day] = text[has_day] + "-" + pad(day, 2)[has_day[ok]]
    first, _ = schema.parse_partial(text)
    no_day = ok & first.isna()
    err_col[no_day] = f"{prefix}Day"
    err_msg[no_day] = "there is no such day (" + text[no_day] + ")"
    return text.where(~no_day), err_col, err_msg


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "event"


def _unique_ids(bases: list[str]) -> list[str]:
    used: dict[str, int] = {}
    out = []
    for base in bases:
        used[base] = used.get(base, 0) + 1
        out.append(base if used[base] == 1 else f"{base}-{used[base]}")
    return out


def from_timelinejs(
    raw: pd.DataFrame, lines: pd.Series, name: str
) -> tuple[pd.DataFrame, pd.DataFrame, str | None, list[Problem]]:
    """TimelineJS rows -> (events in our columns, era bands, timeline title, problems)."""
    canon = {c.lower(): c for c in COLUMNS}
    raw = raw.rename(columns={c: canon.get(c.strip().lower(), c) for c in raw.columns})
    raw = pd.DataFrame({c: _unneutralise(raw[c]) for c in raw.columns}, index=raw.index)

    def cells(column: str) -> pd.Series:
        return raw[column] if column in raw else pd.Series(pd.NA, index=raw.index, dtype="str")

    kind = cells("Type").fillna("").str.strip().str.lower()
    headline, text = _plain(cells("Headline")), _plain(cells("Text"))
    is_title = kind == "title"
    named = (headline.where(headline != "", text))[is_title]
    named = named[named != ""]
    title = named.iloc[-1] if len(named) else None

    start, start_col, start_msg = _dates(raw, "")
    end, end_col, end_msg = _dates(raw, "End ")
    problems: list[Problem] = []
    for col, msg in ((start_col, start_msg), (end_col, end_msg)):
        wrong = ~is_title & col.notna()
        problems += [
            Problem(name, int(lines[i]), str(col[i]), str(msg[i])) for i in raw.index[wrong]
        ]
    dated = ~is_title & start_col.isna() & end_col.isna()
    undated = dated & start.isna()
    problems += [
        Problem(name, int(lines[i]), "Year", "a dated row needs a Year") for i in raw.index[undated]
    ]
    empty = dated & ~undated & (headline == "") & (text == "")
    problems += [
        Problem(name, int(lines[i]), "Headline", "the row has no Headline and no Text")
        for i in raw.index[empty]
    ]
    usable = dated & ~undated & ~empty
    is_era = usable & (kind == "era")
    is_event = usable & ~is_era

    label = headline.where(headline != "", text.str.slice(0, 60))[is_era]
    eras = pd.DataFrame(
        {
            "id": [_slug(f"{s}-{h}") for s, h in zip(start[is_era], headline[is_era], strict=True)],
            "label": label.tolist(),
            "start_date": start[is_era].tolist(),
            "end_date": end[is_era].fillna(start[is_era]).tolist(),
        },
        dtype="str",
    )

    rows = raw.index[is_event]
    ev_head, ev_text = headline[rows], text[rows]
    bases = [
        _slug(f"{s}-{h or t[:40]}") for s, h, t in zip(start[rows], ev_head, ev_text, strict=True)
    ]
    caption, credit = _plain(cells("Media Caption"))[rows], _plain(cells("Media Credit"))[rows]
    joined = (caption + " — " + credit).where((caption != "") & (credit != ""), caption + credit)
    group = _plain(cells("Group"))[rows]
    display = _plain(cells("Display Date"))[rows]
    media = cells("Media")[rows].str.strip()
    frame = pd.DataFrame(
        {
            "id": _unique_ids(bases),
            "start_date": start[rows].to_numpy(),
            "end_date": end[rows].to_numpy(),
            "date_precision": start[rows].str.count("-").map(lambda n: schema.PRECISIONS[n]),
            "title": ev_head.where(ev_head != "", ev_text.str.slice(0, 90)).to_numpy(),
            "summary": ev_text.where(ev_text != "").to_numpy(),
            "category": group.where(group != "").to_numpy(),
            "media": media.to_numpy(),
            "media_credit": joined.where(joined != "").to_numpy(),
            "display_date": display.where(display != "").to_numpy(),
            "_line": lines[rows].to_numpy(),
        },
    )
    frame = frame.reindex(columns=[*schema.EVENT_COLUMNS, "_line"])
    frame = frame.astype({c: "str" for c in frame.columns if c != "_line"})
    frame["_line"] = frame["_line"].astype("int64")
    return frame, eras, title, problems


def neutralise(value: object) -> object:
    """Prefix a spreadsheet formula lead with a quote so the cell stays text."""
    if isinstance(value, str) and value.startswith(FORMULA_LEAD):
        return "'" + value
    return value


def _escaped(values: pd.Series | None, index: pd.Index) -> pd.Series:
    """Text for a cell TimelineJS renders as HTML: `<`, `>`, `&` and quotes escaped."""
    if values is None:
        return pd.Series(None, index=index, dtype="object")
    return values.astype("object").map(lambda v: html.escape(str(v)), na_action="ignore")


def to_timelinejs(
    events: pd.DataFrame, eras: pd.DataFrame | None = None, title: str | None = None
) -> pd.DataFrame:
    """Our events (and era bands) as rows of the TimelineJS spreadsheet template.

    Every text cell is escaped: a sheet imported with `&lt;img onerror=...&gt;` in a credit
    reads as that text here, and must not reach the next site as markup."""

    def split(dates: pd.Series) -> list[pd.Series]:
        parts = dates.fillna("").astype(str).str.split("-", expand=True).reindex(columns=range(3))
        return [parts[i].replace("", pd.NA).astype("Int64") for i in range(3)]

    def rows(frame: pd.DataFrame, kind: str | None, headline: str) -> pd.DataFrame:
        y, m, d = split(frame["start_date"])
        ey, em, ed = split(frame["end_date"]) if "end_date" in frame else (pd.NA,) * 3
        out = pd.DataFrame(index=frame.index, columns=COLUMNS, dtype="object")
        out["Year"], out["Month"], out["Day"] = y, m, d
        out["End Year"], out["End Month"], out["End Day"] = ey, em, ed
        out["Headline"] = _escaped(frame[headline], frame.index)
        out["Type"] = kind
        return out

    parts = []
    if title:
        head = pd.DataFrame([{c: None for c in COLUMNS}])
        head["Headline"], head["Type"] = html.escape(title), "title"
        parts.append(head)
    if eras is not None and len(eras):
        parts.append(rows(eras, "era", "label"))
    if len(events):
        body = rows(events, None, "title")
        index = events.index
        body["Text"] = _escaped(events.get("summary"), index)
        body["Display Date"] = _escaped(events.get("display_date"), index)
        body["Group"] = _escaped(events.get("category"), index)
        if "media" in events:
            media = events["media"].astype("object")
            web = media.fillna("").astype(str).str.strip().str.match(WEB_ADDRESS, case=False)
            body["Media"] = media.where(web, None)
            body["Media Credit"] = _escaped(events.get("media_credit"), index)
        parts.append(body)
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLUMNS)
    return out.map(neutralise)
