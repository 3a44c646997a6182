"""Every chart on every page saves as a publishable image: the figure the page sends carries
its title, source line, licence and the link of the view (read from the rendered page, as the
browser's image button would export it), at 2x under a sensible file name."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import pytest

from timeline import publish

from .test_pages import app, fixture_data  # noqa: F401 (the app runs on the fixture package)

CHART_PAGES = {
    "overview": 1,
    "timeline": 1,
    "refugees": 6,  # arrivals, per day, who left, where, waves, after (no population estimate)
    "human-cost": 3,
    "map": 1,
    "sources": 1,
}


def saved_charts(at) -> list[tuple[dict, dict]]:
    """(figure, config) of each Plotly chart the page sent, as the image button saves it."""
    return [(json.loads(c.proto.spec), json.loads(c.proto.config)) for c in at.get("plotly_chart")]


def _footer(spec: dict) -> str:
    notes = spec["layout"].get("annotations", [])
    return next(a["text"] for a in notes if a.get("name") == "publish-footer")


@pytest.mark.parametrize("page", list(CHART_PAGES))
def test_every_chart_of_the_page_saves_with_title_source_licence_and_link(page):
    at = app({"names": "az"}, page=page)
    charts = saved_charts(at)
    assert len(charts) == CHART_PAGES[page]
    names = set()
    for spec, config in charts:
        title = spec["layout"]["title"]["text"]
        assert len(title) > 20, title
        footer = _footer(spec)
        assert "Source: " in footer
        assert "CC BY 4.0" in footer and "MIT" in footer
        assert "names=az" in footer  # the link reopens the view the chart was saved from
        button = config["toImageButtonOptions"]
        assert button["scale"] == 2 and button["format"] in ("svg", "png")
        assert button["filename"] == publish.file_name(button["filename"])
        names.add(button["filename"])
    assert len(names) == len(charts)  # two charts of a page never save under one name


def test_the_timeline_chart_keeps_its_click_to_open_and_the_map_its_scroll_zoom():
    at = app(page="timeline")
    chart = at.get("plotly_chart")[0].proto
    assert list(chart.selection_mode)
    at = app(page="map")
    chart = at.get("plotly_chart")[0].proto
    assert list(chart.selection_mode)
    assert json.loads(chart.config)["scrollZoom"] is True


def test_the_map_link_leaves_out_the_open_event_and_tiles_save_as_png(fixture_package):
    event = fixture_package.events["id"].iloc[0]
    at = app({"event": event, "names": "az"}, page="map")
    spec, config = saved_charts(at)[0]
    assert "names=az" in _footer(spec) and "event=" not in _footer(spec)
    assert config["toImageButtonOptions"]["format"] == "svg"
    at.toggle(key="map_tiles").set_value(True).run()
    spec, config = saved_charts(at)[0]
    assert config["toImageButtonOptions"]["format"] == "png"  # Plotly cannot draw tiles as SVG
    assert "OpenStreetMap" in _footer(spec)


def test_a_phone_wide_image_cuts_no_title_or_footer_line():
    fig = go.Figure(go.Scatter(x=[1, 2], y=[3, 4], name="a"), layout={"height": 300})
    fig.add_trace(go.Scatter(x=[1, 2], y=[4, 5], name="b"))
    meta = publish.Meta(
        name="x",
        title="People arrived in Armenia from Nagorno-Karabakh, September–October 2023",
        subtitle="Each point a reported total; the line the highest so far, by the day",
        source="Government of Armenia, UNHCR, Armenpress, Azatutyun and three others",
        link="https://example.org/refugees?from=2023-09-01&to=2023-10-31&names=intl&event=x",
    )
    out = publish.publishable(fig, meta)
    title = out.layout.title.text.removeprefix("<b>").removesuffix("</b>").split("<br>")
    assert len(title) == 2 and all(len(line) <= publish.WRAP["title"] for line in title)
    footer = next(a for a in out.layout.annotations if a.name == "publish-footer")
    lines = footer.text.replace("&amp;", "&").split("<br>")
    assert all(len(line) <= publish.WRAP["footer"] for line in lines), lines
    assert "".join(lines[-2:]) == meta.link  # the address is split, not cut
    # the legend sits under the title block, not above the plot where it covered the title
    assert out.layout.legend.yref == "container" and out.layout.legend.yanchor == "top"
    # the plot keeps its height: the title and footer are added around it
    assert out.layout.height > 300 + 100


def test_source_line_names_the_most_cited_first_and_counts_the_rest():
    assert publish.source_line(["B", "A", "A", None, " "]) == "A and B"
    assert publish.source_line(["A"]) == "A"
    many = ["A"] * 3 + ["B"] * 2 + list("CDEFG")
    assert publish.source_line(many) == "A, B, C, D, E and 2 others"
