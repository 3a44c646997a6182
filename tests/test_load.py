"""Reading users' files: our format, TimelineJS, and every kind of bad input."""

from __future__ import annotations

import re
from unittest import mock

import pandas as pd
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from timeline import csv_reader, load, schema

PROBLEM = re.compile(r'^[^:]+:\d+: (?:"(?:[^"]|"")*"|[^:"]+): .+$')

TIMELINEJS = (
    "\ufeffYear,Month,Day,Time,End Year,End Month,End Day,End Time,Display Date,Headline,Text,"
    "Media,Media Credit,Media Caption,Media Thumbnail,Type,Group,Background,,\n"
    ",,,,,,,,,Our newsroom timeline,<p>Intro</p>,,,,,title,,,,\n"
    "1988,,,,1994,,,,,First war years,,,,,,era,,,,\n"
    "1988,2,,,,,,,,Petition,<p>The <b>regional</b> council voted&nbsp;&amp; asked.</p>"
    ",https://example.org/a.jpg,Photo agency,A caption,,,Politics,#fff,,\n"
    '2023,9,25,10:00,,,,,Evening of 25 Sep,Explosion,"<script>alert(1)</script>Fire, then smoke"'
    ",,,,,,Humanitarian,,,\n"
    "  ,  ,,,,,,,,   ,,,,,,,,,,\n"
)


def read(text: str | bytes, name: str = "f.csv") -> load.EventsFile:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return load.read_events_file(data, name)


def test_minimal_file_of_ours_is_valid_with_partial_dates():
    result = read("id,start_date,title\na,1918,One\nb,1988-02,Two\nc,2023-09-25,Three\n")
    assert result.ok
    assert result.events["date_precision"].tolist() == ["year", "month", "day"]
    assert result.events["date_label"].tolist() == ["1918", "February 1988", "25 September 2023"]


def test_problems_name_file_line_and_column():
    result = read("id,start_date,title\nok,1918,Fine\nok,1918-13,Dup\n,2020,\n", "mine.csv")
    assert [str(p) for p in result.problems] == [
        "mine.csv:3: id: duplicate id 'ok'",
        "mine.csv:3: start_date: not a date (use YYYY, YYYY-MM or YYYY-MM-DD) (got '1918-13')",
        "mine.csv:4: id: this cell must not be empty",
        "mine.csv:4: title: this cell must not be empty",
    ]
    assert result.events["id"].tolist() == ["ok"]


def test_line_numbers_follow_multiline_fields():
    result = read('id,start_date,title,summary\na,1918,One,"two\nlines"\nb,19x8,Two,\n')
    assert [str(p).split(":")[1] for p in result.problems] == ["4"]


def test_timelinejs_sheet_as_newsrooms_export_it():
    result = read(TIMELINEJS, "sheet.csv")
    assert result.format == "timelinejs"
    assert result.ok, result.problems
    assert result.title == "Our newsroom timeline"
    assert result.eras[["label", "start_date", "end_date"]].values.tolist() == [
        ["First war years", "1988", "1994"]
    ]
    events = result.events.set_index("title")
    assert list(events.index) == ["Petition", "Explosion"]
    assert events.loc["Petition", "start_date"] == "1988-02"
    assert events.loc["Petition", "date_precision"] == "month"
    assert events.loc["Petition", "summary"] == "The regional council voted & asked."
    assert events.loc["Petition", "category"] == "Politics"
    assert events.loc["Petition", "media"] == "https://example.org/a.jpg"
    assert events.loc["Petition", "media_credit"] == "A caption — Photo agency"
    assert events.loc["Explosion", "summary"] == "Fire, then smoke"
    assert events.loc["Explosion", "date_label"] == "Evening of 25 Sep"


def test_timelinejs_bad_month_is_reported_on_its_line():
    bad = TIMELINEJS.replace("1988,2,,", "1988,14,,")
    result = read(bad, "sheet.csv")
    assert [str(p) for p in result.problems] == [
        "sheet.csv:4: Month: must be a whole number from 1 to 12 (got '14')"
    ]
    assert result.events["title"].tolist() == ["Explosion"]


def test_empty_file():
    assert [str(p) for p in read(b"", "e.csv").problems] == ["e.csv:1: -: the file is empty"]
    assert [str(p) for p in read(b"\n \n", "e.csv").problems] == ["e.csv:1: -: the file is empty"]


