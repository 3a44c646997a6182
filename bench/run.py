"""Benchmark of the dashboard: load, filter, figures, reruns, memory and page load.

    .venv/bin/python bench/run.py [--sizes bundled,10000,100000,1000000] [--repeat 5]

Writes bench/results.md. Every measure runs in a subprocess of its own (so memory, caches and
imports of one size do not leak into another) and is repeated --repeat times; the report gives
the median and the spread (min-max). See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import io
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(ROOT))

from tests.serve import CHROMIUM, FLAGS, start_server, stop_server  # noqa: E402

PY = sys.executable
MB = 1024 * 1024
WORKER_TIMEOUT = 3600  # seconds; every subprocess is bounded
FILTER_CATEGORIES = ("military", "political")
RERUN_VALUES = (["humanitarian"], ["military", "political"])


# ============================================================================ helpers


def emit(obj) -> None:
    """A worker's result: one JSON line after a marker, so stray prints do not confuse it."""
    sys.stdout.write("\n@@RESULT@@" + json.dumps(obj, default=str) + "\n")
    sys.stdout.flush()


def run_worker(args: list[str], timeout: float = WORKER_TIMEOUT) -> dict:
    cmd = [PY, str(Path(__file__).resolve()), "--worker", *args]
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(
            cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith("@@RESULT@@"):
            out = json.loads(line[len("@@RESULT@@") :])
            out["_wall"] = time.perf_counter() - t0
            return out
    return {"error": f"exit {proc.returncode}: {proc.stderr.strip()[-1500:]}"}


def summary(values: list[float]) -> dict:
    values = [v for v in values if v is not None]
    if not values:
        return {"n": 0}
    return {
        "n": len(values),
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
    }


def fmt_s(stat: dict, unit: str = "ms") -> str:
    if not stat or not stat.get("n"):
        return "–"
    k = 1000 if unit == "ms" else 1
    med, lo, hi = stat["median"] * k, stat["min"] * k, stat["max"] * k
    dec = 0 if unit == "ms" and med >= 100 else 1 if unit == "ms" else 2
    if stat["n"] == 1:
        return f"{med:,.{dec}f} (n=1)"
    return f"{med:,.{dec}f} ({lo:,.{dec}f}–{hi:,.{dec}f})"


def fmt_bytes(n: float | None) -> str:
    if n is None:
        return "–"
    if n >= MB:
        return f"{n / MB:,.2f} MB"
    return f"{n / 1024:,.1f} KB"


def source_hash() -> str:
    """sha256 (12 hex) of app.py and timeline/**/*.py: the code measured, as it was then."""
    import hashlib

    h = hashlib.sha256()
    for f in [ROOT / "app.py", *sorted((ROOT / "timeline").rglob("*.py"))]:
        with contextlib.suppress(OSError):
            h.update(f.name.encode() + f.read_bytes())
    return h.hexdigest()[:12]


def maxrss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


# ============================================================================ workers


def _load(size: str, path: str | None):
    """(package, seconds to load+validate): bundled via load_package, else read_events_file."""
    from timeline import load

    if size == "bundled":
        t0 = time.perf_counter()
        pkg = load.load_package()
        return pkg, time.perf_counter() - t0
    data = Path(path).read_bytes()  # bytes read outside the clock: the app gets bytes too
    t0 = time.perf_counter()
    user = load.read_events_file(data, path)
    elapsed = time.perf_counter() - t0
    assert not user.problems, user.problems[:3]
    base = load.load_package()
    return load.package_with_events(base, user), elapsed


def _view(pkg):
    import datetime as _dt

    from timeline import query

    return query.View(
        start=_dt.date(1988, 1, 1),
        end=_dt.date(2023, 12, 31),
        categories=FILTER_CATEGORIES,
        q="armenian",
    )


def _figures(pkg, events, refugees: bool):
    """{name: builder()} for each page's figures, on `events` (the filtered or all events)."""
    from timeline import charts, stats
    from timeline.names import place_names

    places = place_names(pkg.places, "international")
    out = {
        "timeline": lambda: charts.timeline_figure(events, pkg.eras, place_names=places),
        "overview": lambda: charts.overview_figure(events, pkg.eras),
    }
    if refugees and not pkg.displacement.empty:
        daily = stats.daily_arrivals(pkg.displacement)
        head = stats.headline(pkg.events, pkg.displacement)
        out["arrivals"] = lambda: charts.arrivals_figure(
            pkg.displacement, pkg.sources, stats.event_marks(pkg.events)
        )
        out["daily"] = lambda: charts.daily_arrivals_figure(daily)
        out["share"] = lambda: charts.share_figure(daily, head.population_low, head.population_high)
        out["waves"] = lambda: charts.waves_figure(stats.waves(pkg.displacement))
    return out


def worker_core(size: str, path: str | None, repeat: int) -> dict:
    """(a) load+validate, (b) filter, (c) figures, (d) figure JSON sizes."""
    from timeline import query

    res: dict = {"load": [], "filter": [], "fig": {}, "json_time": {}, "json_bytes": {}}
    pkg = None
    for _ in range(repeat):
        pkg = None
        gc.collect()
        pkg, secs = _load(size, path)
        res["load"].append(secs)
    res["rows"] = len(pkg.events)
    view = _view(pkg)
    filtered = None
    # what the app keeps per data version (ui.indexed): the first repeat prepares it
    data = query.Indexed(pkg.events)
    for _ in range(repeat):
        t0 = time.perf_counter()
        filtered = query.apply(data, view)
        res["filter"].append(time.perf_counter() - t0)
    res["filtered_rows"] = len(filtered)
    for label, events in (("filtered", filtered), ("all", pkg.events)):
        for name, build in _figures(pkg, events, refugees=(label == "all")).items():
            key = f"{name} ({label})" if name in ("timeline", "overview") else name
            times, jtimes, size_b = [], [], None
            for _ in range(repeat):
                t0 = time.perf_counter()
                fig = build()
                times.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                text = fig.to_json()
                jtimes.append(time.perf_counter() - t0)
                size_b = len(text.encode("utf-8"))
                del fig, text
            res["fig"][key] = times
            res["json_time"][key] = jtimes
            res["json_bytes"][key] = size_b
    res["maxrss"] = maxrss_bytes()
    return res


def worker_mem(size: str, path: str | None, traced: bool) -> dict:
    """(f) one pass load -> filter -> figures -> JSON; maxrss, and tracemalloc peak if traced."""
    import tracemalloc

    from timeline import query

    if traced:
        tracemalloc.start()
    t0 = time.perf_counter()
    pkg, _ = _load(size, path)
    filtered = query.apply(pkg.events, _view(pkg))
    for events in (filtered, pkg.events):
        for build in _figures(pkg, events, refugees=True).values():
            build().to_json()
    out = {"maxrss": maxrss_bytes(), "seconds": time.perf_counter() - t0}
    if traced:
        out["tracemalloc_peak"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return out


def worker_apptest(size: str, path: str | None, repeat: int, page: str) -> dict:
    """(e) AppTest: first run, then reruns each after a change of the category filter."""
    from streamlit.testing.v1 import AppTest

    os.chdir(ROOT)
    sys.argv = ["app.py"] + (["--data", path] if path else [])
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=WORKER_TIMEOUT)
    t0 = time.perf_counter()
    at.run()
    first = time.perf_counter() - t0
    if page != "overview":
        t0 = time.perf_counter()
        at.switch_page(f"timeline/pages/{page}.py")
        at.run()
        first_page = time.perf_counter() - t0
    else:
        first_page = first
    errors = [str(e.value)[:300] for e in at.exception]
    reruns = []
    for i in range(repeat):
        t0 = time.perf_counter()
        at.multiselect(key="f_categories").set_value(RERUN_VALUES[i % 2]).run()
        reruns.append(time.perf_counter() - t0)
        errors += [str(e.value)[:300] for e in at.exception]
    counts = [m.value for m in at.markdown if m.value.startswith("**") and " event" in m.value]
    return {
        "first_run": first,
        "first_page": first_page,
        "rerun": reruns,
        "errors": errors,
        "count": counts[:1],
        "maxrss": maxrss_bytes(),
    }


def worker_profile(what: str, size: str, path: str | None, out_prof: str) -> dict:
    """cProfile of one measured operation; the stats go to out_prof for the report."""
    import cProfile

    prof = cProfile.Profile()
    if what == "load":
        from timeline import load

        data = Path(path).read_bytes() if path else None
        prof.enable()
        if data is None:
            load.load_package()
        else:
            load.read_events_file(data, path)
        prof.disable()
    elif what.startswith("rerun"):
        from streamlit.testing.v1 import AppTest

        page = what.split(":", 1)[1] if ":" in what else "overview"
        os.chdir(ROOT)
        sys.argv = ["app.py"] + (["--data", path] if path else [])
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=WORKER_TIMEOUT)
        at.run()
        if page != "overview":
            at.switch_page(f"timeline/pages/{page}.py")
            at.run()
        at.multiselect(key="f_categories").set_value(RERUN_VALUES[1]).run()  # warm
        # the script runs in ScriptRunner's own thread: profile inside that thread
        from streamlit.runtime.scriptrunner import script_runner

        original = script_runner.ScriptRunner._run_script

        def profiled(self, rerun_data):
            prof.enable()
            try:
                return original(self, rerun_data)
            finally:
                prof.disable()

        script_runner.ScriptRunner._run_script = profiled
        try:
            at.multiselect(key="f_categories").set_value(RERUN_VALUES[0]).run()
        finally:
            script_runner.ScriptRunner._run_script = original
    elif what == "figjson":
        import plotly.io as pio

        pkg, _ = _load(size, path)
        parts = {}
        for name, build in _figures(pkg, pkg.events, refugees=False).items():
            prof.enable()
            fig = build()
            text = fig.to_json()
            prof.disable()
            traces = []
            for tr in fig.data:
                tj = pio.to_json(tr, validate=False)
                traces.append(
                    {
                        "type": tr.type,
                        "name": str(tr.name),
                        "points": len(tr.x) if tr.x is not None else 0,
                        "bytes": len(tj.encode()),
                    }
                )
            layout = len(pio.to_json(fig.layout, validate=False).encode())
            parts[name] = {"total": len(text.encode()), "layout": layout, "traces": traces}
        prof.dump_stats(out_prof)
        return {"parts": parts}
    prof.dump_stats(out_prof)
    return {}


