"""Is the app usable in a browser with a very large events file passed through `--data`?

    .venv/bin/python bench/big_file.py [--rows 1000000] [--data-dir bench/out/data]

Generates the synthetic table if it is missing (bench/generate.py, fixed seed), starts
`streamlit run app.py -- --data FILE` on a free 127.0.0.1 port and drives one headless
Chromium session through what a user does first: open the Overview (cold: the server loads
and validates the file on this visit), search three times, clear the search, and open the
Timeline, the Map and the Overview again. Each step is timed from the action to the page's
script run having finished with its result on screen (the count line shows the new number,
a chart is drawn); a step fails if the page shows an exception. The server's resident
memory is read from /proc after each step. Prints a Markdown table and writes it to
bench/out/big_file.md.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import generate  # noqa: E402  (bench/generate.py, beside this script)

from tests.serve import CHROMIUM, FLAGS, settle, start_server, stop_server  # noqa: E402

SEARCHES = ("armenian", "ceasefire", "shusha")  # each gives a different count
COUNT = re.compile(r"^[\d,]+ events?( of [\d,]+)?$")


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def count_text(page) -> str:
    """The page's count line ('N events' or 'N events of M'), as one paragraph's text."""
    return page.evaluate(
        "(re) => ([...document.querySelectorAll('p')].find("
        "p => new RegExp(re).test(p.innerText)) || {}).innerText || ''",
        COUNT.pattern,
    )


def no_exception(page) -> None:
    if page.locator("[data-testid='stException']").count():
        raise RuntimeError(page.locator("[data-testid='stException']").first.inner_text()[:300])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--data-dir", default=str(ROOT / "bench" / "out" / "data"))
    args = ap.parse_args()
    path = generate.ensure(args.rows, Path(args.data_dir) / f"events-{args.rows}.csv")
    rows: list[tuple[str, float, str, float | None]] = []
    proc, url = start_server("app.py", ["--data", str(path)], timeout=300)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
            page = browser.new_page(viewport={"width": 1440, "height": 1000})

            def step(name: str, action, ready) -> None:
                t0 = time.perf_counter()
                action()
                ready()
                settle(page, timeout=600_000)
                no_exception(page)
                rows.append((name, time.perf_counter() - t0, count_text(page), rss_mb(proc.pid)))
                print(f"{name}: {rows[-1][1]:.1f} s, {rows[-1][2]}", flush=True)

            def chart() -> None:
                page.locator(".js-plotly-plot .main-svg").first.wait_for(
                    state="visible", timeout=600_000
                )

            def counted(before: str):
                def ready() -> None:
                    page.wait_for_function(
                        "([re, before]) => { const p = [...document.querySelectorAll('p')]"
                        ".find(p => new RegExp(re).test(p.innerText));"
                        " return p && p.innerText !== before; }",
                        arg=[COUNT.pattern, before],
                        timeout=600_000,
                    )

                return ready

            step("open the Overview (cold: loads the file)", lambda: page.goto(url), chart)
            search = page.get_by_label("Search")
            for term in SEARCHES:
                before = count_text(page)
                step(
                    f'search "{term}"',
                    lambda t=term: (search.fill(t), search.press("Enter")),
                    counted(before),
                )
            before = count_text(page)
            step(
                "clear the search",
                lambda: (search.fill(""), search.press("Enter")),
                counted(before),
            )
            for link, title in (("Timeline", "Timeline"), ("Map", "Map"), ("Overview", None)):
                step(
                    f"open the {link}",
                    lambda link=link: page.get_by_role("link", name=link, exact=True).click(),
                    chart,
                )
                if title:
                    expect(page.locator("h1", has_text=title).first).to_be_visible()
            browser.close()
    finally:
        stop_server(proc)
    lines = [
        f"`{path.name}` ({path.stat().st_size / 1e6:,.0f} MB), one Chromium session, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}:",
        "",
        "| step | time, s | count line after | server memory, MB |",
        "| --- | --- | --- | --- |",
    ]
    for name, secs, count, mem in rows:
        lines.append(
            f"| {name} | {secs:.1f} | {count} | {mem:,.0f} |"
            if mem
            else f"| {name} | {secs:.1f} | {count} | – |"
        )
    text = "\n".join(lines) + "\n"
    out = ROOT / "bench" / "out" / "big_file.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
