"""The dashboard on a phone (390 px wide) and at a century's span, in Debian's Chromium."""

from __future__ import annotations

import os

import pytest

from .serve import CHROMIUM, settle

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip("Chromium is installed by the README's test command", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402

from .test_browser import MARKER_AT, browser, server  # noqa: E402, F401 (fixtures)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1400, "height": 1000}


def _open(chromium, url: str, viewport: dict):
    context = chromium.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(url)
    page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
    settle(page)
    return context, page


def _sidebar_open(page) -> bool:
    return page.locator("#stSidebar").get_attribute("data-collapsed") == "false"


def _turn_on_editorial_only(page) -> None:
    page.get_by_text("Only events backed by a source with editorial responsibility").click()
    settle(page)
    page.wait_for_timeout(500)


def test_on_a_phone_the_sidebar_closes_after_a_change_and_the_filter_shows(browser, server):  # noqa: F811
    context, page = _open(browser, f"{server}/timeline?from=1992-01-01&to=1992-12-31", PHONE)
    try:
        page.get_by_test_id("stExpandSidebarButton").click()
        expect(page.locator("#stSidebar")).to_have_attribute("data-collapsed", "false")
        _turn_on_editorial_only(page)
        expect(page.locator("#stSidebar")).to_have_attribute("data-collapsed", "true")
        # what is on is said above the content, where the reader now is
        main = page.get_by_test_id("stMain")
        active = main.locator("p", has_text="Filtered by").filter(
            has_text="Only events backed by a source with editorial"
        )
        expect(active).to_be_visible()
        assert "editorial=" in page.url
        # and it opens again for the next change
        page.get_by_test_id("stExpandSidebarButton").click()
        expect(page.locator("#stSidebar")).to_have_attribute("data-collapsed", "false")
    finally:
        context.close()


def test_on_a_wide_screen_the_sidebar_stays_open_after_a_change(browser, server):  # noqa: F811
    context, page = _open(browser, f"{server}/timeline?from=1992-01-01&to=1992-12-31", DESKTOP)
    try:
        assert _sidebar_open(page)
        _turn_on_editorial_only(page)
        assert "editorial=" in page.url
        assert _sidebar_open(page)
    finally:
        context.close()


FIRST_CLUSTER = """() => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')].find(g => g.calcdata);
  for (const trace of gd.data)
    for (const row of trace.customdata || [])
      if (String(row[0]).startsWith('dates:')) return row[0];
  return null;
}"""


def test_a_marker_for_many_events_sets_their_dates(browser, server):  # noqa: F811
    """At a century's span a lane's busy stretch is one marker: clicking it narrows the dates
    to that stretch, where each event has a marker of its own."""
    context, page = _open(browser, f"{server}/timeline", DESKTOP)
    try:
        cluster = page.evaluate(FIRST_CLUSTER)
        assert cluster, "no marker stands for several events at the full span"
        lo, hi = cluster.removeprefix("dates:").split("|")
        spot = page.evaluate(MARKER_AT, cluster)
        page.mouse.click(spot["x"], spot["y"])
        # a stretch that starts on the data's first day leaves `from` at its default, unwritten
        narrowed = lambda url: f"to={hi}" in url and (f"from={lo}" in url or "from=" not in url)  # noqa: E731
        page.wait_for_url(narrowed, timeout=60_000)
        page.locator(".js-plotly-plot .scatterlayer path.point").first.wait_for(timeout=60_000)
        settle(page)
        assert page.evaluate(FIRST_CLUSTER) is None
        assert page.get_by_role("dialog").count() == 0
    finally:
        context.close()
