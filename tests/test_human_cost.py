"""The human cost: each period counted once, what is left out said, on every side."""

from __future__ import annotations

import pandas as pd

from timeline import human_cost, publish, story_charts

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


def test_no_bundled_figure_is_counted_inside_a_counted_total(package):
    for measure in ("deaths", "displaced"):
        t = human_cost.tally(package.events, package.overlaps, package.eras, measure)
        totals = t.counted[t.counted["total"]]
        for _, row in t.counted.iterrows():
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