# ============================================================================ browser


def visit(browser, url: str, chart: bool) -> dict:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        t0 = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=120_000)
        page.locator("h1").first.wait_for(state="visible", timeout=120_000)
        t_text = time.perf_counter() - t0
        t_chart = None
        if chart:
            page.locator(".js-plotly-plot .main-svg").first.wait_for(
                state="visible", timeout=180_000
            )
            t_chart = time.perf_counter() - t0
        nav = page.evaluate(
            "() => { const n = performance.getEntriesByType('navigation')[0];"
            " const r = performance.getEntriesByType('resource');"
            " return {dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd,"
            " resources: r.length,"
            " bytes: r.reduce((a, e) => a + (e.encodedBodySize || 0), 0)}; }"
        )
    finally:
        context.close()
    return {"first_text": t_text, "first_chart": t_chart, **nav}


def browser_bench(repeat: int, data_path: str | None) -> dict:
    from playwright.sync_api import sync_playwright

    apps = {
        "app": ("app.py", True),
        "text_floor": ("bench/floors/text_only.py", False),
        "chart_floor": ("bench/floors/one_chart.py", True),
        "filters_floor": ("bench/floors/chart_and_filters.py", True),
    }
    res = {name: {"cold": [], "warm": []} for name in apps}
    names = list(apps)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            for r in range(repeat):
                order = names[r % len(names) :] + names[: r % len(names)]  # rotate: no bias
                for name in order:
                    script, chart = apps[name]
                    extra = ["--data", data_path] if (data_path and name == "app") else []
                    proc, url = start_server(script, extra)
                    try:
                        res[name]["cold"].append(visit(browser, url, chart))
                        res[name]["warm"].append(visit(browser, url, chart))
                    finally:
                        stop_server(proc)
        finally:
            browser.close()
    return res