def test_binary_file():
    (problem,) = read(b"\x89PNG\r\n\x1a\n\x00\x00\x00", "img.csv").problems
    assert str(problem).startswith("img.csv:1: -: this is not a text file")


def test_wrong_encoding_names_the_line():
    data = "id,start_date,title\na,1918,One\nb,1919,Caf\u00e9\n".encode("latin-1")
    (problem,) = read(data, "l1.csv").problems
    assert str(problem) == (
        "l1.csv:3: -: the file is not UTF-8 text (byte 0xe9); save it again as 'CSV UTF-8'"
    )


def test_ragged_rows():
    result = read("id,start_date,title\na,1918,One\nb,1919,Two,extra,more\nc,1920\n", "r.csv")
    assert [str(p) for p in result.problems] == [
        "r.csv:3: -: this row has 5 fields but the header has 3; "
        "a comma inside a field needs quotes",
        "r.csv:4: title: this cell must not be empty",
    ]
    assert result.events["id"].tolist() == ["a"]


def test_unknown_header():
    (problem,) = read("name,when\nx,1\n", "u.csv").problems
    assert "neither our columns" in str(problem) and str(problem).startswith("u.csv:1: -:")


def test_missing_required_column():
    result = read("id,title\na,One\n", "m.csv")
    assert "m.csv:1: start_date: required column is missing" in [str(p) for p in result.problems]


def test_round_trip_ours_timelinejs_ours(fixture_package):
    package = fixture_package
    ours = package.events
    sheet = load.to_timelinejs(ours, package.eras, "Title")
    back = read(sheet.to_csv(index=False), "rt.csv")
    assert back.ok, back.problems[:3]
    a = ours.set_index("title").sort_index()
    b = back.events.set_index("title").sort_index()
    assert list(a.index) == list(b.index)
    for col in ("start_date", "end_date", "date_precision", "summary", "category"):
        assert a[col].fillna("").tolist() == b[col].fillna("").tolist(), col
    assert back.eras["label"].tolist() == package.eras["label"].tolist()


def test_exports_neutralise_formulas():
    events = read('id,start_date,title,summary\na,1918,=HYPERLINK("x"),@SUM(1)\n').events
    sheet = load.to_timelinejs(events)
    assert sheet.loc[0, "Headline"].startswith("'=")
    assert sheet.loc[0, "Text"].startswith("'@")
    assert read(sheet.to_csv(index=False)).events.loc[0, "title"] == '=HYPERLINK("x")'


def _all_problems_well_formed(result: load.EventsFile) -> None:
    for problem in result.problems:
        assert PROBLEM.match(str(problem)), str(problem)
        assert problem.line >= 1


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600))
def test_arbitrary_bytes_give_messages_not_exceptions(data):
    _all_problems_well_formed(read(data, "x.csv"))


cell = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
columns = st.lists(
    st.sampled_from(
        [
            "id",
            "start_date",
            "title",
            "end_date",
            "deaths_low",
            "Year",
            "Month",
            "Headline",
            "Text",
            "Type",
            "Day",
            "x",
            "",
        ]
    ),
    min_size=1,
    max_size=7,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(columns, st.lists(st.lists(cell, max_size=9), max_size=8))
@example(header=[""], rows=[[":", ":"]])
def test_random_csv_gives_messages_not_exceptions(header, rows):
    text = pd.DataFrame(rows).to_csv(index=False, header=False) if rows else ""
    result = read(",".join(header) + "\n" + text, "r.csv")
    _all_problems_well_formed(result)
    assert result.events["id"].is_unique


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=1, max_value=3))
def test_huge_fields_are_refused_with_a_message(mult):
    data = "id,start_date,title\na,1918," + "x" * (load.MAX_FIELD * mult + 10) + "\n"
    (problem,) = read(data, "h.csv").problems
    assert str(problem) == "h.csv:2: -: a cell is longer than 100,000 characters (the limit)"


def test_a_repeated_column_name_is_named_readably_even_with_a_colon():
    """A header that repeats a name is refused and the message names it; a name holding a
    colon (or blank) is quoted, so the file:line: column: message form still reads."""
    plain = read("id,title,title\na,b,c\n", "d.csv").problems
    assert [str(p) for p in plain] == ["d.csv:1: title: this column name appears twice"]
    colon = read('id,"Date: start","Date: start"\na,1918,1919\n', "d.csv").problems
    assert [str(p) for p in colon] == ['d.csv:1: "Date: start": this column name appears twice']


