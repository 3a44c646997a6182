"""A visitor's upload is read in a child process, at low priority, within a time and memory
budget: whatever the file is, it cannot hold the server's interpreter, starve the other
visitors' pages or grow the server without bound.

The reader checks its own bounds (columns, cell length, rows) before the expensive work; this
is the backstop for what it did not foresee. Measured by bench/soak.py: a file of 100,000
columns read in the server process took 268 s of a core and 947 MB, and doubled another
visitor's page time; a 19.9 MB line of `a,` never finished.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import resource
import signal
import traceback
import uuid

from timeline import load

CPU_BUDGET_S = 30
"""Seconds of CPU: an 18 MB file in our format reads in 3 to 7 s on the 2-core benchmark
machine. CPU time, not wall time, so that a busy server does not refuse a good file (at low
priority on a loaded machine, the same read took 20 to 43 s of wall time in bench/soak.py)."""
WALL_BUDGET_S = 300.0
"""A ceiling for a read that waits rather than computes (and for a very busy server)."""
MEMORY_BUDGET_MB = 3_000
"""Address space, not resident memory: pandas and Arrow reserve far more than they use."""
NICENESS = 10

_LOG = logging.getLogger("timeline")
_CONTEXT = mp.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["timeline.load"])


def _child(conn, data: bytes, name: str, cpu_seconds: int, memory_mb: int) -> None:
    os.nice(NICENESS)
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    used = int(sum(resource.getrusage(resource.RUSAGE_SELF)[:2]))
    resource.setrlimit(resource.RLIMIT_CPU, (used + cpu_seconds, used + cpu_seconds + 1))
    try:
        conn.send(("ok", load.read_events_file(data, name)))
    except MemoryError:
        conn.send(("memory", None))
    except Exception:
        conn.send(("fault", traceback.format_exc()))
    finally:
        conn.close()


def _refusal(name: str, message: str) -> load.EventsFile:
    return load.EventsFile(name, load.empty_events(), [load.Problem(name, 1, "-", message)])


def read_events_file(
    data: bytes,
    name: str,
    cpu_seconds: int = CPU_BUDGET_S,
    memory_mb: int = MEMORY_BUDGET_MB,
    seconds: float = WALL_BUDGET_S,
) -> load.EventsFile:
    """`load.read_events_file` in a child process; a file that exceeds a budget, or that the
    reader fails on, comes back as a message naming the file."""
    receiver, sender = _CONTEXT.Pipe(duplex=False)
    child = _CONTEXT.Process(
        target=_child, args=(sender, data, name, cpu_seconds, memory_mb), daemon=True
    )
    child.start()
    sender.close()
    try:
        if receiver.poll(seconds):
            try:
                kind, payload = receiver.recv()
            except EOFError:
                kind, payload = "died", None
        else:
            kind, payload = "time", None
    finally:
        if child.is_alive():
            child.kill()
        child.join(5)
        receiver.close()
    if kind == "ok":
        return payload
    if kind == "time" or child.exitcode == -signal.SIGXCPU:
        return _refusal(
            name,
            f"reading this file took longer than {cpu_seconds} s and was stopped; a file "
            "this slow to read usually has far more columns or far longer lines than a "
            "table of events (split it, or keep only the columns you need)",
        )
    if kind == "memory":
        return _refusal(
            name,
            f"reading this file needed more than {memory_mb:,} MB and was stopped; split it "
            "or keep only the columns you need",
        )
    ref = uuid.uuid4().hex[:8]
    _LOG.error("error %s while reading an uploaded file:\n%s", ref, payload or "the reader died")
    return _refusal(
        name,
        f"this file could not be read (a fault on our side, reference {ref}); the dashboard "
        "stays on the bundled data",
    )
