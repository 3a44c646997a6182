"""Soak: many visitors upload a large file and leave; abusive uploads; what another visitor feels.

    .venv/bin/python bench/soak.py [--sessions 14] [--rows 30000] [--ttl 10]

Starts `streamlit run app.py` on a free 127.0.0.1 port and speaks Streamlit's own websocket
protocol to it (`streamlit.proto` BackMsg/ForwardMsg over `websockets`, uploads by the same
HTTP PUT the browser uses), so the two cores stay with the server. Phases, each bounded:

1. baseline: a visitor opens the Overview (a fresh session, timed from the first message to
   the end of the script run), repeated; the server's memory (VmRSS) is read.
2. sessions: `--sessions` visitors one after another upload an ~18 MB events file on Your data
   (our format, `bench/generate.py`), wait until it is shown, open the Timeline, and leave;
   the visitor's page time and memory are measured between them.
3. after: once every session has ended and the server's disconnected-session TTL (`--ttl`
   seconds; Streamlit's default is 120) has passed, memory and the visitor's page again.
4. abusive uploads: a file of 100,000 columns, and a 19.9 MB single line of `a,`; while each
   is being read, the visitor's page is timed again and again.

Targets (issue 16): memory back within 50 MB of the start once sessions end; another
visitor's page at most 1 s slower during an abusive upload. Writes bench/out/soak.json and
prints a markdown section for bench/results.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.protocol import Session  # noqa: E402
from tests.serve import start_server, stop_server  # noqa: E402

OUT = ROOT / "bench" / "out"
GREETING = "Showing your file"


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def visitor_page(url: str) -> float:
    """Another visitor's page: a fresh session opening the Overview, to the end of its run."""
    async with Session(url) as s:
        return await s.run("")


async def visitor_times(url: str, n: int) -> list[float]:
    return [await visitor_page(url) for _ in range(n)]


def median_ms(values: list[float]) -> int | None:
    return round(statistics.median(values) * 1000) if values else None


async def uploading_session(url: str, data: bytes, i: int) -> dict:
    async with Session(url) as s:
        await s.run("data")
        shown = await s.upload(f"visitor-{i}.csv", data)
        ok = any(GREETING in t for t in s.texts)
        await s.run("timeline")
        return {"upload_to_shown_s": round(shown, 2), "shown": ok}


async def during(url: str, job) -> tuple[list[float], object]:
    """The visitor's page timed again and again while `job` runs."""
    task = asyncio.create_task(job)
    times = []
    while not task.done():
        times.append(await visitor_page(url))
    return times, await task


async def abusive(url: str, name: str, data: bytes, budget: float) -> dict:
    """One abusive upload, given at most `budget` seconds before it is counted as never
    finishing (the run may still hold a core on the server: the visits go on meanwhile)."""
    async with Session(url) as s:
        await s.run("data")
        t0 = time.perf_counter()
        try:
            await asyncio.wait_for(s.upload(name, data), budget)
        except TimeoutError:
            return {"read_s": None, "message": [f"not finished within {budget:.0f} s"]}
        said = [t for t in s.texts if name.replace(".", "\\.") in t or name in t][:2]
        return {"read_s": round(time.perf_counter() - t0, 2), "message": said}


