"""Server capacity, measured with Streamlit's own websocket protocol instead of browsers.

    .venv/bin/python bench/capacity.py [--crowds 10,30,100,300] [--visitors 30]

Each simulated visitor opens `/_stcore/stream`, asks for a script run with a `BackMsg`
(`rerun_script`) as the browser does, and reads `ForwardMsg`s until `script_finished`. No
browser runs, so the server keeps both cores. Everything runs on loopback, every loop is
bounded, and every server started is stopped.

What it measures (results in bench/results.md, section "Capacity", and bench/out/capacity.json):
- server CPU per new visitor (user + system time of the server process over a crowd of
  `--visitors` new sessions, divided by their number), for the app and for the one-chart floor
  (`bench/floors/one_chart.py`) in the same run;
- server CPU per rerun after a filter change (the Categories multiselect set, as a click does)
  and per page change (Overview to Timeline);
- waits (median, p95, lost) for crowds of 10, 30, 100 and 300 visitors arriving at once, on one
  replica and on two replicas behind nginx (deploy/replicas.py), and the throughput of each;
- memory per idle session (server RSS with 50 open, idle sessions, over its RSS before).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deploy import replicas  # noqa: E402
from tests.serve import start_server, stop_server  # noqa: E402

OUT = ROOT / "bench" / "out"
TICK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def rss_mb(pid: int) -> float:
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE / 2**20


@dataclass
class Visit:
    ok: bool = False
    wait: float = float("nan")
    messages: int = 0
    bytes: int = 0
    pages: dict[str, str] = field(default_factory=dict)
    widgets: dict[str, str] = field(default_factory=dict)
    error: str = ""


def _collect(msg: ForwardMsg, visit: Visit) -> None:
    kind = msg.WhichOneof("type")
    if kind == "new_session":
        for page in msg.new_session.app_pages:
            visit.pages[page.url_pathname or page.page_name] = page.page_script_hash
    elif kind == "navigation":
        for page in msg.navigation.app_pages:
            visit.pages[page.url_pathname or page.page_name] = page.page_script_hash
    elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
        element = msg.delta.new_element
        widget = getattr(element, element.WhichOneof("type") or "", None)
        label = getattr(widget, "label", None)
        wid = getattr(widget, "id", None)
        if label and wid:
            visit.widgets[label] = wid


def _rerun(query: str = "", page_hash: str = "", widgets: BackMsg | None = None) -> bytes:
    back = BackMsg()
    back.rerun_script.query_string = query
    back.rerun_script.page_script_hash = page_hash
    if widgets is not None:
        back.rerun_script.widget_states.CopyFrom(widgets.rerun_script.widget_states)
    return back.SerializeToString()


async def _until_finished(ws, visit: Visit, deadline: float) -> bool:
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            visit.error = "timeout"
            return False
        raw = await asyncio.wait_for(ws.recv(), timeout=left)
        visit.messages += 1
        visit.bytes += len(raw)
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        _collect(msg, visit)
        if msg.WhichOneof("type") == "script_finished":
            return True


def _ws_url(http: str) -> str:
    return http.replace("http://", "ws://", 1) + "/_stcore/stream"


async def connect(http: str):
    return await websockets.connect(
        _ws_url(http),
        subprotocols=["streamlit"],
        origin=http,
        max_size=None,
        open_timeout=600,
        # a browser does not drop its websocket when the server is slow to answer a ping;
        # without this, a crowd that keeps the server busy for 20 s is counted as lost
        ping_interval=None,
    )


async def new_visit(http: str, query: str = "", timeout: float = 600, keep=None) -> Visit:
    """One new visitor: connect, first run, until its script has finished."""
    visit = Visit()
    start = time.monotonic()
    try:
        ws = await connect(http)
        try:
            await ws.send(_rerun(query))
            visit.ok = await _until_finished(ws, visit, start + timeout)
            visit.wait = time.monotonic() - start
            if keep is not None:
                keep.append(ws)
                ws = None
        finally:
            if ws is not None:
                await ws.close()
    except Exception as exc:  # a lost visitor is counted, not fatal to the run
        visit.error = f"{type(exc).__name__}: {exc}"[:200]
    return visit


async def crowd(http: str, n: int, query: str = "") -> tuple[list[Visit], float]:
    start = time.monotonic()
    visits = await asyncio.gather(*(new_visit(http, query) for _ in range(n)))
    return list(visits), time.monotonic() - start


def summary(visits: list[Visit], elapsed: float) -> dict:
    waits = sorted(v.wait for v in visits if v.ok)
    p95 = waits[min(len(waits) - 1, int(0.95 * len(waits)))] if waits else float("nan")
    return {
        "visitors": len(visits),
        "served": len(waits),
        "lost": len(visits) - len(waits),
        "median_wait_s": round(statistics.median(waits), 2) if waits else None,
        "p95_wait_s": round(p95, 2) if waits else None,
        "elapsed_s": round(elapsed, 2),
        "throughput_per_s": round(len(waits) / elapsed, 2) if elapsed else None,
        "errors": sorted({v.error for v in visits if v.error})[:3],
    }


async def cpu_per_visitor(http: str, pids: list[int], n: int) -> dict:
    await crowd(http, 2)  # warm: imports, data load, caches
    before = sum(cpu_seconds(p) for p in pids)
    visits, elapsed = await crowd(http, n)
    used = sum(cpu_seconds(p) for p in pids) - before
    return {"cpu_ms_per_visitor": round(1000 * used / n, 1), **summary(visits, elapsed)}


async def cpu_per_rerun(http: str, pid: int, reruns: int) -> dict:
    """Filter changes (Categories) and page changes in one session, CPU per rerun."""
    visit = Visit()
    ws = await connect(http)
    try:
        await ws.send(_rerun())
        await _until_finished(ws, visit, time.monotonic() + 600)
        widget = visit.widgets.get("Categories")
        timeline = next((h for name, h in visit.pages.items() if "timeline" in name.lower()), "")
        overview = next((h for name, h in visit.pages.items() if "overview" in name.lower()), "")
        result: dict = {}
        if widget:
            before = cpu_seconds(pid)
            for i in range(reruns):
                back = BackMsg()
                state = back.rerun_script.widget_states.widgets.add()
                state.id = widget
                state.string_array_value.data.extend(["military"] if i % 2 else ["political"])
                await ws.send(_rerun(widgets=back))
                await _until_finished(ws, Visit(), time.monotonic() + 600)
            result["cpu_ms_per_filter_rerun"] = round(
                1000 * (cpu_seconds(pid) - before) / reruns, 1
            )
        if timeline and overview:
            before = cpu_seconds(pid)
            for i in range(reruns):
                await ws.send(_rerun(page_hash=timeline if i % 2 == 0 else overview))
                await _until_finished(ws, Visit(), time.monotonic() + 600)
            result["cpu_ms_per_page_change"] = round(1000 * (cpu_seconds(pid) - before) / reruns, 1)
        return result
    finally:
        await ws.close()


async def idle_memory(http: str, pid: int, n: int) -> dict:
    await crowd(http, 2)
    await asyncio.sleep(1)
    before = rss_mb(pid)
    keep: list = []
    await asyncio.gather(*(new_visit(http, keep=keep) for _ in range(n)))
    await asyncio.sleep(2)
    during = rss_mb(pid)
    for ws in keep:
        await ws.close()
    return {
        "sessions": len(keep),
        "rss_before_mb": round(before, 1),
        "rss_with_sessions_mb": round(during, 1),
        "mb_per_idle_session": round((during - before) / max(len(keep), 1), 2),
    }


def run(args: argparse.Namespace) -> dict:
    results: dict = {"visitors": args.visitors, "crowds": {}, "rounds": []}
    # the app and the floor alternate, round by round, each on a fresh server: on a shared
    # machine one measure alone can be off by half; the median of the rounds is reported
    for _ in range(args.rounds):
        pair = {}
        for name, script in (("floor", "bench/floors/one_chart.py"), ("app", "app.py")):
            proc, url = start_server(script)
            try:
                pair[name] = asyncio.run(cpu_per_visitor(url, [proc.pid], args.visitors))
            finally:
                stop_server(proc)
        results["rounds"].append(pair)
    for name in ("floor", "app"):
        runs = sorted((r[name] for r in results["rounds"]), key=lambda m: m["cpu_ms_per_visitor"])
        results[name] = runs[len(runs) // 2]
    proc, url = start_server("app.py")
    try:
        results["reruns"] = asyncio.run(cpu_per_rerun(url, proc.pid, args.reruns))
        results["idle"] = asyncio.run(idle_memory(url, proc.pid, args.idle))
        for n in args.crowds:
            results["crowds"].setdefault(str(n), {})["one"] = summary(*asyncio.run(crowd(url, n)))
    finally:
        stop_server(proc)
    cluster = replicas.start(2)
    try:
        asyncio.run(crowd(cluster.url, 4))  # warm both replicas
        for n in args.crowds:
            results["crowds"][str(n)]["two_nginx"] = summary(*asyncio.run(crowd(cluster.url, n)))
    finally:
        replicas.stop(cluster)
    floor = results["floor"]["cpu_ms_per_visitor"]
    results["ratio_cpu_per_visitor"] = round(results["app"]["cpu_ms_per_visitor"] / floor, 2)
    return results


def report(r: dict) -> str:
    lines = [
        "## Capacity (Streamlit's websocket protocol, no browser)",
        "",
        f"`bench/capacity.py`, {r['visitors']} new visitors per CPU measure, app and floor "
        f"alternating over {len(r.get('rounds', [])) or 1} rounds (median shown; each round: "
        + ", ".join(
            f"{p['app']['cpu_ms_per_visitor']}/{p['floor']['cpu_ms_per_visitor']} ms"
            for p in r.get("rounds", [])
        )
        + f"); load average at start {r.get('load', '?')}.",
        "",
        "| measure | app | one-chart floor | target | met |",
        "|---|---|---|---|---|",
        f"| server CPU per new visitor | {r['app']['cpu_ms_per_visitor']} ms | "
        f"{r['floor']['cpu_ms_per_visitor']} ms ({r['ratio_cpu_per_visitor']}x) | ≤ 1.5x | "
        f"{'**met**' if r['ratio_cpu_per_visitor'] <= 1.5 else '**not met**'} |",
    ]
    rr = r.get("reruns", {})
    for key, label in (
        ("cpu_ms_per_filter_rerun", "server CPU per rerun after a filter change"),
        ("cpu_ms_per_page_change", "server CPU per page change"),
    ):
        if key in rr:
            lines.append(f"| {label} | {rr[key]} ms | – | – | – |")
    idle = r["idle"]
    lines += [
        f"| memory per idle session | {idle['mb_per_idle_session']} MB "
        f"({idle['sessions']} sessions: {idle['rss_before_mb']} → "
        f"{idle['rss_with_sessions_mb']} MB) | – | – | – |",
        "",
        "| visitors at once | one replica: served / lost, median / p95 wait, throughput | "
        "two replicas + nginx: same | target (100 at once) |",
        "|---|---|---|---|",
    ]
    for n, row in r["crowds"].items():
        one, two = row["one"], row.get("two_nginx", {})

        def cell(s: dict) -> str:
            return (
                f"{s.get('served')} / {s.get('lost')}, {s.get('median_wait_s')} / "
                f"{s.get('p95_wait_s')} s, {s.get('throughput_per_s')}/s"
            )

        target = ""
        if n == "100" and two:
            speed = (two["throughput_per_s"] or 0) / max(one["throughput_per_s"] or 1e-9, 1e-9)
            met = two["lost"] == 0 and (two["median_wait_s"] or 99) <= 5 and speed >= 1.7
            target = (
                f"none lost, median ≤ 5 s, ≥ 1.7x throughput: {speed:.2f}x, "
                f"{'**met**' if met else '**not met**'}"
            )
        lines.append(f"| {n} | {cell(one)} | {cell(two) if two else '–'} | {target} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visitors", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--reruns", type=int, default=10)
    parser.add_argument("--idle", type=int, default=50)
    parser.add_argument("--crowds", default="10,30,100,300")
    args = parser.parse_args()
    args.crowds = [int(x) for x in args.crowds.split(",") if x]
    load = os.getloadavg()[0]
    results = run(args)
    results["load"] = round(load, 2)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "capacity.json").write_text(json.dumps(results, indent=2))
    text = report(results)
    (OUT / "capacity.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
