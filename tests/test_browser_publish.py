"""The image button of a chart saves the publishable figure: its file name, SVG, and the title,
source line, licence and link inside the file (a real browser's download)."""

from __future__ import annotations

import os

import pytest

from .serve import CHROMIUM, settle

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip("Chromium is installed by the README's test command", allow_module_level=True)

from .test_browser import browser, page, server  # noqa: E402, F401 (fixtures)


def test_the_image_button_saves_the_chart_with_its_title_source_and_link(
    page,  # noqa: F811
    server,  # noqa: F811
    tmp_path,
):
    page.goto(f"{server}/refugees?names=az")
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=120_000)
    settle(page)
    chart = page.locator(".js-plotly-plot").first
    chart.scroll_into_view_if_needed()
    chart.hover()
    with page.expect_download(timeout=60_000) as saved:
        page.locator('.modebar-btn[data-title="Download plot"]').first.click(force=True)
    download = saved.value
    assert download.suggested_filename == "arrivals-armenia-2023.svg"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    svg = path.read_text()
    assert "People arrived in Armenia from Nagorno-" in svg
    assert "Source: " in svg and "CC BY 4.0" in svg
    assert "/refugees?names=az" in svg