async def main_async(args) -> dict:
    sys.path.insert(0, str(ROOT / "bench"))
    import generate

    big = generate.ensure(args.rows, OUT / "data" / f"events-{args.rows}.csv").read_bytes()
    wide = (",".join(f"c{i}" for i in range(100_000)) + "\n").encode()
    line = b"a," * int(19.9 * 1024 * 1024 / 2)
    proc, url = start_server(options=["--server.disconnectedSessionTTL", str(args.ttl)])
    pid = proc.pid
    result: dict = {"file_mb": round(len(big) / 1024 / 1024, 1), "sessions": args.sessions}
    try:
        await visitor_times(url, 2)  # warm-up: the bundled data loaded once, caches built
        result["start_mb"] = round(rss_mb(pid))
        result["page_before_ms"] = median_ms(await visitor_times(url, args.samples))
        peaks, per_session = [], []
        for i in range(args.sessions):
            times, info = await during(url, uploading_session(url, big, i))
            info["page_during_ms"] = median_ms(times)
            info["rss_mb"] = round(rss_mb(pid))
            per_session.append(info)
            peaks.append(info["rss_mb"])
            print(json.dumps({"session": i, **info}), flush=True)
        result["sessions_shown"] = sum(s["shown"] for s in per_session)
        result["peak_mb"] = max(peaks)
        result["page_during_sessions_ms"] = median_ms(
            [s["page_during_ms"] / 1000 for s in per_session if s["page_during_ms"]]
        )
        await asyncio.sleep(args.ttl + 15)  # the TTL, then Streamlit's session sweep
        await visitor_times(url, 2)
        result["end_mb"] = round(rss_mb(pid))
        result["page_after_ms"] = median_ms(await visitor_times(url, args.samples))
        for label, name, data in (
            ("columns_100k", "wide.csv", wide),
            ("line_19_9_mb", "line.csv", line),
        ):
            base = median_ms(await visitor_times(url, args.samples))
            times, info = await during(url, abusive(url, name, data, args.abuse_budget))
            info.update(
                page_before_ms=base,
                page_during_ms=median_ms(times),
                page_during_max_ms=round(max(times) * 1000) if times else None,
                samples=len(times),
                rss_mb=round(rss_mb(pid)),
            )
            result[label] = info
            print(json.dumps({label: info}), flush=True)
    finally:
        stop_server(proc)
    return result


def report(r: dict) -> str:
    held = r["end_mb"] - r["start_mb"]
    lines = [
        f"Soak, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} (`bench/soak.py "
        f"--sessions {r['sessions']}`; {r['sessions']} visitors one after another each upload a "
        f"{r['file_mb']} MB events file, see it, open the Timeline and leave; the server's "
        "disconnected-session TTL shortened to let them end within the run):",
        "",
        "| measure | value |",
        "| --- | --- |",
        f"| server memory at start (warm) | {r['start_mb']} MB |",
        f"| peak during the sessions | {r['peak_mb']} MB |",
        f"| after every session ended | {r['end_mb']} MB ({held:+} MB) |",
        f"| sessions that saw their own file | {r['sessions_shown']} of {r['sessions']} |",
        f"| another visitor's Overview before | {r['page_before_ms']} ms |",
        f"| the same during the uploads | {r['page_during_sessions_ms']} ms |",
        f"| the same after | {r['page_after_ms']} ms |",
    ]
    for label, what in (("columns_100k", "100,000 columns"), ("line_19_9_mb", "19.9 MB line")):
        a = r[label]
        read = f"{a['read_s']} s" if a["read_s"] is not None else a["message"][0]
        lines.append(
            f"| upload of {what}: read in | {read}; visitor's Overview "
            f"{a['page_before_ms']} ms before, {a['page_during_ms']} ms during (max "
            f"{a['page_during_max_ms']} ms, {a['samples']} visits) |"
        )
    worst = max(
        (r[k]["page_during_max_ms"] or 0) - (r[k]["page_before_ms"] or 0)
        for k in ("columns_100k", "line_19_9_mb")
    )
    lines += [
        "",
        f"- Memory back within 50 MB of the start after the sessions end: "
        f"**{'met' if held <= 50 else 'not met'}** ({held:+} MB).",
        f"- Another visitor's page at most 1 s slower during an abusive upload: "
        f"**{'met' if worst <= 1000 else 'not met'}** (worst visit {worst:+} ms).",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=14)
    parser.add_argument("--rows", type=int, default=30_000, help="about 18 MB at 30,000")
    parser.add_argument("--ttl", type=int, default=10)
    parser.add_argument("--samples", type=int, default=5)
    parser.add_argument("--abuse-budget", type=float, default=180)
    args = parser.parse_args()
    result = asyncio.run(main_async(args))
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "soak.json").write_text(json.dumps(result, indent=1))
    section = report(result)
    print(section)
    record(section)


def record(section: str) -> None:
    """Put the section in bench/results.md between markers that bench/run.py keeps."""
    results = ROOT / "bench" / "results.md"
    text = results.read_text() if results.exists() else "# Benchmark results\n"
    title = "## Soak: sessions that upload and leave, abusive uploads"
    block = f"<!-- soak -->\n{title}\n\n{section}\n<!-- /soak -->\n"
    if "<!-- soak -->" in text:
        head, rest = text.split("<!-- soak -->", 1)
        text = head + block + rest.split("<!-- /soak -->\n", 1)[-1]
    else:
        text = text.rstrip("\n") + "\n\n" + block
    results.write_text(text)


if __name__ == "__main__":
    main()
