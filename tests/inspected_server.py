"""`streamlit run`, optionally under tracemalloc, dumping what the server holds on a signal.

    .venv/bin/python tests/inspected_server.py run app.py [streamlit options]

Used by tests/test_memory.py and bench/memprobe.py (through
`tests.serve.start_server(launcher=...)`). Environment: `TRACE_DIR` (where the dumps go),
`TRACE_FRAMES` (tracemalloc's traceback depth; 0, the default, does not trace), `TRACE_ROWS`
(count the live tables of exactly this many rows: a visitor's upload).

- SIGUSR1: a full garbage collection, then `snap-N.json`: resident memory (anonymous and
  file-backed), Python's small-object arenas, what glibc's malloc holds in use and free
  (mallinfo2), what Arrow's memory pool holds, the sessions Streamlit still keeps (active and
  stored for reconnection), the uploaded and media files it keeps, and the live objects that
  carry a visitor's data; with tracemalloc on, `snap-N.pickle` (a snapshot) too.
- SIGUSR2: the same, after `malloc_trim(0)` (glibc gives its free pages back to the system).
"""

from __future__ import annotations

import ctypes
import gc
import json
import os
import signal
import sys
import tracemalloc
from pathlib import Path

OUT = Path(os.environ.get("TRACE_DIR", "bench/out/trace"))
ROWS = int(os.environ.get("TRACE_ROWS", "0"))
TYPES = (
    "DataFrame",
    "Series",
    "Package",
    "EventsFile",
    "Upload",
    "AppSession",
    "SessionState",
    "OnDemand",
    "ScriptRunner",
    "Indexed",
)
_count = [0]


class MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena",
            "ordblks",
            "smblks",
            "hblks",
            "hblkhd",
            "usmblks",
            "fsmblks",
            "uordblks",
            "fordblks",
            "keepcost",
        )
    ]


_libc = ctypes.CDLL("libc.so.6")
_libc.mallinfo2.restype = MallInfo2


def rss_mb(field: str = "VmRSS") -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def obmalloc_mb() -> float:
    """Memory in Python's own small-object arenas (mapped apart from malloc's heap)."""
    import tempfile

    with tempfile.TemporaryFile("w+") as out:
        saved = os.dup(2)
        os.dup2(out.fileno(), 2)
        try:
            sys._debugmallocstats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        out.seek(0)
        for line in out:
            if line.startswith("Total"):
                return round(int(line.split("=")[1].replace(",", "")) / 2**20, 1)
    return float("nan")


def runtime_state() -> dict:
    from streamlit.runtime import Runtime

    if not Runtime.exists():
        return {}
    rt = Runtime.instance()
    mgr = rt._session_mgr
    stored = mgr._session_storage._cache
    uploads = getattr(rt.uploaded_file_mgr, "file_storage", {})
    media = rt.media_file_mgr
    return {
        "sessions_active": len(mgr.list_active_sessions()),
        "sessions_stored": len(list(stored.keys())),
        "uploaded_files": sum(len(v) for v in uploads.values()),
        "uploaded_mb": round(
            sum(len(f.data) for v in uploads.values() for f in v.values()) / 2**20, 1
        ),
        "media_files": len(getattr(media, "_file_metadata", {})),
        "media_sessions": len(getattr(media, "_files_by_session_and_coord", {})),
    }


def arrow_state() -> dict:
    try:
        import pyarrow as pa
    except ImportError:
        return {}
    pool = pa.default_memory_pool()
    return {
        "arrow_backend": pool.backend_name,
        "arrow_mb": round(pool.bytes_allocated() / 2**20, 1),
        "arrow_total_mb": round(pa.total_allocated_bytes() / 2**20, 1),
    }


def _describe(obj) -> str:
    import types

    name = type(obj).__name__
    if isinstance(obj, dict):
        return f"dict keys {[str(k)[:40] for k in list(obj)[:8]]}"
    if name == "function":
        return f"function {obj.__qualname__}"
    if name == "cell":
        return "cell"
    if isinstance(obj, types.FrameType):
        return f"frame {obj.f_code.co_name} {obj.f_code.co_filename[-50:]}:{obj.f_lineno}"
    if isinstance(obj, tuple | list):
        return f"{name}[{len(obj)}] of {[type(x).__name__ for x in obj[:4]]}"
    return f"{type(obj).__module__}.{name}"


