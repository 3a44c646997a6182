"""What hostile or oversized files cost the reader: CPU seconds and peak memory per file.

    .venv/bin/python bench/hostile_reads.py [--repeat 3]

Each file is built in memory and read by `load.read_events_file`, as an upload is, in a fresh
subprocess (so one file's memory does not count against the next). CPU time, not wall time:
on a shared machine the wall clock measures the neighbours. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _sheet(rows: int) -> bytes:
    body = "".join(
        f"{1900 + i % 120},{1 + i % 12},{1 + i % 28},Event {i},<p>Text {i}</p>,Group {i % 5}\n"
        for i in range(rows)
    )
    return ("Year,Month,Day,Headline,Text,Group\n" + body).encode()


FILES = {
    "100,000 columns": lambda: (
        ",".join(f"column{i}" for i in range(100_000)) + "\n" + "x," * 10 + "\n"
    ).encode(),
    "one 20 MB line of a,a,a": lambda: b"a," * 10_000_000,
    "a 6 MB row of 2M fields": lambda: b"id,start_date,title\na,1918,One\n" + b"ab," * 2_000_000,
    "TimelineJS, 20,000 rows": lambda: _sheet(20_000),
    "100,000 cells of 'x' in 3 columns": lambda: (
        "id,start_date,title\n" + "".join(f"e{i},1990,x\n" for i in range(33_333))
    ).encode(),
}


def measure(label: str) -> dict:
    from timeline import load

    data = FILES[label]()
    start = time.process_time()
    result = load.read_events_file(data, "f.csv")
    cpu = time.process_time() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    first = str(result.problems[0]) if result.problems else ""
    return {"cpu": cpu, "peak_mb": peak, "events": len(result.events), "message": first[:90]}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--one", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(measure(args.one)))
        return
    print("| file | CPU s (min) | peak MB | events | message |")
    print("|---|---|---|---|---|")
    for label in FILES:
        runs = [
            json.loads(
                subprocess.run(
                    [sys.executable, __file__, "--one", label],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
            )
            for _ in range(args.repeat)
        ]
        best = min(runs, key=lambda r: r["cpu"])
        print(
            f"| {label} | {best['cpu']:.2f} | {best['peak_mb']:.0f} | {best['events']} "
            f"| {best['message']} |"
        )


if __name__ == "__main__":
    main()
