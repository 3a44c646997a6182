"""Start N dashboard replicas and nginx in front of them, all on loopback.

    .venv/bin/python deploy/replicas.py --replicas 2 --port 8080   # until Ctrl-C

Used by the proxy test and the capacity benchmark. Every replica gets the same
`server.cookieSecret`, as replicas behind one address must; nginx routes each browser to one
replica by a cookie (deploy/nginx.conf says why).
"""

from __future__ import annotations

import argparse
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.serve import free_port, start_server, stop_server  # noqa: E402

TEMPLATE = Path(__file__).with_name("nginx.conf")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


@dataclass
class Cluster:
    url: str
    replicas: list[str]
    rundir: Path
    procs: list[subprocess.Popen] = field(default_factory=list)
    nginx: subprocess.Popen | None = None

    def routes(self) -> list[tuple[str, str, str, str]]:
        """(route cookie, replica, method, path) for every request nginx passed on."""
        log = self.rundir / "access.log"
        rows = []
        for line in log.read_text().splitlines() if log.exists() else []:
            parts = line.split()
            if len(parts) >= 4:
                rows.append((parts[0], parts[1], parts[2], parts[3]))
        return rows


def nginx_config(rundir: Path, listen: str, replicas: list[str], workers: int = 1) -> str:
    servers = "\n".join(f"        server {addr} max_fails=3 fail_timeout=10s;" for addr in replicas)
    return (
        TEMPLATE.read_text()
        .replace("@@RUNDIR@@", str(rundir))
        .replace("@@LISTEN@@", listen)
        .replace("@@SERVERS@@", servers)
        .replace("@@WORKERS@@", str(workers))
    )


def _wait_healthy(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing answered {url}/_stcore/health within {timeout:.0f} s")


def start(
    n: int = 2,
    port: int | None = None,
    app_args: list[str] | None = None,
    options: list[str] | None = None,
    timeout: float = 120,
) -> Cluster:
    """N replicas of app.py, then nginx on 127.0.0.1:port (a free one if not given)."""
    secret = secrets.token_hex(16)
    rundir = Path(tempfile.mkdtemp(prefix="nk-nginx-"))
    cluster = Cluster(url="", replicas=[], rundir=rundir)
    try:
        for _ in range(n):
            proc, url = start_server(
                "app.py",
                app_args,
                timeout=timeout,
                options=options,
                env={"STREAMLIT_SERVER_COOKIE_SECRET": secret},
            )
            cluster.procs.append(proc)
            cluster.replicas.append(url.removeprefix("http://"))
        listen = f"127.0.0.1:{port or free_port()}"
        conf = rundir / "nginx.conf"
        conf.write_text(nginx_config(rundir, listen, cluster.replicas))
        check = subprocess.run(
            [NGINX, "-t", "-p", str(rundir), "-c", str(conf)], capture_output=True, text=True
        )
        if check.returncode:
            raise RuntimeError(f"nginx refused the configuration: {check.stderr.strip()}")
        cluster.nginx = subprocess.Popen(
            [NGINX, "-p", str(rundir), "-c", str(conf), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        cluster.url = f"http://{listen}"
        _wait_healthy(cluster.url, timeout=30)
    except BaseException:
        stop(cluster)
        raise
    return cluster


def stop(cluster: Cluster) -> None:
    if cluster.nginx is not None:
        cluster.nginx.terminate()
        try:
            cluster.nginx.wait(timeout=10)
        except subprocess.TimeoutExpired:
            cluster.nginx.kill()
    for proc in cluster.procs:
        stop_server(proc)
    shutil.rmtree(cluster.rundir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", "-n", type=int, default=2)
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args()
    cluster = start(args.replicas, args.port)
    print(f"{cluster.url} -> {', '.join(cluster.replicas)} (Ctrl-C stops them all)")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        while True:
            time.sleep(3600)
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        stop(cluster)


if __name__ == "__main__":
    main()
