"""Bounded load test on loopback: N simultaneous browser sessions against one dashboard.

    .venv/bin/python bench/load_test.py [--sessions 20] [--rounds 3]

Starts `streamlit run app.py` on a free 127.0.0.1 port, opens N headless Chromium sessions at
once (one browser, one context each), and in every session: loads the Timeline page, changes
the filters `--rounds` times (a search, the place-name setting, back), and, in every fourth
session, uploads a small events file of its own with a distinct number of rows. It checks that
no session shows an exception, that every session sees its own count of events (an uploader
its own file, the others the bundled data), and reports the rerun time: from a change to the
page having finished running with the new count shown. Prints a JSON summary and writes it to
bench/out/load_test.json. Every loop is bounded; the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

from playwright.async_api import async_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.serve import CHROMIUM, DONE, FLAGS, start_server, stop_server  # noqa: E402

BUNDLED_COUNT = None


def own_file(i: int, tmp: Path) -> tuple[Path, int]:
    rows = 3 + i
    path = tmp / f"session-{i}.csv"
    lines = ["id,start_date,title,category"]
    lines += [
        f"s{i}-e{k},20{10 + k % 14}-0{1 + k % 9},Session {i} event {k},political"
        for k in range(rows)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, rows


TIMEOUT = 240_000


async def wait_count(page, text: str, timeout: float = TIMEOUT) -> None:
    await page.get_by_text(text, exact=True).first.wait_for(timeout=timeout)
    await page.wait_for_function(DONE, timeout=timeout)


async def session(browser, url: str, i: int, rounds: int, tmp: Path, bundled: int) -> dict:
    result = {"session": i, "errors": [], "reruns_ms": [], "uploaded": False}
    await asyncio.sleep(0.25 * i)  # arrivals within a few seconds, as a shared link would bring
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT)
    try:
        t0 = time.perf_counter()
        expected = bundled
        if i % 4 == 0:
            path, rows = own_file(i, tmp)
            await page.goto(f"{url}/data", wait_until="domcontentloaded")
            await wait_count(page, f"{bundled} events")
            await page.locator("input[type='file']").set_input_files(str(path))
            expected = rows
            await wait_count(page, f"{rows} events")
            result["uploaded"] = True
            await page.get_by_role("link", name="Timeline").click()
        else:
            await page.goto(f"{url}/timeline", wait_until="domcontentloaded")
        await wait_count(page, f"{expected} events")
        result["first_load_ms"] = round((time.perf_counter() - t0) * 1000)
        search = page.get_by_placeholder("e.g. Khojaly, ICJ, fuel")
        for r in range(rounds):
            word = "event" if result["uploaded"] else ["fuel", "Khojaly", "ICJ"][r % 3]
            t = time.perf_counter()
            await search.fill(word)
            await search.press("Enter")
            await page.wait_for_function(DONE, timeout=TIMEOUT)
            await page.wait_for_timeout(50)
            await page.wait_for_function(DONE, timeout=TIMEOUT)
            result["reruns_ms"].append(round((time.perf_counter() - t) * 1000))
            count_text = await page.locator("strong", has_text=" event").first.inner_text()
            if result["uploaded"] and not count_text.endswith(f"{expected} events"):
                result["errors"].append(f"round {r}: saw '{count_text}' for its own file")
            t = time.perf_counter()
            await search.fill("")
            await search.press("Enter")
            await wait_count(page, f"{expected} events")
            result["reruns_ms"].append(round((time.perf_counter() - t) * 1000))
        if await page.locator("[data-testid='stException']").count():
            result["errors"].append("an exception is shown on the page")
    except Exception as err:  # noqa: BLE001 - every failure is reported, none stops the run
        result["errors"].append(f"{type(err).__name__}: {str(err).splitlines()[0][:200]}")
    finally:
        await context.close()
    return result


async def main_async(sessions: int, rounds: int) -> dict:
    from timeline import load

    bundled = len(load.load_package().events)
    tmp = ROOT / "bench" / "out" / "load"
    tmp.mkdir(parents=True, exist_ok=True)
    proc, url = start_server()
    try:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
            t0 = time.perf_counter()
            results = await asyncio.wait_for(
                asyncio.gather(
                    *(session(browser, url, i, rounds, tmp, bundled) for i in range(sessions))
                ),
                timeout=1500,
            )
            wall = time.perf_counter() - t0
            await browser.close()
    finally:
        stop_server(proc)
    reruns = sorted(ms for r in results for ms in r["reruns_ms"])
    firsts = sorted(r["first_load_ms"] for r in results if "first_load_ms" in r)

    def pct(values, q):
        return values[min(len(values) - 1, int(q * len(values)))] if values else None

    return {
        "sessions": sessions,
        "uploading_sessions": sum(r["uploaded"] for r in results),
        "rounds": rounds,
        "errors": sum(len(r["errors"]) for r in results),
        "error_details": [e for r in results for e in r["errors"]][:20],
        "reruns": len(reruns),
        "rerun_median_ms": statistics.median(reruns) if reruns else None,
        "rerun_p95_ms": pct(reruns, 0.95),
        "first_load_median_ms": statistics.median(firsts) if firsts else None,
        "first_load_p95_ms": pct(firsts, 0.95),
        "wall_s": round(wall, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    summary = asyncio.run(main_async(args.sessions, args.rounds))
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "load_test.json").write_text(json.dumps(summary, indent=1))
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