def _holders(target, depth: int = 8) -> list[list[str]]:
    """Who refers to `target`: chains of referrers, up to `depth` steps, for a report."""
    here = sys._getframe()
    objs, chains = [target], [[]]
    seen = {id(target), id(objs), id(chains), id(sys._getframe(1))}
    for _ in range(depth):
        next_objs, next_chains = [], []
        seen.update((id(next_objs), id(next_chains)))
        for i in range(len(objs)):  # no (obj, chain) tuples: they would refer to obj
            for ref in gc.get_referrers(objs[i]):
                if id(ref) in seen or ref is here:
                    continue
                seen.add(id(ref))
                next_objs.append(ref)
                next_chains.append([*chains[i], _describe(ref)])
        if not next_objs:
            break
        del next_objs[30:], next_chains[30:]
        objs, chains = next_objs, next_chains
    return chains[:20]


def _threads() -> dict[str, list[str]]:
    """Each thread's name and its innermost frames (a thread that never ended holds its
    locals alive, where gc.get_referrers cannot see them)."""
    import threading
    import traceback

    frames = sys._current_frames()
    out = {}
    for t in threading.enumerate():
        stack = traceback.extract_stack(frames[t.ident]) if t.ident in frames else []
        out[t.name] = [f"{f.filename[-45:]}:{f.lineno} {f.name}" for f in stack[-6:]]
    return out


def dump(signum, _frame) -> None:
    gc.collect()
    trim = signum == signal.SIGUSR2
    before = rss_mb()
    if trim:
        _libc.malloc_trim(0)
    info = _libc.mallinfo2()
    counts = dict.fromkeys(TYPES, 0)
    visitor = {"packages": 0, "tables_of_rows": 0}
    for obj in gc.get_objects():
        name = type(obj).__name__
        if name in counts:
            counts[name] += 1
        if name == "Package" and getattr(obj, "origin", "bundled") != "bundled":
            visitor["packages"] += 1
        elif ROWS and name in ("DataFrame", "Series") and len(obj) == ROWS:
            visitor["tables_of_rows"] += 1
    traced, peak = tracemalloc.get_traced_memory()
    kept = [
        o
        for o in gc.get_objects()
        if type(o).__name__ == "Package" and getattr(o, "origin", "bundled") != "bundled"
    ]
    target = kept[0] if kept else None
    del kept
    holders = _holders(target) if target is not None else []
    del target

    n = _count[0] = _count[0] + 1
    OUT.mkdir(parents=True, exist_ok=True)
    if tracemalloc.is_tracing():
        tracemalloc.take_snapshot().dump(str(OUT / f"snap-{n}.pickle"))
    state = {
        "n": n,
        "trimmed": trim,
        "rss_mb": round(rss_mb(), 1),
        "rss_before_trim_mb": round(before, 1),
        "rss_anon_mb": round(rss_mb("RssAnon"), 1),
        "rss_file_mb": round(rss_mb("RssFile"), 1),
        "obmalloc_mb": obmalloc_mb(),
        "traced_mb": round(traced / 2**20, 1),
        "traced_peak_mb": round(peak / 2**20, 1),
        "malloc_in_use_mb": round((info.uordblks + info.hblkhd) / 2**20, 1),
        "malloc_free_mb": round(info.fordblks / 2**20, 1),
        "malloc_arena_mb": round(info.arena / 2**20, 1),
        **arrow_state(),
        **runtime_state(),
        "objects": counts,
        "visitor": visitor,
        "holders": holders,
        "threads": _threads(),
    }
    (OUT / f"snap-{n}.json").write_text(json.dumps(state, indent=1))


def main() -> None:
    frames = int(os.environ.get("TRACE_FRAMES", "0"))
    if frames:
        tracemalloc.start(frames)
    signal.signal(signal.SIGUSR1, dump)
    signal.signal(signal.SIGUSR2, dump)
    from streamlit.web.cli import main as streamlit_main

    sys.argv = ["streamlit", *sys.argv[1:]]
    streamlit_main()


if __name__ == "__main__":
    main()
