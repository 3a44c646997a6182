"""The dashboard in a real browser: Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import re

import pytest

from .serve import CHROMIUM, FLAGS, settle, start_server, stop_server

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip("Chromium is installed by the README's test command", allow_module_level=True)

from playwright.sync_api import expect, sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def server():
    proc, url = start_server()
    yield url
    stop_server(proc)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    yield page
    context.close()


def test_overview_shows_figures_and_chart(page, server):
    page.goto(server)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nagorno-Karabakh", timeout=60_000)
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Lachin corridor blockade")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^\d[\d,]* events$")).first).to_be_visible()
    # both sides' losses and displacement on the front page
    expect(page.get_by_text("Azerbaijanis who left Armenia, 1988–91")).to_be_visible()
    expect(page.get_by_text("Armenians who left Azerbaijan, 1988–94")).to_be_visible()


def test_click_an_event_on_the_timeline_opens_its_card(page, server):
    page.goto(f"{server}/timeline?from=2023-09-25&to=2023-09-25&q=fuel+depot+explosion")
    expect(page.get_by_text("1 event", exact=True)).to_be_visible(timeout=60_000)
    point = page.locator(".js-plotly-plot .scatterlayer path.point").first
    expect(point).to_be_visible(timeout=60_000)
    point.click(force=True)
    card = page.get_by_role("heading", name="Fuel depot explosion", exact=False)
    expect(card.first).to_be_visible(timeout=60_000)
    expect(page.locator("strong", has_text="Sources").first).to_be_visible()
    expect(page.get_by_text("People arrived in Armenia by the end of that day")).to_be_visible()
    settle(page)
    assert "event=2023-09-25-fuel-depot-explosion" in page.url
    page.get_by_role("button", name="Close the card").click()
    expect(card).to_have_count(0, timeout=60_000)
    settle(page)
    assert "event=" not in page.url


def test_shared_link_reopens_the_view(page, server):
    page.goto(
        f"{server}/timeline?from=2023-09-19&to=2023-10-05&names=az"
        "&event=2023-09-25-fuel-depot-explosion"
    )
    expect(
        page.get_by_role("heading", name="Fuel depot explosion", exact=False).first
    ).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Khankendi").first).to_be_visible()
    settle(page)
    assert "from=2023-09-19" in page.url and "names=az" in page.url


def test_arrivals_on_the_day_of_the_explosion(page, server):
    page.goto(f"{server}/refugees")
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Every reported figure, with who gave it")).to_be_visible()
    # the first table (arrivals per day as text) sits folded under its chart
    expect(page.locator("[data-testid='stDataFrame']:visible").first).to_be_visible()


def test_names_setting_switches_stepanakert_to_khankendi(page, server):
    page.goto(f"{server}/timeline?place=stepanakert")
    grid = page.locator("[data-testid='stDataFrame']").first
    expect(grid).to_contain_text("Stepanakert", timeout=60_000)
    count = page.get_by_text(re.compile(r"^\d+ events of \d+")).first.inner_text()
    page.get_by_text("Azerbaijani usage").click()
    expect(grid).to_contain_text("Khankendi", timeout=60_000)
    expect(grid).not_to_contain_text("Stepanakert")
    settle(page)
    assert "names=az" in page.url
    page.get_by_role("link", name="Map").click()
    expect(page.locator(".js-plotly-plot .annotation-text", has_text="Khankendi")).to_be_visible(
        timeout=60_000
    )
    # case-sensitive: the saved image's footer carries the link, with `place=stepanakert`
    label = re.compile("Stepanakert")
    assert page.locator(".js-plotly-plot .annotation-text", has_text=label).count() == 0
    # the place chosen under its international name is still the filter under the new one
    settle(page)
    assert "place=stepanakert" in page.url
    expect(page.get_by_text(count).first).to_be_visible()


def test_both_sides_claims_on_19_september(page, server):
    page.goto(f"{server}/timeline?event=2023-09-19-azerbaijani-offensive")
    expect(page.get_by_text("How each side frames it")).to_be_visible(timeout=60_000)
    for side in ("Armenian", "Azerbaijani", "International"):
        expect(page.locator("em", has_text=side).first).to_be_visible()


def test_upload_a_timelinejs_sheet_and_go_back(page, server, tmp_path):
    from .test_load import TIMELINEJS

    sheet = tmp_path / "newsroom.csv"
    sheet.write_text(TIMELINEJS, encoding="utf-8")
    page.goto(f"{server}/data")
    total = re.compile(r"^\d[\d,]* events$")
    expect(page.get_by_text(total).first).to_be_visible(timeout=60_000)
    page.locator("input[type='file']").set_input_files(str(sheet))
    expect(page.get_by_text("2 events", exact=True).first).to_be_visible(timeout=60_000)
    page.get_by_role("link", name="Timeline").click()
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Showing your file").first).to_be_visible()
    page.get_by_role("button", name="Back to the bundled data").first.click()
    expect(page.get_by_text(total).first).to_be_visible(timeout=60_000)


def test_overview_day_list_opens_an_event(page, server):
    page.goto(server)
    item = page.get_by_text("Fuel depot explosion", exact=False).first
    expect(item).to_be_visible(timeout=60_000)
    settle(page)
    page.wait_for_function(CHARTS_DRAWN, timeout=120_000)
    item.scroll_into_view_if_needed()
    item.click()
    expect(page.get_by_text("People arrived in Armenia by the end of that day")).to_be_visible(
        timeout=60_000
    )


KHOJALY = "1992-02-26-khojaly-killings"
MARKER_AT = """id => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')].find(g => g.calcdata);
  const box = gd.querySelector('.nsewdrag').getBoundingClientRect();
  const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
  for (let i = 0; i < gd.data.length; i++) {
    const rows = gd.data[i].customdata || [];
    for (let j = 0; j < rows.length; j++) {
      if (rows[j][0] === id) {
        const cd = gd.calcdata[i][j];
        return {x: box.left + xa.c2p(cd.x), y: box.top + ya.c2p(cd.y)};
      }
    }
  }
  return null;
}"""


def test_clicking_the_khojaly_marker_opens_khojaly(page, server):
    """Markers of one lane used to sit on each other: this click opened another event."""
    page.goto(
        f"{server}/timeline?from=1988-01-01&to=1994-12-31&category=violence_against_civilians"
    )
    expect(page.locator(".js-plotly-plot .scatterlayer path.point").first).to_be_visible(
        timeout=60_000
    )
    settle(page)
    spot = page.evaluate(MARKER_AT, KHOJALY)
    page.mouse.click(spot["x"], spot["y"])
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("heading", name="Khojaly", exact=False)).to_be_visible(timeout=60_000)
    settle(page)
    assert f"event={KHOJALY}" in page.url
    assert page.evaluate("() => !!document.activeElement.closest('[role=dialog]')")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0, timeout=60_000)
    settle(page)
    assert "event=" not in page.url


def _tab_to(page, label: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "l => (document.activeElement.getAttribute('aria-label') || '').startsWith(l)", label
        ):
            return
    raise AssertionError(f"{label!r} cannot be reached with Tab")


@pytest.mark.parametrize(
    "path,label",
    [("timeline", "Open an event"), ("map", "Open an event shown on the map")],
)
def test_a_keyboard_walk_opens_a_card(page, server, path, label):
    page.goto(f"{server}/{path}?from=1992-01-01&to=1992-12-31")
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=60_000)
    settle(page)
    page.locator("body").focus()
    _tab_to(page, label)
    page.keyboard.type("Khojaly massacre")
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("heading", name="Khojaly", exact=False)).to_be_visible(timeout=60_000)
    settle(page)
    assert page.evaluate("() => !!document.activeElement.closest('[role=dialog]')")
    assert f"event={KHOJALY}" in page.url


def test_a_zoom_preset_is_a_date_filter_in_the_address(page, server):
    page.goto(f"{server}/timeline")
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=60_000)
    page.get_by_text("1988–94", exact=True).click()
    expect(page.get_by_text(re.compile(r"^\d+ events of \d+")).first).to_be_visible(timeout=60_000)
    settle(page)
    assert "from=1988-01-01" in page.url and "to=1994-12-31" in page.url


def test_clicking_a_title_in_the_table_opens_its_card(page, server):
    page.goto(f"{server}/timeline?from=1992-02-01&to=1992-02-29")
    grid = page.locator("[data-testid='stDataFrame']").first
    expect(grid).to_contain_text("Khojaly", timeout=60_000)
    settle(page)
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    # the first data row's title cell: titles come first, after the row's checkbox
    page.mouse.click(box["x"] + 160, box["y"] + 35 + 17)
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible(timeout=60_000)
    settle(page)
    assert "event=" in page.url


CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
    .every(c => c.querySelector('.main-svg'))"""


