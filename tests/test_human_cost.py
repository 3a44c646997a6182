"""The human cost: each period counted once, what is left out said, on every side."""

from __future__ import annotations

import shutil

import pandas as pd

from timeline import human_cost, load, publish, schema, story_charts

from .conftest import FIXTURE_DATA, csv_bytes
from .test_pages import app, fixture_data  # noqa: F401 (the app runs on the fixture package)


def _events(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(
        rows, columns=["id", "title", "start", "stop", "category", "deaths_low", "deaths_high"]
    )
    frame["start"] = pd.to_datetime(frame["start"])
    frame["stop"] = pd.to_datetime(frame["stop"])
    frame["is_period"] = frame["start"] != frame["stop"]
    frame["displaced_low"] = pd.NA
    frame["displaced_high"] = pd.NA
    return frame


NO_OVERLAPS = pd.DataFrame(columns=["event_id", "measure", "part_of", "note"])


def test_a_war_and_the_incidents_inside_it_are_not_added_together():
    events = _events(
        [
            ("war", "The war", "1990-01-01", "1994-05-12", "military", 20000, 30000),
            ("raid", "A raid", "1992-02-26", "1992-02-26", "violence_against_civilians", 100, 600),
            ("later", "A later clash", "2010-06-18", "2010-06-18", "military", 5, 5),
        ]
    )
    t = human_cost.tally(events, NO_OVERLAPS, None, "deaths")
    assert set(t.counted["id"]) == {"war", "later"}
    assert list(t.left_out["id"]) == ["raid"]
    assert "“The war”" in t.left_out["reason"].iloc[0]
    rows = human_cost.chart_rows(t)
    assert rows["low"].sum() == 20005 and rows["high"].sum() == 30005


def test_two_totals_of_the_same_dates_are_both_counted():
    """The Armenians and the Azerbaijanis displaced in 1988-94: two populations, one span."""
    events = _events(
        [
            ("a", "Armenians displaced", "1988-01-01", "1994-12-31", "displacement", 300, 500),
            ("b", "Azerbaijanis displaced", "1988-01-01", "1994-12-31", "displacement", 700, 900),
            ("c", "A flight inside", "1990-01-01", "1990-02-01", "displacement", 50, 60),
        ]
    )
    t = human_cost.tally(events, NO_OVERLAPS, None, "deaths")
    assert set(t.counted["id"]) == {"a", "b"}
    reason = t.left_out.set_index("id").loc["c", "reason"]
    assert "“Armenians displaced”" in reason and "“Azerbaijanis displaced”" in reason


def test_an_overlap_listed_in_the_data_is_left_out_with_its_note():
    events = _events(
        [
            ("war", "The war", "2020-09-27", "2020-11-10", "military", 5000, 7000),
            (
                "report",
                "A report",
                "2020-12-24",
                "2020-12-24",
                "violence_against_civilians",
                60,
                80,
            ),
        ]
    )
    overlaps = pd.DataFrame(
        [("report", "deaths", "war", "Published after the war; inside its toll.")],
        columns=["event_id", "measure", "part_of", "note"],
    )
    t = human_cost.tally(events, overlaps, None, "deaths")
    assert list(t.counted["id"]) == ["war"]
    assert t.left_out["reason"].iloc[0].startswith("Part of “The war”")


def test_a_figure_the_total_does_not_hold_is_counted_on_its_own_inside_its_dates():
    """Peacekeepers killed during an offensive whose toll is the two parties' own dead."""
    events = _events(
        [
            ("offensive", "The offensive", "2023-09-19", "2023-09-20", "military", 390, 420),
            (
                "civilians",
                "Civilians",
                "2023-09-19",
                "2023-09-20",
                "violence_against_civilians",
                20,
                25,
            ),
            ("keepers", "Peacekeepers killed", "2023-09-20", "2023-09-20", "military", 2, 7),
        ]
    )
    overlaps = pd.DataFrame(
        [("keepers", "deaths", None, "yes", "Neither party's toll holds the peacekeepers.")],
        columns=["event_id", "measure", "part_of", "counted", "note"],
    )
    t = human_cost.tally(events, overlaps, None, "deaths")
    assert set(t.counted["id"]) == {"offensive", "keepers"}
    assert list(t.left_out["id"]) == ["civilians"]
    rows = human_cost.chart_rows(t)
    assert rows["low"].sum() == 392 and rows["high"].sum() == 427
    # without the row, the peacekeepers would vanish inside the offensive's dates
    plain = human_cost.tally(events, NO_OVERLAPS, None, "deaths")
    assert "keepers" in set(plain.left_out["id"])


def test_a_figure_counted_on_its_own_that_names_a_whole_is_refused_with_its_line(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    event_id = pd.read_csv(data / "events.csv", dtype=str)["id"].iloc[0]
    (data / "figures_overlap.csv").write_text(
        "event_id,measure,part_of,counted,note\n"
        f"{event_id},deaths,{event_id},yes,Counted apart and part of a whole at once.\n",
        encoding="utf-8",
    )
    problems = [str(p) for p in load.load_package(data).problems]
    assert any(
        p.startswith("data/figures_overlap.csv:2:") and "counted = yes" in p for p in problems
    ), problems


def test_no_bundled_figure_is_counted_inside_a_counted_total(package):
    for measure in ("deaths", "displaced"):
        t = human_cost.tally(package.events, package.overlaps, package.eras, measure)
        totals = t.counted[t.counted["total"]]
        apart = package.overlaps[
            (package.overlaps["measure"] == measure) & (package.overlaps["counted"] == "yes")
        ]
        for _, row in t.counted[~t.counted["id"].isin(apart["event_id"])].iterrows():
            holders = totals[
                (totals["id"] != row["id"])
                & (totals["start"] <= row["start"])
                & (totals["stop"] >= row["stop"])
                & ~((totals["start"] == row["start"]) & (totals["stop"] == row["stop"]))
            ]
            assert holders.empty, (measure, row["id"], list(holders["id"]))
        assert t.counted["id"].is_unique
        assert not set(t.counted["id"]) & set(t.left_out["id"])


def test_the_bundled_toll_counts_both_sides_displacement(package):
    t = human_cost.tally(package.events, package.overlaps, package.eras, "displaced")
    titles = " ".join(t.counted["title"])
    assert "Azerbaijanis" in titles and "Armenians" in titles


def test_the_saved_chart_says_what_it_does_not_count_and_carries_title_source_licence_link():
    events = _events([("war", "The <b>war</b>", "1990-01-01", "1994-05-12", "military", 2, 3)])
    rows = human_cost.chart_rows(human_cost.tally(events, NO_OVERLAPS, None, "deaths"))
    fig = story_charts.cost_figure(rows, "Deaths", "Not counted: the wounded.")
    meta = publish.Meta(
        name="Human cost: deaths!",
        title="Deaths, 1918 to today",
        subtitle="each period once",
        source="the cited sources",
        link="https://example.org/human-cost?from=1990",
    )
    out = publish.publishable(fig, meta)
    notes = " ".join(a.text for a in out.layout.annotations)
    assert "Not counted: the wounded." in notes
    assert "Source: the cited sources" in notes
    assert "CC BY 4.0" in notes and "MIT" in notes
    assert "https://example.org/human-cost?from=1990" in notes
    assert "Deaths, 1918 to today" in out.layout.title.text
    assert out.layout.title.subtitle.text == "each period once"
    assert list(out.data[1].y) == ["The &lt;b&gt;war&lt;/b&gt;"]
    config = publish.config(meta, svg=True)["toImageButtonOptions"]
    assert config == {"format": "svg", "filename": "human-cost-deaths", "scale": 2}


def test_embed_snippet_and_link_reopen_the_view():
    link = publish.view_link(
        "http://localhost:8501/stories?embed=true", {"story": ["wars"], "step": ["3"]}
    )
    assert link == "http://localhost:8501/stories?story=wars&step=3"
    snippet = publish.iframe(link, 'A "story"')
    assert 'src="http://localhost:8501/stories?story=wars&amp;step=3&amp;embed=true"' in snippet
    assert 'title="A &quot;story&quot;"' in snippet


def test_the_page_renders_both_charts_and_the_share_control():
    at = app(page="human-cost")
    assert [s.value for s in at.subheader][:2] == ["Deaths", "People displaced"]
    assert any("Not counted" in e.label or "not added" in e.label for e in at.expander)


def test_the_dead_by_side_are_shown_beside_the_totals_never_added(fixture_package):
    pkg = fixture_package
    rows = human_cost.by_side(pkg.events, pkg.deaths_by_side, pkg.sources)
    ganja = rows[rows["event_id"] == "2020-10-11-ganja-missile-strike"].iloc[0]
    assert ganja["row"] == "2020: Azerbaijani side, civilians"
    assert ganja["given_by"] == "Azerbaijani Prosecutor General's Office"
    # the split changes no total: the tally reads the events only
    t = human_cost.tally(pkg.events, pkg.overlaps, pkg.eras, "deaths")
    assert not set(t.counted.columns) & {"side", "status"}
    # the March Days: 3,000-12,000 Azerbaijanis plus 2,500 Armenians exceed the event's 12,000
    assert human_cost.over_total(pkg.events, rows) == {"1918-03-baku-march-days": (14500, 12000)}


def test_a_side_counts_its_split_or_its_unsplit_figure_whichever_is_larger():
    events = _events([("war", "The war", "2020-09-27", "2020-11-10", "military", 100, 150)])
    split = pd.DataFrame(
        [
            ("war", "armenian", "military", 60, None, "Ministry A", "2020-12", "s", None),
            ("war", "armenian", "civilian", 10, None, "Ombudsman A", "2021", "s", None),
            ("war", "armenian", "all", 65, None, "Officials A", "2020-11", "s", None),
            ("war", "azerbaijani", "military", 70, 85, "Ministry B", "2020-12", "s", None),
        ],
        columns=[
            "event_id",
            "side",
            "status",
            "value",
            "value_high",
            "given_by",
            "date",
            "source_id",
            "note",
        ],
    )
    sources = pd.DataFrame({"id": ["s"], "publisher": ["Agency"], "url": ["https://a.example"]})
    rows = human_cost.by_side(events, split, sources)
    assert list(rows["row"]) == [
        "2020: Armenian side, military",
        "2020: Armenian side, civilians",
        "2020: Armenian side, all dead (not split)",
        "2020: Azerbaijani side, military",
    ]
    # Armenian side: its split, 60 + 10, is larger than its unsplit 65; Azerbaijani side: 85
    assert human_cost.over_total(events, rows) == {"war": (155, 150)}
    assert (rows["publisher"] == "Agency").all()


def test_the_page_shows_each_sides_dead_with_who_gives_them():
    at = app(page="human-cost")
    assert "The dead by side, military and civilians" in [s.value for s in at.subheader]
    table = next(t.value for t in at.dataframe if "Who died" in t.value.columns)
    ganja = table[table["Who died"] == "2020: Azerbaijani side, civilians"].iloc[0]
    assert ganja["Given by"] == "Azerbaijani Prosecutor General's Office"
    assert ganja["Low"] == 10 and ganja["Date"] == "2020-10-11"
    notes = " ".join(c.value for c in at.caption)
    assert "add up to 14,500, more than the 12,000" in notes


def test_bundled_splits_give_both_sides_of_each_war(package):
    rows = human_cost.by_side(package.events, package.deaths_by_side, package.sources)
    assert len(rows) == len(package.deaths_by_side)  # every row names a known event
    for event_id, sub in rows.groupby("event_id"):
        assert set(sub["side"]) == {"armenian", "azerbaijani"}, event_id
        assert sub["url"].notna().all(), event_id


def test_a_bad_split_row_is_named_by_line_and_column():
    text = "event_id,side,status,value,value_high,given_by,date,source_id,note\n"
    text += "war,armenian,military,10,,Ministry A,2020-12,s,\n"
    text += "nope,russian,wounded,-1,,Mi,soon,t,\n"
    raw = load.read_csv_bytes(csv_bytes(text), "data/deaths_by_side.csv")
    _, problems = load.checked(
        raw.frame.copy(),
        raw.lines,
        schema.deaths_by_side_schema(["war"], ["s"]),
        "data/deaths_by_side.csv",
        ["value", "value_high"],
    )
    found = {str(p).split(":")[2].strip() for p in problems if ":3:" in str(p)}
    assert {"event_id", "side", "status", "given_by", "date", "source_id"} <= found, problems
    assert not [p for p in problems if ":2:" in str(p)]
