"""Where markers stop being readable: the measurement behind `charts.DETAIL_THRESHOLD`.

    .venv/bin/python bench/threshold.py [--sizes 500,1000,1500,2000,3000,4000,6000,10000]

For each size N it draws N events sampled (fixed seed) from the synthetic 100k table, as the
Timeline page would draw them if there were no level of detail (`timeline_figure` with the
threshold lifted), and measures:

- **hidden markers**: at the whole table's date range on the Timeline's plot width (the
  1440 px desktop layout leaves about 1,100 px to the plot), the share of markers whose
  centre lies within half a marker (5.5 px) of another marker's centre in the same lane:
  such a marker is mostly covered and cannot be told apart or hovered on its own;
- **figure JSON**: the bytes Streamlit sends for the figure;
- **draw time**: `Plotly.newPlot` of that figure in headless Chromium (Plotly.js from the
  plotly package's own bundle, loaded once from a local file), median of 3 draws, and the
  time to answer a hover (`Plotly.Fx.hover` on the middle point) after it.

Prints a Markdown table and writes it to bench/out/threshold.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import generate  # noqa: E402  (bench/generate.py, beside this script)

from tests.serve import CHROMIUM, FLAGS  # noqa: E402
from timeline import charts, load  # noqa: E402

PLOT_WIDTH_PX = 1100
MARKER_PX = 11  # the Timeline's marker size


def hidden_share(events, width_px: float = PLOT_WIDTH_PX) -> float:
    """Share of markers with another marker's centre within half a marker in their lane."""
    start = events["start"].astype("int64").to_numpy()
    lo, hi = start.min(), start.max()
    px = (start - lo) / max(hi - lo, 1) * width_px
    hidden = 0
    for cat in events["category"].astype(str).unique():
        xs = np.sort(px[(events["category"].astype(str) == cat).to_numpy()])
        if len(xs) < 2:
            continue
        gaps = np.diff(xs)
        near = np.zeros(len(xs), dtype=bool)
        near[1:] |= gaps < MARKER_PX / 2
        near[:-1] |= gaps < MARKER_PX / 2
        hidden += int(near.sum())
    return hidden / len(events)


PAGE = """<!doctype html><html><head><meta charset="utf-8"></head><body>
<div id="g" style="width:%dpx"></div><script src="plotly.min.js"></script></body></html>"""

DRAW = """async (fig) => {
  const g = document.getElementById('g');
  const times = [];
  for (let i = 0; i < 3; i++) {
    Plotly.purge(g);
    const t = performance.now();
    await Plotly.newPlot(g, fig.data, fig.layout, {displaylogo: false});
    times.push(performance.now() - t);
  }
  const trace = fig.data.findIndex(t => t.mode === 'markers');
  const n = fig.data[trace].x.length;
  const t = performance.now();
  Plotly.Fx.hover(g, [{curveNumber: trace, pointNumber: Math.floor(n / 2)}]);
  await new Promise(r => requestAnimationFrame(() => r()));
  const hover = performance.now() - t;
  times.sort((a, b) => a - b);
  return {draw: times[1], hover};
}"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="500,1000,1500,2000,3000,4000,6000,10000")
    ap.add_argument("--source", default=str(ROOT / "bench" / "out" / "data" / "events-100000.csv"))
    args = ap.parse_args()
    source = generate.ensure(100_000, Path(args.source))
    events = load.read_events_file(source.read_bytes(), source.name).events
    out_dir = ROOT / "bench" / "out" / "threshold"
    out_dir.mkdir(parents=True, exist_ok=True)
    import plotly.offline

    (out_dir / "plotly.min.js").write_text(plotly.offline.get_plotlyjs(), encoding="utf-8")
    (out_dir / "page.html").write_text(PAGE % (PLOT_WIDTH_PX + 16), encoding="utf-8")

    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        page.goto((out_dir / "page.html").as_uri())
        page.wait_for_function("() => window.Plotly !== undefined")
        bundled = load.load_package().events
        for n in [None, *(int(s) for s in args.sizes.split(","))]:
            pick = n is not None
            sample = events.sample(n=min(n, len(events)), random_state=7) if pick else bundled
            fig = charts.timeline_figure(sample, None, detail_threshold=10**9)
            text = fig.to_json()
            t0 = time.perf_counter()
            measured = page.evaluate(DRAW, json.loads(text))
            wall = time.perf_counter() - t0
            rows.append(
                {
                    "n": f"{len(sample):,} (bundled)" if n is None else f"{n:,}",
                    "hidden": hidden_share(sample),
                    "json": len(text.encode()),
                    "draw": measured["draw"],
                    "hover": measured["hover"],
                    "wall": wall,
                    "gl": any(t.type == "scattergl" for t in fig.data),
                }
            )
            print(rows[-1], flush=True)
        browser.close()
    lines = [
        "Timeline markers without level of detail, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} (the bundled events, then samples "
        f"of `{source.name}`; plot {PLOT_WIDTH_PX} px wide, markers {MARKER_PX} px):",
        "",
        "| events | markers mostly hidden | figure JSON | draw, ms | hover, ms | renderer |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        lines.append(
            f"| {r['n']} | {r['hidden']:.0%} | {r['json'] / 1024:,.0f} KB | "
            f"{r['draw']:,.0f} | {r['hover']:,.0f} | {'WebGL' if r['gl'] else 'SVG'} |"
        )
    text = "\n".join(lines) + "\n"
    (ROOT / "bench" / "out" / "threshold.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