def test_utf16_with_bom_is_read():
    data = "id,start_date,title\na,1918,Шуши\n".encode("utf-16")
    result = read(data, "u16.csv")
    assert result.ok and result.events["title"].tolist() == ["Шуши"]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(cell, cell), max_size=6),
    st.sampled_from(
        [
            "utf-8",
            "utf-8-sig",
            "utf-16",
            "utf-16-le",
            "cp1251",
            "latin-1",
            "cp1252",
            "koi8-r",
            "mac-roman",
        ]
    ),
)
def test_odd_encodings_give_messages_not_exceptions(rows, codec):
    text = "id,start_date,title\n" + "".join(f"e{i},1990,{t}{u}\n" for i, (t, u) in enumerate(rows))
    data = text.encode(codec, errors="replace")
    result = read(data, "enc.csv")
    _all_problems_well_formed(result)
    plain = not any(c in t + u for t, u in rows for c in '",\r\n')  # one record per line
    if codec in ("utf-8", "utf-8-sig", "utf-16") and result.ok and plain:
        assert len(result.events) == len([r for r in rows if (r[0] + r[1]).strip()])


def test_a_quote_never_closed_is_named_not_swallowed():
    text = 'id,start_date,title\ne0,1990,Fine\ne1,1991,"Opens\ne2,1992,Lost?\n'
    result = read(text, "q.csv")
    assert [str(p) for p in result.problems] == [
        'q.csv:3: title: a quote (") opens this cell and is never closed, so the rest of the '
        'file would be one cell; close the quote, or double it ("") if it belongs in the text'
    ]
    assert result.events["id"].tolist() == ["e0"]
    # a stray quote inside an unquoted cell is text, and a doubled one inside quotes too
    kept = read('id,start_date,title\ne0,1990,A 5" screen\ne1,1990,"Say ""yes"""\n')
    assert kept.ok and kept.events["title"].tolist() == ['A 5" screen', 'Say "yes"']


def _big(rows: int = 16_000) -> str:
    body = "".join(
        f"e{i},19{18 + i % 80}-0{1 + i % 9},Event {i} in a longer title for size, "
        f"{'military' if i % 2 else 'political'},{i % 7 or ''}\n"
        for i in range(rows)
    )
    return "id,start_date,title,category,deaths_low\n" + body


def test_large_well_formed_file_reads_the_same_on_the_fast_path():
    text = _big()
    assert len(text.encode()) > 1_000_000
    fast = read(text, "big.csv")
    assert fast.ok and len(fast.events) == 16_000
    assert fast.events["deaths_low"].sum() == sum(i % 7 for i in range(16_000))
    small = read("".join(text.splitlines(keepends=True)[:50]), "small.csv")
    cols = ["start_date", "title", "category", "deaths_low", "date_label"]
    expected = small.events.set_index("id")[cols].astype(str)
    got = fast.events.set_index("id").loc[expected.index, cols].astype(str)
    assert got.values.tolist() == expected.values.tolist()


def test_large_file_problems_still_name_their_line():
    lines = _big().splitlines(keepends=True)
    lines[9_000] = "bad,1990-13,Broken,military,x\n"
    lines[10_000] = lines[10_000].rstrip("\n") + ",extra\n"
    data = "".join(lines).encode("utf-8")
    data = data[:-30] + b"\xff" + data[-29:]
    problems = [str(p) for p in read(data, "big.csv").problems]
    assert problems == [
        f"big.csv:{len(lines)}: -: the file is not UTF-8 text (byte 0xff); "
        "save it again as 'CSV UTF-8'"
    ]
    fixed = read("".join(lines), "big.csv")
    found = [str(p) for p in fixed.problems]
    assert "big.csv:9001: deaths_low: not a whole number (got 'x')" in found
    assert any(p.startswith("big.csv:9001: start_date: not a date") for p in found)
    assert any(p.startswith("big.csv:10001: -: this row has 6 fields") for p in found)


