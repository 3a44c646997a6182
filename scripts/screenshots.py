"""Screenshot every page at desktop and phone widths:
`python scripts/screenshots.py [--pages=refugees,human-cost] [URL] [QUERY]`.

Without a URL it starts the dashboard on a free loopback port and stops it afterwards.
PNGs go to screenshots/ (ignored by git).
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.serve import CHROMIUM, FLAGS, settle, start_server, stop_server  # noqa: E402
from timeline.pages import DEFAULT, PAGES  # noqa: E402

SIZES = {"desktop": (1440, 1000), "phone": (390, 844)}
CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
    .every(c => c.querySelector('.main-svg'))"""


def main() -> None:
    proc = None
    args = [a for a in sys.argv[1:] if not a.startswith("--pages=")]
    wanted = [a.removeprefix("--pages=").split(",") for a in sys.argv[1:] if a not in args]
    pages = [p for p in PAGES if not wanted or p.url_path in wanted[0]]
    if args:
        base = args[0]
    else:
        proc, base = start_server()
    query = args[1] if len(args) > 1 else ""
    out = Path("screenshots")
    out.mkdir(exist_ok=True)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
            for size, (w, h) in SIZES.items():
                page = browser.new_page(viewport={"width": w, "height": h})
                for spec in pages:
                    name = spec.url_path
                    page.goto(f"{base}/{'' if spec is DEFAULT else name}{query}")
                    page.wait_for_selector("h1", timeout=60_000)
                    settle(page)
                    # every chart drawn (the first visit also fetches Plotly's code)
                    page.wait_for_function(CHARTS_DRAWN, timeout=120_000)
                    page.wait_for_timeout(1000)
                    page.screenshot(path=out / f"{name}-{size}.png", full_page=True)
                    print(out / f"{name}-{size}.png")
            browser.close()
    finally:
        if proc is not None:
            stop_server(proc)


if __name__ == "__main__":
    main()