# ============================================================================ report


def machine() -> dict:
    cpu = "?"
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = "?"
    with contextlib.suppress(OSError), open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    versions = {}
    from importlib.metadata import PackageNotFoundError, version

    for pkg in ("streamlit", "pandas", "numpy", "pyarrow", "plotly", "pandera", "playwright"):
        try:
            versions[pkg] = version(pkg)
        except PackageNotFoundError:
            versions[pkg] = "-"
    chromium = "?"
    with contextlib.suppress(Exception):
        chromium = subprocess.run(
            [str(CHROMIUM), "--version"], capture_output=True, text=True, timeout=30
        ).stdout.strip()
    return {
        "nproc": os.cpu_count(),
        "memory": mem,
        "cpu": cpu,
        "python": platform.python_version(),
        "versions": versions,
        "chromium": chromium,
        "loadavg": os.getloadavg(),
    }


def top_functions(prof_path: str, n: int = 12) -> str:
    """The profile's heaviest functions by cumulative and by own time, as text."""
    import pstats

    out = io.StringIO()
    st = pstats.Stats(prof_path, stream=out)
    st.sort_stats("cumulative").print_stats(n)
    by_cum = out.getvalue()
    out2 = io.StringIO()
    pstats.Stats(prof_path, stream=out2).sort_stats("tottime").print_stats(n)

    def body(text: str) -> str:
        lines = text.splitlines()
        start = next((i for i, ln in enumerate(lines) if ln.strip().startswith("ncalls")), 0)
        site = str(Path(sys.prefix) / "lib") + "/"
        stdlib = str(Path(os.__file__).parent) + "/"
        keep = []
        for ln in lines[start:]:
            if ln.strip():
                ln = re.sub(re.escape(site) + r"python3\.\d+/site-packages/", "", ln)
                ln = ln.replace(stdlib, "stdlib/")
                keep.append(ln.replace(str(ROOT) + "/", ""))
        return "\n".join(keep)

    return (
        "By cumulative time:\n```\n"
        + body(by_cum)
        + "\n```\nBy own time:\n```\n"
        + body(out2.getvalue())
        + "\n```"
    )