def test_periods_are_labelled_with_both_ends():
    result = read(
        "id,start_date,end_date,title,display_date\n"
        "a,1988-02,1994-05,War,\n"
        "b,1991,1991,Same year,\n"
        "c,2023-09-19,2023-09-20,Offensive,\n"
        "d,2020-09-27,2020-11-10,Second war,Autumn 2020\n"
        "e,1501,1736-03,Long before,\n"
        "f,2300-01-02,,Far ahead,\n"
    )
    assert result.ok, result.problems
    assert result.events.set_index("id")["date_label"].to_dict() == {
        "a": "February 1988 – May 1994",
        "b": "1991",
        "c": "19 September 2023 – 20 September 2023",
        "d": "Autumn 2020",
        "e": "1501 – March 1736",
        "f": "2 January 2300",
    }


def _label(text: str) -> str:
    months = load.MONTHS
    parts = text.split("-")
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        return f"{months[int(parts[1])]} {parts[0]}"
    return f"{int(parts[2])} {months[int(parts[1])]} {parts[0]}"


partial_dates = st.one_of(
    st.integers(1900, 2030).map(str),
    st.tuples(st.integers(1900, 2030), st.integers(1, 12)).map(lambda t: f"{t[0]}-{t[1]:02d}"),
    st.dates().filter(lambda d: d.year >= 1000).map(lambda d: d.isoformat()),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(partial_dates, st.none() | partial_dates), min_size=1, max_size=40))
def test_date_labels_built_once_per_distinct_date_match_row_by_row(rows):
    """Labels are built per distinct (start, end) and spread over the rows: each row must
    still read exactly as if it had been labelled on its own."""
    body = "".join(f"e{i},{s},{e or ''},T\n" for i, (s, e) in enumerate(rows))
    result = read("id,start_date,end_date,title\n" + body)
    events = result.events.set_index("id")
    for i, (s, e) in enumerate(rows):
        if f"e{i}" not in events.index:  # end before start: refused, with a message
            assert any(p.line == i + 2 for p in result.problems)
            continue
        period = e is not None and events.loc[f"e{i}", "is_period"]
        expected = _label(s) + (f" – {_label(e)}" if period else "")
        assert events.loc[f"e{i}", "date_label"] == expected


def _padded_file(pads: list[str]) -> bytes:
    """Over 1 MB (the fast path), with a long text column, cells padded with assorted spaces."""
    rows = []
    for i in range(4_000):
        pad = pads[i % len(pads)]
        summary = ("Մեծ " if i % 3 else "Long ") * 60 + ("ծ" if i % 2 else "end.")
        blank = pad if i % 5 == 0 else ""
        rows.append(f"{pad}e{i}{pad},1990,{pad}Title {i}{pad},{pad}{summary}{pad},{blank}\n")
    return ("id,start_date,title,summary,actors\n" + "".join(rows)).encode("utf-8")


@settings(max_examples=8, deadline=None)
@given(
    st.lists(
        st.sampled_from(["", " ", "\t", "\u00a0", "\u3000", "\u2003", " \u00a0 "]),
        min_size=1,
        max_size=4,
    )
)
def test_fast_path_trims_and_blanks_cells_as_the_careful_reader_does(pads):
    data = _padded_file(pads)
    assert len(data) > 1_000_000
    fast = load.read_csv_bytes(data, "big.csv")
    with mock.patch.object(csv_reader, "_fast_read", lambda *_args: None):
        careful = load.read_csv_bytes(data, "big.csv")
    assert not fast.problems and not careful.problems
    pd.testing.assert_frame_equal(fast.frame, careful.frame)
    assert fast.frame["id"].iloc[0] == "e0"
    assert fast.frame["actors"].isna().all()


# ----------------------------------------------------------------------------- parsed once


def test_multi_value_cells_are_parsed_once_into_tuples():
    result = read(
        "id,start_date,title,actors,source_ids\n"
        "a,1918,One,ICRC ;UN,s1; ;s2\n"
        "b,1919,Two,,\n"
        "c,1920,Three, UN ; ICRC;,s2\n"
    )
    events = result.events.set_index("id")
    assert events["actors_list"].to_dict() == {"a": ("ICRC", "UN"), "b": (), "c": ("UN", "ICRC")}
    assert events["source_ids_list"].to_dict() == {"a": ("s1", "s2"), "b": (), "c": ("s2",)}
    assert events["actors"].to_dict()["a"] == "ICRC ;UN"  # the text stays for display


