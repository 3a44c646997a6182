"""Stories: the data checks on stories.csv, the step logic, the page (AppTest) and the
TimelineJS export of a story."""

from __future__ import annotations

import html
import io

import pandas as pd

from timeline import load, schema, stories

from .conftest import csv_bytes
from .test_pages import app, fixture_data  # noqa: F401 (the app runs on the fixture package)

HEADER = "story_id,story_title,step,event_id,caption,start_date,end_date\n"


def _problems(text: str, event_ids=("a-event", "b-event")) -> list[str]:
    raw = load.read_csv_bytes(csv_bytes(text), "data/stories.csv")
    _, problems = load.checked(
        raw.frame.copy(), raw.lines, schema.stories_schema(event_ids), "data/stories.csv", ["step"]
    )
    return [str(p) for p in problems]


def test_a_valid_story_passes():
    text = HEADER + "s,Story,1,a-event,First thing happened here.,,\n"
    text += "s,Story,2,b-event,Then another thing happened.,1990-01,1990-06\n"
    assert _problems(text) == []


def test_unknown_event_gap_in_steps_and_empty_caption_are_named_by_line():
    text = HEADER + "s,Story,1,a-event,First thing happened here.,,\n"
    text += "s,Story,3,nope,Then another thing happened.,,\n"
    text += "t,Other,1,a-event,,,\n"
    found = _problems(text)
    assert any(p.startswith("data/stories.csv:3: event_id") for p in found), found
    assert any("steps must be numbered 1 to n" in p and ":3:" in p for p in found), found
    assert any(p.startswith("data/stories.csv:4: caption") for p in found), found


def test_steps_clamp_and_window_pads_a_day_event(fixture_package):
    first = stories.step(fixture_package, "wars", 0)
    assert first.number == 1 and first.count == 5
    assert stories.step(fixture_package, "wars", 99).number == 5
    assert stories.step(fixture_package, "wars", "x").number == 1
    assert stories.step(fixture_package, "nope", 1) is None
    lo, hi = first.window
    assert lo < "1988-02-20" < hi
    span = stories.step(fixture_package, "wars", 3)
    assert span.window == ("1992-05-01", "1992-06-30")


def test_timelinejs_export_keeps_captions_and_sources(fixture_package):
    sheet = pd.read_csv(io.BytesIO(stories.timelinejs_story_csv(fixture_package, "exodus")))
    assert sheet["Headline"].iloc[0] == "Blockade and exodus, 2022-2023"
    slides = sheet[sheet["Type"] != "title"]
    assert len(slides) == 3
    captions = stories.steps_of(fixture_package, "exodus")["caption"]
    events = fixture_package.events.set_index("id")
    for text, caption, event_id in zip(
        slides["Text"],
        captions,
        stories.steps_of(fixture_package, "exodus")["event_id"],
        strict=True,
    ):
        assert html.unescape(text).startswith(caption)
        for source_id in events.loc[event_id, "source_ids_list"]:
            src = fixture_package.sources.set_index("id").loc[source_id]
            assert str(src["title"]) in html.unescape(text)


def _step_heading(at) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("### "))


def test_a_link_opens_the_step_and_the_buttons_move_it(fixture_package):
    at = app({"story": "wars", "step": "2"}, page="stories")
    captions = stories.steps_of(fixture_package, "wars")["caption"]
    assert captions[1].split()[0] in _step_heading(at)
    assert at.query_params["step"] == ["2"] or at.query_params["step"] == "2"
    assert any("Sumgait" in m.value for m in at.markdown)
    at.button(key="story_next").click().run()
    assert "Lachin" in _step_heading(at)
    assert str(at.query_params["step"]).strip("[]'") == "3"
    at.button(key="story_prev").click().run()
    at.button(key="story_prev").click().run()
    assert at.button(key="story_prev").disabled
    assert str(at.query_params["step"]).strip("[]'") == "1"


def test_each_side_framing_is_shown_on_a_contested_step():
    at = app({"story": "wars", "step": "2"}, page="stories")
    text = [m.value for m in at.markdown]
    assert "**How each side frames it**" in text
    assert {"*Armenian*", "*Azerbaijani*"} <= set(text)


def test_bad_story_or_step_in_the_link_falls_back_without_error():
    at = app({"story": "nope", "step": "-4"}, page="stories")
    assert str(at.query_params["story"]).strip("[]'") == "wars"
    assert str(at.query_params["step"]).strip("[]'") == "1"


def test_bundled_stories_cover_1918_to_today_in_six_to_twelve_steps(package):
    titles = stories.titles(package)
    assert len(titles) >= 5
    events = package.events.set_index("id")
    years = []
    for story_id in titles:
        rows = stories.steps_of(package, story_id)
        assert 6 <= len(rows) <= 12, story_id
        assert rows["caption"].str.len().between(20, 300).all(), story_id
        years += [events.loc[e, "start"].year for e in rows["event_id"]]
    assert min(years) <= 1918 and max(years) >= 2025
