"""A visitor's uploaded data leaves the server with the visitor (issue 16: 170 MB per session).

A served app, driven over Streamlit's own websocket protocol, and asked through a signal what
it still holds (tests/inspected_server.py): the tables of the uploaded file, and the package
built from it, are reachable while their session is open and not after it has ended. A
download button, a cache or a callback that kept them would keep them reachable.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time

from .conftest import ROOT
from .protocol import Session
from .serve import start_server, stop_server

ROWS = 2_345
"""No table of the bundled data has this many rows: each one counted is the upload's."""


def events_file(n: int) -> bytes:
    rows = "".join(f"v{n}-{i},19{10 + i % 80},Event {i} of visitor {n}\n" for i in range(ROWS))
    return f"id,start_date,title\n{rows}".encode()


def held(pid: int, out, n: int) -> dict:
    """What the server holds now (after a full garbage collection): its dump number `n`."""
    os.kill(pid, signal.SIGUSR1)
    path = out / f"snap-{n}.json"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if path.exists():
            time.sleep(0.3)
            return json.loads(path.read_text())
        time.sleep(0.1)
    raise AssertionError("the server did not answer")


async def visit(url: str, n: int, pid: int, out) -> dict | None:
    """Upload a file, see it, open the Timeline and the Data page (its download buttons),
    leave; the first visitor asks what the server holds before leaving."""
    async with Session(url) as s:
        await s.run("data")
        await s.upload(f"mine-{n}.csv", events_file(n))
        shown = [t.replace("\\", "") for t in s.texts]
        assert any(f"Showing your file mine-{n}.csv" in t for t in shown), shown
        await s.run("timeline")
        await s.run("data")
        return held(pid, out, 1) if n == 0 else None


async def sessions(url: str, pid: int, out) -> tuple[dict, dict]:
    during = None
    for n in range(3):
        during = await visit(url, n, pid, out) or during
    await asyncio.sleep(2)  # the disconnected-session TTL (1 s) passes
    for _ in range(2):
        async with Session(url) as s:  # Streamlit drops expired sessions when another one leaves
            await s.run("")
        await asyncio.sleep(1)  # the server has seen it leave
    return during, held(pid, out, 2)


def test_uploaded_data_is_unreachable_once_the_sessions_have_ended(tmp_path):
    proc, url = start_server(
        options=["--server.disconnectedSessionTTL", "1"],
        env={"TRACE_DIR": str(tmp_path), "TRACE_ROWS": str(ROWS)},
        launcher=[sys.executable, str(ROOT / "tests" / "inspected_server.py")],
    )
    try:
        during, after = asyncio.run(sessions(url, proc.pid, tmp_path))
    finally:
        stop_server(proc)
    assert during["visitor"]["packages"] >= 1, "while open, the session's package is seen"
    assert during["visitor"]["tables_of_rows"] >= 1, "and its tables"
    assert after["sessions_active"] == 0
    assert after["sessions_stored"] <= 1, (
        "the uploading sessions have ended (the last visitor's may be kept)"
    )
    assert after["visitor"] == {"packages": 0, "tables_of_rows": 0}, after
    assert after["uploaded_files"] == 0
