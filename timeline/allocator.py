"""Give the memory of a visitor's data back to the system once the visitor has gone.

Measured by bench/memprobe.py (a server under tracemalloc, 5 visitors each uploading an
18 MB file and leaving): every Python object of their data was freed (tracemalloc: +0.2 MB),
yet the server stayed 186 MB above its start. glibc's malloc kept 247 MB of freed memory in
its heaps: it raises its mmap threshold each time a large block (a numpy column) is freed, so
the next large blocks come from the heaps, where a few long-lived small blocks pin the pages.
A fixed threshold keeps every large block in its own mapping, unmapped when freed: +41 MB.
Arrow's buffers (pandas' string columns) go through the same malloc instead of Arrow's
mimalloc pool, which keeps freed segments of its own (+53 MB without this, single runs).
"""

from __future__ import annotations

import ctypes
import logging

M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter number (malloc.h)
MMAP_THRESHOLD = 128 * 1024
"""glibc's own starting value; fixing it turns off the dynamic raise (up to 32 MB)."""

_LOG = logging.getLogger("timeline")
_done: list[bool] = []


def return_freed_memory() -> bool:
    """Tune the process's allocators once; True if glibc's malloc took the setting (False
    elsewhere, e.g. macOS or musl, where nothing is changed)."""
    if _done:
        return _done[0]
    ok = False
    try:
        ok = bool(ctypes.CDLL(None).mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD))
    except (OSError, AttributeError):
        _LOG.info("malloc not tuned: not glibc")
    try:
        import pyarrow as pa

        pa.set_memory_pool(pa.system_memory_pool())
    except ImportError:
        pass
    _done.append(ok)
    return ok
