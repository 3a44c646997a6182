"""Every page renders; filters change the count; the URL restores the view (AppTest)."""

from __future__ import annotations

import sys

import pytest
from streamlit.testing.v1 import AppTest

from .conftest import ROOT

PAGES = ["overview", "timeline_page", "refugees", "perspectives", "map_page", "sources_page"]


def app(params: dict | None = None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(f"timeline/pages/{page}.py")
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def count(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("**") and " event" in m.value)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders(page):
    at = app(page=page)
    assert at.title[0].value
    assert count(at).startswith("**386 events**") or "events**" in count(at)


def test_overview_figures_and_september_list():
    at = app()
    labels = [m.label for m in at.metric]
    # losses and displacement of both sides, beside the blockade and the 2023 exodus
    assert labels == [
        "Killed, first war 1988–94",
        "Killed, 2020 war",
        "Lachin corridor blockade",
        "Share who left in 2023",
        "Armenians who left Azerbaijan, 1988–94",
        "Azerbaijanis who left Armenia, 1988–91",
        "Azerbaijanis displaced in and around Nagorno-Karabakh, 1991–94",
        "Armenians who left Nagorno-Karabakh, September 2023",
    ]
    assert at.metric[2].value.endswith(" days")
    expanders = [e.label for e in at.expander]
    assert any("Fuel depot" in label or "fuel depot" in label for label in expanders)


def test_filters_change_the_count_and_the_url():
    at = app(page="timeline_page")
    before = count(at)
    at.multiselect(key="f_categories").set_value(["humanitarian"]).run()
    after = count(at)
    assert after != before and " of " in after
    assert at.query_params["category"] in ("humanitarian", ["humanitarian"])
    at.text_input(key="f_q").set_value("zzzz-no-such-text").run()
    assert count(at).startswith("**0 events**")
    assert any("No events match" in i.value for i in at.info)
    at.button(key="reset_empty").click().run()
    assert count(at) == before


def test_url_restores_the_view():
    at = app(
        {
            "from": "2023-09-19",
            "to": "2023-10-05",
            "names": "az",
            "event": "2023-09-25-fuel-depot-explosion",
        },
        page="timeline_page",
    )
    assert at.date_input(key="f_dates").value == (
        __import__("datetime").date(2023, 9, 19),
        __import__("datetime").date(2023, 10, 5),
    )
    assert at.radio(key="f_names").value == "az"
    text = " ".join(m.value for m in at.markdown)
    assert "Fuel depot explosion" in text or "fuel depot" in text.lower()
    assert "Khankendi" in text
    assert "**Sources**" in text


def test_malformed_params_give_a_notice_not_an_error():
    at = app({"from": "yesterday", "category": "bogus", "colour": "red"})
    notices = " ".join(c.value for c in at.caption)
    assert "yesterday" in notices and "bogus" in notices and "colour" in notices
    assert count(at).startswith("**386 events**") or "events**" in count(at)


def test_bad_data_file_shows_the_validator_messages(tmp_path, monkeypatch):
    bad = tmp_path / "mine.csv"
    bad.write_text("id,start_date,title\nok,1990,Fine\nbad,1990-13,Broken\n", encoding="utf-8")
    monkeypatch.setattr(sys, "argv", ["app.py", "--data", str(bad)])
    at = app(page="timeline_page")
    shown = " ".join(c.value for c in at.code)
    assert f"{bad}:3: start_date: not a date" in shown
    assert count(at).startswith("**1 event**")


def test_missing_data_file_keeps_the_app_running(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["app.py", "--data", str(tmp_path / "nope.csv")])
    at = app()
    assert "cannot read the file" in " ".join(c.value for c in at.code)


def test_perspectives_show_three_sides_of_19_september():
    at = app({"from": "2023-09-19", "to": "2023-09-20"}, page="perspectives")
    text = [m.value for m in at.markdown]
    i = text.index(
        "**Azerbaijan launches military offensive against Armenian\\-held Nagorno\\-Karabakh**"
    )
    sides = {
        t.strip("*") for t in text[i + 1 : i + 12] if t.startswith("*") and not t.startswith("**")
    }
    assert {"Armenian", "Azerbaijani", "International"} <= sides


def test_glossary_lists_each_sides_terms():
    at = app(page="perspectives")
    text = " ".join(m.value for m in at.markdown)
    assert "Glossary" in " ".join(h.value for h in at.header)
    for term in ("Artsakh", "Khankendi", "Patriotic War", "44\\-Day War"):
        assert term in text, term


def test_sources_page_lists_every_seed_with_what_it_supports(package):
    at = app(page="sources_page")
    labels = [e.label for e in at.expander]
    seeds = package.sources[package.sources["id"].str.startswith("seed-")]
    for title in seeds["title"]:
        assert any(label.startswith(title) for label in labels), title
    assert any("Events it supports" in m.value for m in at.markdown)


def test_names_setting_survives_the_link_and_reaches_the_map():
    at = app({"names": "az"}, page="map_page")
    assert at.radio(key="f_names").value == "az"
    assert at.query_params["names"] in ("az", ["az"])