def project_hotspots(prof_path: str, n: int = 6) -> list[tuple[str, float, float]]:
    """The project's own functions (timeline/*, app.py) by cumulative time."""
    import pstats

    st = pstats.Stats(prof_path)
    rows = []
    for (file, line, func), (_cc, _nc, tt, ct, _callers) in st.stats.items():
        if str(ROOT) in file and "/.venv/" not in file and "/bench/" not in file:
            rel = file.replace(str(ROOT) + "/", "")
            rows.append((f"{rel}:{line}:{func}", ct, tt))
    rows.sort(key=lambda r: -r[1])
    return rows[:n]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="bundled,10000,100000,1000000")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument(
        "--apptest-repeat-max",
        default="1000000:1",
        help="SIZE:N caps the AppTest reruns at N for sizes >= SIZE (it is slow at 1M)",
    )
    ap.add_argument("--apptest-timeout", type=float, default=1500, help="s per AppTest worker")
    ap.add_argument(
        "--apptest-max-size",
        type=int,
        default=None,
        help="skip AppTest above this size (with --merge the earlier AppTest result is kept)",
    )
    ap.add_argument("--tracemalloc-max", type=int, default=100_000, help="largest traced size")
    ap.add_argument("--browser-repeat", type=int, default=None)
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--data-dir", default=str(ROOT / "bench" / "out" / "data"))
    ap.add_argument("--out", default=str(BENCH / "results.md"))
    ap.add_argument(
        "--merge",
        action="store_true",
        help="keep bench/.results.json and replace only the sizes (and browser) measured now",
    )
    ap.add_argument(
        "--report-only", action="store_true", help="rewrite results.md from .results.json"
    )
    ap.add_argument("--worker", nargs=argparse.REMAINDER)
    args = ap.parse_args()

    if args.worker:
        kind, *rest = args.worker
        src = source_hash()
        if kind == "core":
            out = worker_core(rest[0], rest[1] or None, int(rest[2]))
        elif kind == "mem":
            out = worker_mem(rest[0], rest[1] or None, rest[2] == "1")
        elif kind == "apptest":
            out = worker_apptest(rest[0], rest[1] or None, int(rest[2]), rest[3])
        elif kind == "profile":
            out = worker_profile(rest[0], rest[1], rest[2] or None, rest[3])
        else:
            raise SystemExit(f"unknown worker {kind}")
        out["src_start"], out["src_end"] = src, source_hash()
        emit(out)
        return 0

    started = dt.datetime.now(dt.UTC)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    cap_size, cap_n = (int(x) for x in args.apptest_repeat_max.split(":"))
    data_dir = Path(args.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    log = lambda msg: print(f"[{dt.datetime.now():%H:%M:%S}] {msg}", flush=True)  # noqa: E731

    results: dict = {"machine": machine(), "sizes": {}, "generate": {}}
    out = Path(args.out)
    saved = out.parent / f".{out.stem}.json"  # raw numbers beside the report
    if (args.merge or args.report_only) and saved.exists():
        old = json.loads(saved.read_text())
        results["sizes"] = old.get("sizes", {})
        results["generate"] = old.get("generate", {})
        results["runs"] = old.get("runs", [])
        if "browser" in old:
            results["browser"] = old["browser"]
        results["profiles"] = old.get("profiles", [])
        results["machine"]["loadavg_first_run"] = old.get("machine", {}).get("loadavg")
        started = dt.datetime.fromisoformat(old["started"]) if old.get("started") else started
    if args.report_only:
        targets = evaluate(results)
        write_report(args.out, report(results, targets, started, args))
        return 0
    results["started"] = started.isoformat()
    results.setdefault("runs", []).append(
        {
            "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "sizes": args.sizes,
            "repeat": args.repeat,
            "browser": not args.no_browser,
            "src": source_hash(),
            "loadavg": os.getloadavg(),
        }
    )
    paths: dict[str, str] = {}
    for size in sizes:
        if size == "bundled":
            paths[size] = ""
            continue
        path = data_dir / f"events-{int(size)}.csv"
        if args.merge and path.exists() and size in results["generate"]:
            paths[size] = str(path)
            continue
        t0 = time.perf_counter()
        subprocess.run(
            [PY, str(BENCH / "generate.py"), str(int(size)), str(path)],
            check=True,
            timeout=WORKER_TIMEOUT,
        )
        results["generate"][size] = {
            "seconds": time.perf_counter() - t0,
            "bytes": path.stat().st_size,
        }
        paths[size] = str(path)
        log(f"generated {size} rows in {time.perf_counter() - t0:.1f} s")

    def checkpoint() -> None:
        saved.write_text(json.dumps(results, default=str, indent=1))
        write_report(args.out, report(results, evaluate(results), started, args))

    if not args.no_browser:  # first: it needs only the bundled data, and is the shortest
        log("browser: app vs floors")
        try:
            src = source_hash()
            results["browser"] = browser_bench(args.browser_repeat or args.repeat, None)
            results["browser"]["src_start"], results["browser"]["src_end"] = src, source_hash()
        except Exception as err:  # reported, not hidden
            results["browser"] = {"error": repr(err)}
        checkpoint()

    for size in sizes:
        path = paths[size]
        entry: dict = {}
        log(f"{size}: core (load, filter, figures) x{args.repeat}")
        entry["core"] = run_worker(["core", size, path, str(args.repeat)])
        log(f"{size}: memory")
        entry["mem"] = run_worker(["mem", size, path, "0"])
        if size == "bundled" or int(size) <= args.tracemalloc_max:
            entry["mem_traced"] = run_worker(["mem", size, path, "1"])
        n_at = args.repeat
        if size != "bundled" and int(size) >= cap_size:
            n_at = min(n_at, cap_n)
        entry["apptest"] = {}
        if (
            args.apptest_max_size is not None
            and size != "bundled"
            and int(size) > args.apptest_max_size
        ):
            entry["apptest"] = results["sizes"].get(size, {}).get("apptest", {})
            results["sizes"][size] = entry
            checkpoint()
            continue
        for page in ("overview", "timeline_page"):
            log(f"{size}: AppTest {page} x{n_at}")
            entry["apptest"][page] = run_worker(
                ["apptest", size, path, str(n_at), page], timeout=args.apptest_timeout
            )
            entry["apptest"][page]["repeat"] = n_at
        results["sizes"][size] = entry
        checkpoint()

    targets = evaluate(results)
    profiles = []
    if args.merge:  # keep the profiles of sizes not measured again now
        profiles = [p for p in results.get("profiles", []) if p["size"] not in sizes]
    for t in targets:
        if t["met"] is False and t.get("profile"):
            what, size = t["profile"]
            if size not in sizes:
                continue
            log(f"profiling {what} at {size}")
            prof_path = str(data_dir / f"profile-{what.replace(':', '-')}-{size}.prof")
            extra = run_worker(["profile", what, size, paths.get(size, "")] + [prof_path])
            if Path(prof_path).exists():
                profiles.append(
                    {
                        "target": t["name"],
                        "what": what,
                        "size": size,
                        "text": top_functions(prof_path),
                        "hot": project_hotspots(prof_path),
                        "extra": extra,
                    }
                )
            else:
                profiles.append({"target": t["name"], "what": what, "size": size, "extra": extra})
    results["profiles"] = profiles
    saved.write_text(json.dumps(results, default=str, indent=1))
    write_report(args.out, report(results, targets, started, args))
    log(f"wrote {args.out}")
    return 0


def _stat(entry, *keys):
    cur = entry
    for k in keys:
        if not isinstance(cur, dict) or k not in cur:
            return {"n": 0}
        cur = cur[k]
    return summary(cur) if isinstance(cur, list) else {"n": 0}


def _browser_stat(results, app, kind, field):
    runs = (results.get("browser", {}).get(app) or {}).get(kind, [])
    return summary([r.get(field) for r in runs if r.get(field) is not None])


def evaluate(results: dict) -> list[dict]:
    sizes = results["sizes"]
    out = []

    def add(name, value, limit, unit, met, profile=None, note=""):
        out.append(
            {
                "name": name,
                "value": value,
                "limit": limit,
                "unit": unit,
                "met": met,
                "profile": profile,
                "note": note,
            }
        )

    for size, limit in (("bundled", 0.100), ("100000", 0.300)):
        if size in sizes:
            for page in ("overview", "timeline_page"):
                st = _stat(sizes[size], "apptest", page, "rerun")
                med = st.get("median")
                if sizes[size].get("apptest", {}).get(page, {}).get("errors"):
                    add(
                        f"AppTest rerun after a filter change, {page}, {size} (median)",
                        med,
                        limit,
                        "s",
                        None,
                        None,
                        note="invalid: the script raised (code being edited during the run)",
                    )
                    continue
                add(
                    f"AppTest rerun after a filter change, {page}, {size} (median)",
                    med,
                    limit,
                    "s",
                    None if med is None else med <= limit,
                    (f"rerun:{page}", size),
                )
    if "1000000" in sizes:
        jb = sizes["1000000"].get("core", {}).get("json_bytes", {})
        biggest = max(jb.items(), key=lambda kv: kv[1]) if jb else (None, None)
        add(
            f"largest figure JSON at 1M ({biggest[0]})",
            biggest[1],
            1_000_000,
            "B",
            None if biggest[1] is None else biggest[1] <= 1_000_000,
            ("figjson", "1000000"),
            note="default view (all events) and filtered view; every figure is listed below",
        )
        st = _stat(sizes["1000000"], "core", "load")
        med = st.get("median")
        add(
            "load+validate 1M rows (median)",
            med,
            5.0,
            "s",
            None if med is None else med <= 5.0,
            ("load", "1000000"),
        )
    b = results.get("browser", {})
    if "app" in b:
        for kind in ("cold", "warm"):
            a = _browser_stat(results, "app", kind, "first_text").get("median")
            f = _browser_stat(results, "text_floor", kind, "first_text").get("median")
            ratio = a / f if a and f else None
            add(
                f"first text / text floor ({kind})",
                ratio,
                1.3,
                "x",
                None if ratio is None else ratio <= 1.3,
                ("rerun:overview", "bundled") if kind == "warm" else None,
            )
        a = _browser_stat(results, "app", "warm", "first_chart").get("median")
        f = _browser_stat(results, "chart_floor", "warm", "first_chart").get("median")
        ratio = a / f if a and f else None
        add(
            "first chart / chart floor (warm)",
            ratio,
            1.2,
            "x",
            None if ratio is None else ratio <= 1.2,
            ("rerun:overview", "bundled"),
        )
    # one profile per distinct operation is enough; only targets not met get one
    seen = set()
    for t in out:
        if t["met"] is not False:
            t["profile"] = None
        elif t["profile"] in seen:
            t["profile_ref"] = t["profile"]
            t["profile"] = None
        elif t["profile"]:
            seen.add(t["profile"])
    return out


KEPT = re.compile(r"<!-- (\w+) -->.*?<!-- /\1 -->\n?", re.S)


def write_report(path: str, text: str) -> None:
    """Write the report, keeping the sections other benchmarks record in it between
    `<!-- name -->` and `<!-- /name -->` (bench/soak.py's)."""
    old = Path(path).read_text() if Path(path).exists() else ""
    kept = [m.group(0) for m in KEPT.finditer(old)]
    Path(path).write_text(text.rstrip("\n") + "\n" + "".join("\n" + k for k in kept))


def report(results: dict, targets: list[dict], started, args) -> str:
    m = results["machine"]
    sizes = results["sizes"]
    L: list[str] = []
    L.append("# Benchmark results\n")
    L.append(
        f"Run {started:%Y-%m-%d %H:%M} UTC to {dt.datetime.now(dt.UTC):%H:%M} UTC with "
        f"`bench/run.py --sizes {args.sizes} --repeat {args.repeat}`. Each cell: **median "
        "(min–max)** over the repeats; n=1 marks a single measurement. Other jobs may have "
        "shared the machine (load average at the start: "
        + ", ".join(f"{x:.2f}" for x in m["loadavg"])
        + "), so the spread matters as much as the median.\n"
    )
    L.append("## Machine\n")
    L.append(f"- CPU: {m['cpu']}, nproc = {m['nproc']}; memory {m['memory']}")
    L.append(f"- Python {m['python']}; {m['chromium']}")
    L.append("- " + ", ".join(f"{k} {v}" for k, v in m["versions"].items()))
    L.append("")

    if results.get("runs"):
        L.append("## Runs and code measured\n")
        L.append(
            "The code can change between runs of the benchmark, so each "
            "measurement records a sha256 (12 hex) of app.py + timeline/**/*.py at its start "
            "and end; `a→b` means it changed during that measurement.\n"
        )
        for r in results["runs"]:
            L.append(
                f"- {r['at']}: sizes {r['sizes']}, repeat {r['repeat']}, browser "
                f"{'yes' if r['browser'] else 'no'}, code {r['src']}, load average "
                + ", ".join(f"{x:.2f}" for x in r["loadavg"])
            )
        L.append("")
        rows = []
        for size, e in sizes.items():
            for part in ("core", "mem", "mem_traced"):
                if isinstance(e.get(part), dict) and e[part].get("src_start"):
                    rows.append((size, part, e[part]))
            for page, a in e.get("apptest", {}).items():
                if a.get("src_start"):
                    rows.append((size, f"apptest {page}", a))
        if results.get("browser", {}).get("src_start"):
            rows.append(("bundled", "browser", results["browser"]))
        if rows:
            L.append(
                "Code per measurement: "
                + "; ".join(
                    f"{size} {part} {x['src_start']}"
                    + (f"→{x['src_end']}" if x["src_end"] != x["src_start"] else "")
                    for size, part, x in rows
                )
                + "\n"
            )
    L.append("## Targets\n")
    L.append("| target | measured | limit | met |")
    L.append("| --- | --- | --- | --- |")
    for t in targets:
        v = t["value"]
        if v is None:
            shown = "–"
        elif t["unit"] == "s":
            shown = f"{v * 1000:,.0f} ms" if v < 10 else f"{v:,.1f} s"
        elif t["unit"] == "B":
            shown = fmt_bytes(v)
        else:
            shown = f"{v:.2f}x"
        lim = t["limit"]
        lim_s = (
            f"{lim * 1000:,.0f} ms"
            if t["unit"] == "s" and lim < 10
            else f"{lim:,.0f} s"
            if t["unit"] == "s"
            else "1 MB"
            if t["unit"] == "B"
            else f"{lim}x"
        )
        met = (
            (t.get("note") if t.get("note", "").startswith("invalid") else "n/a")
            if t["met"] is None
            else "**met**"
            if t["met"]
            else "**not met**"
        )
        L.append(f"| {t['name']} | {shown} | ≤ {lim_s} | {met} |")
    L.append("")

    L.append("## Synthetic data\n")
    L.append("| rows | file size | generate.py wall time |")
    L.append("| --- | --- | --- |")
    for size, g in results["generate"].items():
        L.append(f"| {int(size):,} | {fmt_bytes(g['bytes'])} | {g['seconds']:.1f} s |")
    L.append("")

    L.append("## (a) Load + validate, (b) filter\n")
    L.append(
        "(a) bundled: `load.load_package()` (all six tables); synthetic: "
        "`load.read_events_file(bytes)`. (b) `query.apply` with categories "
        f"{list(FILTER_CATEGORIES)}, q='armenian', 1988-01-01..2023-12-31, on a "
        "`query.Indexed` kept across repeats as the app keeps it (the first repeat also "
        "explodes the actor and perspective lists).\n"
    )
    L.append("| size | rows loaded | (a) load+validate, ms | (b) filter, ms | rows after filter |")
    L.append("| --- | --- | --- | --- | --- |")
    for size, e in sizes.items():
        c = e.get("core", {})
        if "error" in c:
            L.append(f"| {size} | error: {c['error'][:200]} | | | |")
            continue
        L.append(
            f"| {size} | {c.get('rows', 0):,} | {fmt_s(_stat(e, 'core', 'load'))} | "
            f"{fmt_s(_stat(e, 'core', 'filter'))} | {c.get('filtered_rows', 0):,} |"
        )
    L.append("")

    L.append("## (c) Building figures, (d) figure JSON\n")
    L.append(
        "Build = the chart function; JSON = `fig.to_json()` (time and UTF-8 size). "
        "'(filtered)' is on the events of (b); '(all)' on every event, which is what a page "
        "shows with no filter. Refugees figures exist only for the bundled package.\n"
    )
    L.append("| size | figure | build, ms | to_json, ms | JSON size |")
    L.append("| --- | --- | --- | --- | --- |")
    for size, e in sizes.items():
        c = e.get("core", {})
        for name in c.get("fig", {}):
            L.append(
                f"| {size} | {name} | {fmt_s(summary(c['fig'][name]))} | "
                f"{fmt_s(summary(c['json_time'][name]))} | {fmt_bytes(c['json_bytes'][name])} |"
            )
    L.append("")

    L.append("## (e) Full script rerun (AppTest)\n")
    L.append(
        "`AppTest.from_file('app.py')` (synthetic: `sys.argv = ['app.py', '--data', path]`); "
        "first run (includes loading the data into the cache), then for the Timeline page a "
        "switch_page; then each rerun is "
        "`at.multiselect(key='f_categories').set_value(...).run()`, alternating "
        f"{RERUN_VALUES[0]} and {RERUN_VALUES[1]}, timed.\n"
    )
    L.append("| size | page | first run, s | rerun after filter change, ms | reruns | errors |")
    L.append("| --- | --- | --- | --- | --- | --- |")
    for size, e in sizes.items():
        for page, a in e.get("apptest", {}).items():
            if "error" in a and "rerun" not in a:
                L.append(f"| {size} | {page} | error: {a['error'][:200]} | | | |")
                continue
            first = a.get("first_page") if page != "overview" else a.get("first_run")
            errs = "; ".join(a.get("errors", [])[:2]) or "none"
            L.append(
                f"| {size} | {page} | {first:.2f} | {fmt_s(summary(a['rerun']))} | "
                f"{len(a['rerun'])} | {errs[:200]} |"
            )
    L.append("")

    L.append("## (f) Peak memory\n")
    L.append(
        "One pass load → filter → every figure → JSON in a fresh subprocess: its "
        "`ru_maxrss`, and in a second fresh subprocess the `tracemalloc` peak (Python-level "
        f"allocations, numpy/pandas included; sizes up to {args.tracemalloc_max:,} only, "
        "tracing is slow). Also the maxrss of the whole (a)-(d) worker and of the AppTest "
        "worker.\n"
    )
    L.append(
        "| size | one pass maxrss | tracemalloc peak | (a)-(d) worker maxrss | "
        "AppTest worker maxrss (overview) |"
    )
    L.append("| --- | --- | --- | --- | --- |")
    for size, e in sizes.items():
        L.append(
            f"| {size} | {fmt_bytes(e.get('mem', {}).get('maxrss'))} | "
            f"{fmt_bytes(e.get('mem_traced', {}).get('tracemalloc_peak'))} | "
            f"{fmt_bytes(e.get('core', {}).get('maxrss'))} | "
            f"{fmt_bytes(e.get('apptest', {}).get('overview', {}).get('maxrss'))} |"
        )
    L.append("")

    L.append("## (g) Page load in headless Chromium\n")
    b = results.get("browser")
    if not b:
        L.append("Not run.\n")
    elif "error" in b:
        L.append(f"Error: {b['error']}\n")
    else:
        n = len(b["app"]["cold"])
        L.append(
            "Bundled data. `streamlit run` on a free 127.0.0.1 port per (app, round); cold = "
            "the first visitor of a fresh server, warm = a second visitor (new browser "
            "context) of the same server. Time from `page.goto` to the first `h1` visible "
            "(first text) and to the first `.js-plotly-plot .main-svg` visible (first chart). "
            f"The app and the floors (bench/floors/) alternate in each of {n} rounds, "
            "order rotated per round. Ratios are of medians. `filters_floor` is the chart "
            "floor plus the app's nine sidebar filter widgets and nothing behind them: what the "
            "filters alone cost a page load.\n"
        )
        L.append("| app | visit | first text, ms | first chart, ms | resources | bytes |")
        L.append("| --- | --- | --- | --- | --- | --- |")
        for app in ("app", "text_floor", "chart_floor", "filters_floor"):
            if app not in b:
                continue
            for kind in ("cold", "warm"):
                ft = _browser_stat(results, app, kind, "first_text")
                fc = _browser_stat(results, app, kind, "first_chart")
                res_n = summary([r["resources"] for r in b[app][kind]]).get("median")
                by = summary([r["bytes"] for r in b[app][kind]]).get("median")
                L.append(
                    f"| {app} | {kind} | {fmt_s(ft)} | {fmt_s(fc)} | "
                    f"{res_n if res_n is not None else '–'} | {fmt_bytes(by)} |"
                )
        L.append("")
        L.append("| ratio | cold | warm |")
        L.append("| --- | --- | --- |")
        for label, app, floor, field in (
            ("first text: app / text floor", "app", "text_floor", "first_text"),
            ("first chart: app / chart floor", "app", "chart_floor", "first_chart"),
            ("first text: app / chart floor", "app", "chart_floor", "first_text"),
            (
                "first chart: chart + filters floor / chart floor",
                "filters_floor",
                "chart_floor",
                "first_chart",
            ),
            ("first chart: app / chart + filters floor", "app", "filters_floor", "first_chart"),
        ):
            cells = []
            for kind in ("cold", "warm"):
                a = _browser_stat(results, app, kind, field).get("median")
                f = _browser_stat(results, floor, kind, field).get("median")
                cells.append(f"{a / f:.2f}x" if a and f else "–")
            L.append(f"| {label} | {cells[0]} | {cells[1]} |")
        L.append("")

    L.append("## What limits the targets not met (profiles)\n")
    if not results.get("profiles") and all(t["met"] is not False for t in targets):
        L.append("Every target was met; no profile was needed.\n")
    for t in targets:
        if t["met"] is False and t["name"].startswith("first "):
            ref = t.get("profile_ref") or t.get("profile")
            floor = "text_floor" if t["name"].startswith("first text") else "chart_floor"
            kind = "cold" if "(cold)" in t["name"] else "warm"
            b = results.get("browser", {})

            def med(app, key, kind=kind, b=b):
                return summary([r[key] for r in (b.get(app) or {}).get(kind, [])]).get("median")

            line = (
                f"- *{t['name']}*: browser side, measured: the app page fetches "
                f"{med('app', 'resources'):.0f} resources, {fmt_bytes(med('app', 'bytes'))}, "
                f"against the floor's {med(floor, 'resources'):.0f}, "
                f"{fmt_bytes(med(floor, 'bytes'))} (by the end of the visit)"
            )
            if ref:
                line += (
                    f"; server side: the script itself, profiled as `{ref[0]}` at {ref[1]} "
                    "below (the h1 is sent after app.py's filter and context; the filter "
                    "widgets are sent after the page)"
                )
            if kind == "cold":
                line += "; cold adds the server's first script run: imports and the data load"
            if t["name"].startswith("first chart"):
                fl = _browser_stat(results, "filters_floor", "warm", "first_chart").get("median")
                ch = _browser_stat(results, "chart_floor", "warm", "first_chart").get("median")
                ap_ = _browser_stat(results, "app", "warm", "first_chart").get("median")
                if fl and ch and ap_:
                    line += (
                        "; the sidebar's filter widgets alone, on the chart floor, take its "
                        f"first chart from {ch * 1000:,.0f} to {fl * 1000:,.0f} ms "
                        f"({fl / ch:.2f}x), so the filters use {(fl - ch) / (0.2 * ch):.0%} of "
                        "the 20% allowance; the app is "
                        f"{ap_ / fl:.2f}x that floor (its Overview's several elements, "
                        "navigation and a larger figure)"
                    )
            L.append(line + ".\n")
        elif t["met"] is False and t.get("profile_ref"):
            what, size = t["profile_ref"]
            L.append(
                f"- *{t['name']}*: limited by the same operation as the profile of `{what}` at "
                f"{size} below.\n"
            )
    for p in results.get("profiles", []):
        L.append(f"### {p['target']}\n")
        L.append(f"cProfile of `{p['what']}` at size {p['size']}.\n")
        if p.get("hot"):
            L.append("The project's own functions, by cumulative time:\n")
            L.append("| function | cumulative s | own s |")
            L.append("| --- | --- | --- |")
            for name, ct, tt in p["hot"]:
                L.append(f"| `{name}` | {ct:.3f} | {tt:.3f} |")
            L.append("")
        parts = (p.get("extra") or {}).get("parts")
        if parts:
            L.append("Where the JSON bytes are (default view, every event):\n")
            L.append("| figure | total | layout | biggest traces (type, name, points, bytes) |")
            L.append("| --- | --- | --- | --- |")
            for name, part in parts.items():
                top = sorted(part["traces"], key=lambda t: -t["bytes"])[:3]
                tops = "; ".join(
                    f"{t['type']} {t['name']!r} {t['points']:,} pts {fmt_bytes(t['bytes'])}"
                    for t in top
                )
                L.append(
                    f"| {name} | {fmt_bytes(part['total'])} | {fmt_bytes(part['layout'])} | "
                    f"{tops} |"
                )
            L.append("")
        if p.get("text"):
            L.append("<details><summary>cProfile top functions</summary>\n")
            L.append(p["text"])
            L.append("\n</details>\n")
        if (p.get("extra") or {}).get("error"):
            L.append(f"Profile error: {p['extra']['error']}\n")
    return "\n".join(L) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
