"""Where a page load's time goes in the browser: the app's Overview against the two floors.

    .venv/bin/python bench/browser_profile.py [--repeat 3]

For each page (the app, `floors/text_only.py`, `floors/one_chart.py`,
`floors/chart_and_filters.py`) it starts a server on a
free 127.0.0.1 port, loads the page once to warm the server, then `--repeat` times in a fresh
browser context: Chromium's own counters from the DevTools protocol (`Performance.getMetrics`:
time spent running script, in layout, in style recalculation, in all tasks; JS heap), and the
resources the page fetched (`performance.getEntriesByType('resource')`, by type, with bytes).
Prints a Markdown table (median of the repeats) and writes it to bench/out/browser_profile.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.serve import CHROMIUM, DONE, FLAGS, start_server, stop_server  # noqa: E402

PAGES = {
    "app (Overview)": "app.py",
    "text floor": "bench/floors/text_only.py",
    "chart floor": "bench/floors/one_chart.py",
    "chart + filters floor": "bench/floors/chart_and_filters.py",
}
METRICS = (
    "TaskDuration",
    "ScriptDuration",
    "LayoutDuration",
    "RecalcStyleDuration",
    "JSHeapUsedSize",
)


def measure(browser, url: str) -> dict:
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    t0 = time.perf_counter()
    page.goto(url, wait_until="domcontentloaded", timeout=120_000)
    page.wait_for_selector("h1, [data-testid='stMarkdown'] p", timeout=120_000)
    first_text = time.perf_counter() - t0
    page.wait_for_timeout(300)
    page.wait_for_function(DONE, timeout=120_000)
    page.wait_for_timeout(1000)
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    resources = page.evaluate(
        """() => performance.getEntriesByType('resource').map(r => ({
            type: r.initiatorType, bytes: r.transferSize || r.encodedBodySize || 0,
            name: r.name}))"""
    )
    context.close()
    by_type: dict[str, list[int]] = {}
    for r in resources:
        by_type.setdefault(r["type"], []).append(r["bytes"])
    return {
        "first_text_s": first_text,
        **{m: metrics.get(m, 0.0) for m in METRICS},
        "resources": len(resources),
        "bytes": sum(r["bytes"] for r in resources),
        "script_bytes": sum(by_type.get("script", [])),
        "largest": sorted(resources, key=lambda r: -r["bytes"])[:3],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        for label, script in PAGES.items():
            proc, url = start_server(script)
            try:
                measure(browser, url)  # warm the server: data loaded, caches filled
                runs = [measure(browser, url) for _ in range(args.repeat)]
            finally:
                stop_server(proc)
            rows[label] = runs
        browser.close()

    def med(runs, key):
        return statistics.median(r[key] for r in runs)

    lines = [
        "| page | first text, s | all tasks, s | script, s | layout, s | style, s | JS heap, MB "
        "| resources | bytes, MB | script bytes, MB |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for label, runs in rows.items():
        lines.append(
            f"| {label} | {med(runs, 'first_text_s'):.2f} | {med(runs, 'TaskDuration'):.2f} | "
            f"{med(runs, 'ScriptDuration'):.2f} | {med(runs, 'LayoutDuration'):.2f} | "
            f"{med(runs, 'RecalcStyleDuration'):.2f} | {med(runs, 'JSHeapUsedSize') / 1e6:.1f} | "
            f"{med(runs, 'resources'):.0f} | {med(runs, 'bytes') / 1e6:.2f} | "
            f"{med(runs, 'script_bytes') / 1e6:.2f} |"
        )
    largest = rows["app (Overview)"][0]["largest"]
    lines.append("")
    lines.append(
        "Largest resources of the app's page: "
        + "; ".join(
            f"{Path(r['name'].split('?')[0]).name} {r['bytes'] / 1e6:.2f} MB" for r in largest
        )
    )
    text = "\n".join(lines) + "\n"
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "browser_profile.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
