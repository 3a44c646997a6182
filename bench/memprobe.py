"""What the server still holds after visitors who uploaded a file have left.

    .venv/bin/python bench/memprobe.py [--sessions 6] [--rows 30000] [--frames 12]
        [--env MALLOC_ARENA_MAX=2] [--option --server.x=y]

Runs the soak's uploading sessions (bench/soak.py) against a server started by
tests/inspected_server.py, and asks it for a dump (tracemalloc snapshot, malloc and Arrow pool
figures, Streamlit's sessions and files) when warm, after the sessions have ended, and again
after `malloc_trim(0)`. Prints the dumps and the allocations that grew most between the first
and the second, by traceback. `--frames 0` runs without tracemalloc (memory figures as served).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import generate  # noqa: E402
import soak  # noqa: E402

from tests.serve import start_server, stop_server  # noqa: E402

OUT = ROOT / "bench" / "out" / os.environ.get("PROBE_NAME", "trace")


def ask(pid: int, sig: int, n: int) -> dict:
    os.kill(pid, sig)
    path = OUT / f"snap-{n}.json"
    for _ in range(1200):
        if path.exists():
            time.sleep(0.5)
            return json.loads(path.read_text())
        time.sleep(0.25)
    raise RuntimeError(f"no dump {n}")


async def drive(url: str, pid: int, args) -> list[dict]:
    big = generate.ensure(args.rows, soak.OUT / "data" / f"events-{args.rows}.csv").read_bytes()
    await soak.visitor_times(url, 3)
    dumps = [ask(pid, signal.SIGUSR1, 1)]
    for i in range(args.sessions):
        info = await soak.uploading_session(url, big, i)
        print(json.dumps({"session": i, **info, "rss_mb": round(soak.rss_mb(pid))}), flush=True)
    await asyncio.sleep(args.ttl + 5)
    await soak.visitor_times(url, 2)  # a disconnect is what sweeps expired stored sessions
    dumps.append(ask(pid, signal.SIGUSR1, 2))
    dumps.append(ask(pid, signal.SIGUSR2, 3))
    return dumps


def top_growth(limit: int) -> None:
    first = tracemalloc.Snapshot.load(str(OUT / "snap-1.pickle"))
    second = tracemalloc.Snapshot.load(str(OUT / "snap-2.pickle"))
    noise = [tracemalloc.Filter(False, tracemalloc.__file__)]
    stats = second.filter_traces(noise).compare_to(first.filter_traces(noise), "traceback")
    for stat in stats[:limit]:
        print(f"\n{stat.size_diff / 2**20:+.1f} MB in {stat.count_diff:+} blocks")
        for line in stat.traceback.format(limit=args_frames):
            print("   ", line)


args_frames = 8


def main() -> None:
    global args_frames
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=6)
    parser.add_argument("--rows", type=int, default=30_000)
    parser.add_argument("--ttl", type=int, default=10)
    parser.add_argument("--frames", type=int, default=12)
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--env", action="append", default=[])
    parser.add_argument("--option", action="append", default=[])
    args = parser.parse_args()
    args_frames = max(args.frames, 1)
    for old in OUT.glob("snap-*"):
        old.unlink()
    env = dict(e.split("=", 1) for e in args.env) | {
        "TRACE_DIR": str(OUT),
        "TRACE_FRAMES": str(args.frames),
    }
    options = ["--server.disconnectedSessionTTL", str(args.ttl)]
    for opt in args.option:
        options += opt.split("=", 1)
    proc, url = start_server(
        options=options,
        env=env,
        launcher=[sys.executable, str(ROOT / "tests" / "inspected_server.py")],
    )
    try:
        dumps = asyncio.run(drive(url, proc.pid, args))
    finally:
        stop_server(proc)
    for d in dumps:
        print(json.dumps(d))
    if args.frames:
        top_growth(args.top)


if __name__ == "__main__":
    main()