def test_perspectives_and_editorial_backing_come_from_sources_and_publishers(fixture_package):
    events = fixture_package.events.set_index("id")
    vienna = events.loc["2016-05-16-vienna-summit"]
    assert vienna["perspectives_list"] == ("international",)
    assert vienna["perspectives"] == "international"
    # a reprint (Townhall) does not count, the broadcaster (Azatutyun) does
    assert vienna["has_editorial_source"]
    assert not events.loc["1918-03-baku-march-days", "has_editorial_source"]
    assert events.loc["1992-05-18-capture-of-lachin", "perspectives_list"] == (
        "armenian",
        "azerbaijani",
    )


def test_source_without_publisher_is_not_editorial(fixture_package):
    sources = fixture_package.sources.copy()
    sources["publisher_id"] = sources["publisher_id"].where(
        sources["id"] != "azatutyun-2016-vienna"
    )
    events = load.enrich_events(
        fixture_package.events[schema.EVENT_COLUMNS],
        sources,
        fixture_package.places,
        fixture_package.publishers,
    ).set_index("id")
    assert not events.loc["2016-05-16-vienna-summit", "has_editorial_source"]
    assert events.loc["2022-12-12-lachin-corridor-blockade", "has_editorial_source"]


def test_package_carries_publishers_and_audit(fixture_package):
    assert fixture_package.problems == []
    assert {"id", "type", "editorial"} <= set(fixture_package.publishers.columns)
    assert "reuters" in set(fixture_package.publishers["id"])
    assert set(fixture_package.audit["result"]) == {"confirmed", "not_confirmed", "corrected"}


def shown_with(package: load.Package, text: str) -> pd.DataFrame:
    """A user's file as the app shows it over a package (places resolved), by id."""
    return load.package_with_events(package, read(text)).events.set_index("id")


def test_coordinates_from_the_file_or_from_its_place(fixture_package):
    shown = shown_with(
        fixture_package,
        "id,start_date,title,place_id,lat,lon\n"
        "a,1918,Own coordinates,stepanakert,40.5,45.25\n"
        "b,1919,From its place,stepanakert,,\n"
        "c,1920,Nowhere,,,\n",
    )
    stepanakert = fixture_package.places.set_index("place_id").loc["stepanakert"]
    assert (shown.loc["a", "lat"], shown.loc["a", "lon"]) == (40.5, 45.25)
    assert (shown.loc["b", "lat"], shown.loc["b", "lon"]) == (
        stepanakert["lat"],
        stepanakert["lon"],
    )
    assert pd.isna(shown.loc["c", "lat"]) and pd.isna(shown.loc["c", "lon"])
    bundled = fixture_package.events.set_index("id")
    assert bundled.loc["2023-09-25-fuel-depot-explosion", "lat"] == stepanakert["lat"]


# ----------------------------------------------------------------------------- hostile sizes


def test_a_file_of_100000_columns_is_refused_with_our_message():
    header = ",".join(f"c{i}" for i in range(100_000))
    data = f"id,start_date,title,{header}\na,1918,One\n"
    (problem,) = read(data, "wide.csv").problems
    assert str(problem) == (
        "wide.csv:1: -: the header has 100,003 columns; at most 500 can be read"
    )


def test_a_20_mb_single_line_is_refused_with_our_message():
    data = b"a," * 10_000_000
    assert len(data) == 20_000_000
    (problem,) = read(data, "line.csv").problems
    assert str(problem) == (
        "line.csv:1: -: the header has 10,000,001 columns; at most 500 can be read"
    )


def test_a_row_of_millions_of_fields_is_refused_naming_its_line():
    data = b"id,start_date,title\na,1918,One\n" + b"ab," * 2_000_000 + b"\nc,1920,Three\n"
    (problem,) = read(data, "row.csv").problems
    assert str(problem) == (
        "row.csv:3: -: this row has 2,000,001 fields; at most 500 columns can be read"
    )


def test_commas_inside_quotes_do_not_count_as_columns():
    summary = '"' + ", ".join(["a clause"] * 800) + '"'
    result = read(f"id,start_date,title,summary\na,1918,One,{summary}\n")
    assert result.ok, result.problems
    assert result.events.loc[0, "summary"].count(",") == 799


def test_too_many_cells_are_refused_before_reading():
    with mock.patch.object(csv_reader, "MAX_CELLS", 30):
        (problem,) = read("id,start_date,title\n" + "a,1918,One\n" * 10, "many.csv").problems
    assert str(problem).startswith("many.csv:1: -: the file has 11 rows of 3 columns; at most 30")