def test_no_serious_accessibility_violation_on_any_page(page, server):
    """axe-core on every page; the tab titles per page are checked above."""
    from axe_playwright_python.sync_playwright import Axe

    from timeline.pages import PAGES

    axe = Axe()
    found = {}
    for spec in PAGES:
        page.goto(f"{server}/{spec.url_path}")
        expect(page.get_by_role("heading", level=1).first).to_be_visible(timeout=60_000)
        settle(page)
        page.wait_for_function(CHARTS_DRAWN, timeout=120_000)
        bad = [
            f"{v['id']}: {v['nodes'][0]['target']}"
            for v in axe.run(page).response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        if bad:
            found[spec.url_path] = bad
    assert found == {}


def test_refugees_says_what_a_date_filter_does(page, server):
    page.goto(f"{server}/refugees?from=1988-01-01&to=1994-12-31")
    expect(page.get_by_text("shown whole, not filtered", exact=False)).to_be_visible(timeout=60_000)
    # the note is further down the page, which a loaded machine may draw seconds after the top
    expect(page.get_by_text("began within the date filter", exact=False)).to_be_visible(
        timeout=60_000
    )


def test_azerbaijani_usage_switches_the_card_body_and_never_misnames(page, server):
    page.goto(f"{server}/timeline?names=az&event=2020-09-27-stepanakert-shelling")
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("heading", name="air strikes on Khankendi")).to_be_visible(
        timeout=60_000
    )
    # the summary follows the title (it said "Stepanakert" under a "Khankendi" title)
    summary = dialog.get_by_text("was repeatedly hit by air and ground strikes", exact=False)
    expect(summary).to_be_visible()
    assert summary.inner_text().startswith("Khankendi,")
    assert "Stepanakert" not in summary.inner_text()
    settle(page)
    text = page.locator("[data-testid='stMain']").inner_text() + dialog.inner_text()
    for wrong in ("Irevan", "Gorus", "Gandzak", "Ivanyan"):
        assert wrong not in text
    assert not re.search(r"\b([A-Z][\w-]+) \(\1\)", text)


