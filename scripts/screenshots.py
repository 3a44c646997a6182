"""Screenshot every page at desktop and phone widths: `python scripts/screenshots.py [URL]`.

Starts nothing: point it at a running dashboard (default http://localhost:8501).
PNGs go to screenshots/ (ignored by git).
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SIZES = {"desktop": (1440, 1000), "phone": (390, 844)}
PAGES = ["overview", "timeline", "refugees", "perspectives", "map", "sources", "data"]


def settle(page) -> None:
    """Wait until the script run has finished and the charts have drawn."""
    page.wait_for_timeout(1000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && !document.querySelector('[data-testid=\"stSkeleton\"]')",
        timeout=60_000,
    )
    page.wait_for_timeout(1500)


def main() -> None:
    base = sys.argv[1] if len(sys.argv) > 1 else "http://localhost:8501"
    extra = sys.argv[2] if len(sys.argv) > 2 else ""
    out = Path("screenshots")
    out.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for size, (w, h) in SIZES.items():
            page = browser.new_page(viewport={"width": w, "height": h})
            for name in PAGES:
                page.goto(f"{base}/{'' if name == 'overview' else name}{extra}")
                page.wait_for_selector("h1", timeout=30_000)
                settle(page)
                page.screenshot(path=out / f"{name}-{size}.png", full_page=True)
                print(out / f"{name}-{size}.png")
        browser.close()


if __name__ == "__main__":
    main()