def test_a_read_over_its_time_budget_stops_with_a_message():
    data = ("id,start_date,title\n" + "".join(f"e{i},1990,T{i}\n" for i in range(3000))).encode()
    raw = csv_reader.read_csv_bytes(data, "slow.csv", budget=0.0)
    (problem,) = raw.problems
    assert problem.file == "slow.csv" and problem.line == 1
    assert "reading stopped after 0 s" in problem.message and "split it" in problem.message
    assert raw.frame.empty


def test_a_20000_row_timelinejs_sheet_imports_every_row():
    rows = "".join(
        f"{1900 + i % 120},{1 + i % 12},{1 + i % 28},Event {i},<p>Text {i}</p>,Group {i % 5}\n"
        for i in range(20_000)
    )
    result = read("Year,Month,Day,Headline,Text,Group\n" + rows, "big-sheet.csv")
    assert result.format == "timelinejs" and result.ok, result.problems[:3]
    assert len(result.events) == 20_000
    assert result.events["id"].is_unique
    assert set(result.events["category"]) == {f"Group {g}" for g in range(5)}


# ----------------------------------------------------------------------------- separators, places


def test_a_semicolon_file_as_excel_writes_it_in_europe():
    # Excel's "CSV UTF-8" in a comma-decimal locale: a BOM, `;` between cells, CRLF line ends,
    # commas inside text left unquoted, coordinates with a decimal comma
    text = (
        "id;start_date;title;summary;lat;lon\r\n"
        "a;1988-02-20;Petition;Council votes, then asks Moscow;39,8153;46,7519\r\n"
        'b;1991;Referendum;"Quoted; with a semicolon";;\r\n'
    )
    result = read(text.encode("utf-8-sig"), "europe.csv")
    assert result.ok, result.problems
    events = result.events.set_index("id")
    assert events.loc["a", "summary"] == "Council votes, then asks Moscow"
    assert events.loc["b", "summary"] == "Quoted; with a semicolon"
    assert (events.loc["a", "lat"], events.loc["a", "lon"]) == (39.8153, 46.7519)


def test_a_semicolon_file_from_windows_excel_in_its_own_code_page_is_named():
    data = "id;start_date;title\r\na;1918;Caf\u00e9\r\n".encode("cp1252")
    (problem,) = read(data, "ansi.csv").problems
    assert str(problem).startswith("ansi.csv:2: -: the file is not UTF-8 text")


def test_a_tab_separated_file_is_read():
    result = read("id\tstart_date\ttitle\na\t1918\tOne, two\n", "tabs.tsv")
    assert result.ok and result.events["title"].tolist() == ["One, two"]


def test_a_row_with_extra_semicolons_is_named_with_the_right_separator():
    (problem,) = read("id;start_date;title\na;1918;One;two;three\n", "s.csv").problems
    assert str(problem) == (
        "s.csv:2: -: this row has 5 fields but the header has 3; "
        "a semicolon inside a field needs quotes"
    )


def test_coordinates_out_of_range_or_not_numbers_are_named():
    result = read(
        "id,start_date,title,lat,lon\n"
        "a,1918,Fine,39.8,46.7\n"
        "b,1919,North of the pole,95,46.7\n"
        "c,1920,Word,near,46.7\n"
        "d,1921,Half,39.8,\n",
        "coords.csv",
    )
    assert [str(p) for p in result.problems] == [
        "coords.csv:3: lat: lat must be a number from -90 to 90 (got '95.0')",
        "coords.csv:4: lat: not a number (got 'near')",
        "coords.csv:5: lon: give both lat and lon, or neither",
    ]
    assert result.events["id"].tolist() == ["a"]


def test_a_place_written_by_any_of_its_names_is_found(fixture_package):
    shown = shown_with(
        fixture_package,
        "id,start_date,title,place_id\n"
        "a,2023-09-19,One,Khankendi\n"
        "b,2023-09-20,Two, stepanakert \n"
        "c,2023-09-21,Three,Atlantis\n",
    )
    assert shown.loc["a", "place_id"] == "stepanakert"
    assert shown.loc["b", "place_id"] == "stepanakert"
    assert shown.loc["c", "place_id"] == "Atlantis" and pd.isna(shown.loc["c", "lat"])
    assert "Khankendi" in shown.loc["a", "place_text"]