def test_every_page_opens_at_its_address_with_its_own_tab_title(page, server):
    from timeline.pages import PAGES

    for spec in PAGES:
        page.goto(f"{server}/{spec.url_path}?names=az")
        expect(page.get_by_role("heading", level=1).first).to_be_visible(timeout=60_000)
        settle(page)
        expect(page).to_have_title(spec.tab_title)
        assert page.get_by_text("Page not found").count() == 0, spec.url_path
        assert "names=az" in page.url, spec.url_path


@pytest.mark.parametrize("over_mb", [1, 200])
def test_a_file_over_the_limit_is_refused_before_it_is_sent(page, server, tmp_path, over_mb):
    """Just above our 20 MB, and above the server's own limit: the browser refuses it at once
    with the limit we state (not 'AxiosError 413'), and the page says what to do."""
    from timeline import ui

    big = tmp_path / "big.csv"
    with big.open("wb") as f:  # sparse: no disk or time spent on the size
        f.write(b"id,start_date,title\n")
        f.truncate((ui.UPLOAD_LIMIT_MB + over_mb) * 1024 * 1024 + 1)
    page.goto(f"{server}/data")
    total = re.compile(r"^\d[\d,]* events$")
    expect(page.get_by_text(total).first).to_be_visible(timeout=60_000)
    page.locator("input[type='file']").set_input_files(str(big))
    expect(page.get_by_text(f"File must be {ui.UPLOAD_LIMIT_MB}.0MB or smaller")).to_be_visible()
    expect(page.get_by_text("split it into periods").first).to_be_visible()
    assert "413" not in page.inner_text("body") and "Axios" not in page.inner_text("body")
    expect(page.get_by_text(total).first).to_be_visible()
