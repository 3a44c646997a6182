"""A story walked end to end in a real browser: link, buttons, arrow keys, URL, card and charts."""

from __future__ import annotations

import os

import pytest

from timeline import load, stories

from .serve import CHROMIUM, settle

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip("Chromium is installed by the README's test command", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402

from .test_browser import browser, page, server  # noqa: E402, F401 (fixtures)

STORY = "war-2020"


def test_walk_a_story_with_buttons_and_arrow_keys(page, server):  # noqa: F811
    steps = stories.steps_of(load.load_package(), STORY)
    captions = list(steps["caption"])
    page.goto(f"{server}/stories?story={STORY}&step=1")
    expect(page.locator("h3").first).to_contain_text(captions[0][:30], timeout=60_000)
    expect(page.locator(".js-plotly-plot")).to_have_count(2, timeout=60_000)
    page.get_by_role("button", name="Next").click()
    expect(page.locator("h3").first).to_contain_text(captions[1][:30], timeout=60_000)
    settle(page)
    assert "step=2" in page.url
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.keyboard.press("ArrowRight")
    expect(page.locator("h3").first).to_contain_text(captions[2][:30], timeout=60_000)
    page.keyboard.press("ArrowLeft")
    expect(page.locator("h3").first).to_contain_text(captions[1][:30], timeout=60_000)
    for n in range(2, len(captions)):
        page.get_by_role("button", name="Next").click()
        expect(page.locator("h3").first).to_contain_text(captions[n][:30], timeout=60_000)
    expect(page.get_by_role("button", name="Next")).to_be_disabled()
    settle(page)
    assert f"step={len(captions)}" in page.url
    last = steps["event_id"].iloc[-1]
    title = load.load_package().events.set_index("id").loc[last, "title"]
    expect(page.get_by_text(title[:25]).first).to_be_visible()


def test_a_link_opens_a_step_with_each_sides_framing(page, server):  # noqa: F811
    page.goto(f"{server}/stories?story=first-war&step=8")
    expect(page.get_by_text("How each side frames it")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Khojaly", exact=False).first).to_be_visible()