# ----------------------------------------------------------------------------- edges


def test_a_figure_too_large_is_a_message_not_a_crash():
    result = read(
        "id,start_date,title,deaths_low\na,1918,One,100000000000000000000\nb,1919,Two,3\n"
    )
    assert [str(p) for p in result.problems] == [
        "f.csv:2: deaths_low: too large a number (got '100000000000000000000'); "
        "at most 1,000,000,000,000,000"
    ]
    assert result.events["id"].tolist() == ["b"]


def test_header_only_and_blank_row_files_say_there_are_no_events():
    for text in ("id,start_date,title\n", "id,start_date,title\n,,\n  ,  ,\n"):
        assert [str(p) for p in read(text, "none.csv").problems] == [
            "none.csv:2: -: the file has a header but no rows of events"
        ]


def test_utf16_without_bom_is_read():
    for codec in ("utf-16-le", "utf-16-be"):
        result = read("id,start_date,title\na,1918,Шуши\n".encode(codec), "u16.csv")
        assert result.ok, (codec, result.problems)
        assert result.events["title"].tolist() == ["Шуши"]


def test_a_file_on_disk_is_named_by_its_name(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("id,start_date,title\na,1918-13,One\n", encoding="utf-8")
    (problem,) = load.read_events_path(path).problems
    assert str(problem).startswith("mine.csv:2: start_date:")
    (folder,) = load.read_events_path(tmp_path).problems
    assert str(folder) == (
        f"{tmp_path.name}:1: -: this is a folder, not a file; give the path of a CSV file"
    )
    (missing,) = load.read_events_path(tmp_path / "nope.csv").problems
    assert str(missing) == "nope.csv:1: -: cannot read the file (No such file or directory)"


# ----------------------------------------------------------------------------- TimelineJS export


def test_timelinejs_export_escapes_every_text_cell():
    sheet = (
        "Year,Display Date,Headline,Text,Media,Media Credit,Media Caption,Group\n"
        "2023,&lt;img src=x onerror=alert(1)&gt;,&lt;b&gt;Head&lt;/b&gt;,"
        "&lt;script&gt;x&lt;/script&gt;,https://example.org/a.jpg,"
        "&lt;img src=x onerror=alert(2)&gt;,Cap,&lt;i onmouseover=alert(3)&gt;G\n"
    )
    imported = read(sheet, "in.csv")
    assert imported.ok, imported.problems
    event = imported.events.iloc[0]
    assert event["display_date"] == "<img src=x onerror=alert(1)>"  # read as the text it shows
    out = load.to_timelinejs(imported.events)
    for column in ("Display Date", "Headline", "Text", "Media Credit", "Group"):
        cell = str(out.loc[0, column])
        assert "<" not in cell and ">" not in cell, (column, cell)
    assert out.loc[0, "Media Credit"] == "Cap — &lt;img src=x onerror=alert(2)&gt;"
    again = read(out.to_csv(index=False), "again.csv").events.iloc[0]
    for column in ("display_date", "title", "summary", "media_credit", "category"):
        assert again[column] == event[column], column


def test_timelinejs_export_keeps_only_web_addresses_as_media():
    events = read(
        'id,start_date,title,media\na,1918,One,"https://example.org/x.jpg"\n'
        'b,1919,Two,javascript:alert(1)\nc,1920,Three,"https://example.org/a"" onerror=""x"\n'
    ).events
    media = load.to_timelinejs(events).set_index("Headline")["Media"]
    assert media["One"] == "https://example.org/x.jpg"
    assert pd.isna(media["Two"]) and pd.isna(media["Three"])


def test_a_large_semicolon_file_takes_the_fast_path_and_reads_the_same():
    data = _big().replace(",", ";").encode("utf-8")
    assert len(data) > 1_000_000
    fast = csv_reader._fast_read(data, ";")
    assert fast is not None and fast.delimiter == ";"
    with mock.patch.object(csv_reader, "_fast_read", lambda *_args: None):
        careful = csv_reader.read_csv_bytes(data, "big.csv")
    assert careful.delimiter == ";" and not careful.problems
    pd.testing.assert_frame_equal(fast.frame, careful.frame)
    result = read(data, "big.csv")
    assert result.ok and len(result.events) == 16_000
