"""Start the dashboard (or any Streamlit script) on loopback and drive Debian's Chromium.

Shared by the browser tests, the screenshots script and the benchmarks.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DONE = """() => !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-testid="stSkeleton"]')"""
"""The script run has finished: no "Running" widget and no placeholder still waiting for its
element (on a cold server the first run can outlast the moment the widget appears)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(
    script: str = "app.py",
    app_args: list[str] | None = None,
    timeout: float = 120,
    options: list[str] | None = None,
    env: dict[str, str] | None = None,
    launcher: list[str] | None = None,
) -> tuple[subprocess.Popen, str]:
    """`streamlit run script` on a free 127.0.0.1 port; returns once it answers its health check.

    `options` are further `--server.*`-style flags for Streamlit itself; `env` adds environment
    variables (some settings, such as the cookie secret, are refused as flags); `launcher`
    replaces `python -m streamlit` (bench/traced_server.py runs it under tracemalloc).
    """
    port = free_port()
    proc = subprocess.Popen(
        [
            *(launcher or [sys.executable, "-m", "streamlit"]),
            "run",
            script,
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
            *(options or []),
            *(["--", *app_args] if app_args else []),
        ],
        cwd=ROOT,
        env={**os.environ, **env} if env else None,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError(f"{script} did not start within {timeout:.0f} s")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def settle(page, timeout: float = 60_000) -> None:
    """Wait until the page's script run has finished and what it drew is on screen."""
    page.wait_for_timeout(500)
    page.wait_for_function(DONE, timeout=timeout)
