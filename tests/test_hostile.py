"""No input speaks in our voice: text from a link, a file or the data stays inert everywhere.

Every element Streamlit renders as markdown (text, captions, titles, toasts, alerts, expander
and widget labels, help tooltips, metrics) is walked after hostile input went in through each
door: every URL parameter, a TimelineJS title row, an uploaded file's titles, summaries, actors
and file name. The browser test checks the rendered page itself.
"""

from __future__ import annotations

import csv
import io
import re
import weakref

import pytest
from streamlit.testing.v1 import AppTest

from timeline import text

from .conftest import ROOT
from .test_pages import app

EVIL = "evil.example"
PAYLOAD = (
    f"![t](https://{EVIL}/p.png) [click](https://{EVIL}/x) <img src=x onerror=alert(1)> "
    f"<b>bold</b> :red[RED] :blue-background[BG] $E=mc^2$ $$x$$ https://{EVIL}/bare "
    f"www.{EVIL} mail@{EVIL}"
)
SNIPPETS = [  # each within the 40 characters a notice echoes
    f"![t](https://{EVIL}/p.png)",
    f"[click](https://{EVIL}/x)",
    "<img src=x onerror=alert(1)><b>B</b>",
    ":red[RED] :blue-background[BG]",
    "$E=mc^2$ $$x$$",
    f"https://{EVIL}/bare",
    f"mail@{EVIL} www.{EVIL}",
]
MARKDOWN_FIELDS = ("body", "label", "help", "caption", "placeholder")
PAGES = [
    "overview",
    "timeline_page",
    "refugees",
    "perspectives",
    "map_page",
    "sources_page",
    "data_page",
]


def rendered_texts(at) -> list[str]:
    """Every string of the page that Streamlit renders as markdown."""
    found = []
    for node in at._tree:
        proto = getattr(node, "proto", None)
        if proto is None or not hasattr(proto, "ListFields"):
            continue
        for field, value in proto.ListFields():
            if field.name in MARKDOWN_FIELDS and isinstance(value, str):
                found.append(value)
    return found


def problems_in(markdown: str) -> list[str]:
    """What in this markdown source would make hostile text act: unescaped syntax or an
    address the autolinker would turn into a link."""
    bad = []
    if re.search(r"(?<!\\)\]\([^)]*" + re.escape(EVIL), markdown):
        bad.append("a link or image to the attacker's host")
    if re.search(r"(?<!\\)<", markdown):
        bad.append("raw HTML")
    if re.search(r"(?<!\\):(red|blue-background)\[", markdown):
        bad.append("a colour directive")
    if re.search(r"(?<!\\)\$", markdown):
        bad.append("LaTeX")
    plain = markdown.replace("\\", "")
    for bare in (f"://{EVIL}", f"www.{EVIL}", f"mail@{EVIL}"):
        if bare in plain:
            bad.append(f"an address the autolinker would link: {bare}")
    return bad


def as_read(markdown: str) -> str:
    return markdown.replace("\\", "").replace(text.JOINER, "")


def assert_inert(at, where: str, hostile: str = PAYLOAD) -> None:
    assert not at.exception, [e.value for e in at.exception]
    texts = rendered_texts(at)
    shown = [t for t in texts if hostile[:40] in as_read(t)]
    assert shown, f"{where}: the hostile text did not reach the page, so nothing was tested"
    for t in texts:
        assert not problems_in(t), (where, problems_in(t), t)


def test_md_makes_every_construct_inert():
    escaped = text.md(PAYLOAD)
    assert problems_in(escaped) == []
    assert text.md(None) == "" and text.md(float("nan")) == ""
    assert text.link("x", "javascript:alert(1)") == "x"
    assert text.link("a [b]", "https://example.org/a(b)") == (
        "[a \\[b\\]](https://example.org/a%28b%29)"
    )


def test_checker_sees_each_construct():
    """The checks above would fail on unescaped input (they are not vacuous)."""
    assert len(problems_in(PAYLOAD)) == 7


@pytest.mark.parametrize("hostile", SNIPPETS)
def test_every_link_parameter_is_echoed_inert(hostile):
    keys = ["from", "to", "category", "actor", "place", "perspective", "support", "q"]
    params = {key: hostile for key in keys} | {"event": hostile, "names": hostile}
    params[hostile] = "1"
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page("timeline/pages/timeline_page.py").run()
    toasts = [t.value for t in at.toast]
    assert len(toasts) >= 10, "every parameter's notice is shown as a toast"
    assert_inert(at, "link parameters", hostile)


def own_file() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "start_date", "title", "summary", "actors", "category"])
    writer.writerow(["x1", "2023-09-20", PAYLOAD, PAYLOAD, f"{PAYLOAD};UN", "humanitarian"])
    writer.writerow(
        ["2022-12-12-lachin-corridor-blockade", "2022-12-12", PAYLOAD, "", "", "humanitarian"]
    )
    return out.getvalue().encode("utf-8")


def uploaded(name: str, data: bytes, page: str = "data_page", **params):
    at = app(params or None, page="data_page")
    at.file_uploader(key="upload").upload(name, data, "text/csv").run()
    assert not at.exception, [e.value for e in at.exception]
    if page != "data_page":
        at.switch_page(f"timeline/pages/{page}.py").run()
    return at


@pytest.mark.parametrize("page", PAGES)
def test_uploaded_titles_summaries_and_actors_are_inert(page):
    at = uploaded(f"{PAYLOAD[:40]}.csv", own_file(), page)
    at.session_state["event"] = "x1"
    at.run()
    if page == "overview":
        labels = [e.label for e in at.expander]
        assert any("RED" in label for label in labels), labels
    assert_inert(at, page)


def test_timelinejs_title_row_is_not_markdown_in_the_overview_heading():
    sheet = (
        "Year,Month,Day,Headline,Text,Type\n"
        f',,,"{PAYLOAD}",,title\n'
        f'2020,9,27,"{PAYLOAD}","{PAYLOAD}",\n'
    )
    at = uploaded("sheet.csv", sheet.encode("utf-8"), "overview")
    assert "RED" in at.title[0].value
    assert_inert(at, "overview title")


def test_the_crafted_link_of_the_issue_is_inert_in_the_toast():
    at = app({"category": "![t](https://example.org/p.png)"})
    toast = " ".join(t.value for t in at.toast)
    assert "p.png" in toast.replace("\\", "")
    assert re.search(r"(?<!\\)!\[|(?<!\\)\]\(", toast) is None, toast


HOSTILE_DOM = """() => {
  const evil = (v) => {
    try {
      const u = new URL(v, location.href);
      return u.protocol === 'mailto:' || u.hostname.endsWith('evil.example');
    } catch (e) {
      return false;
    }
  };
  const text = document.body.innerText;
  return {
    images: [...document.images].filter((i) => evil(i.src)).length,
    links: [...document.links].filter((a) => evil(a.href)).length,
    injected: document.querySelectorAll('.stMarkdown b, .stMarkdown img[src="x"]').length,
    katex: document.querySelectorAll('.katex, .katex-display').length,
    coloured: [...document.querySelectorAll('span')].filter(
      (s) => s.textContent.trim() === 'RED' || s.textContent.trim() === 'BG'
    ).length,
    shown: (text.match(/:red\\[RED\\]/g) || []).length,
  };
}"""


def _dom_is_inert(page, where: str) -> None:
    found = page.evaluate(HOSTILE_DOM)
    assert found["shown"], f"{where}: the hostile text is not on the page"
    assert {k: v for k, v in found.items() if k != "shown"} == {
        "images": 0,
        "links": 0,
        "injected": 0,
        "katex": 0,
        "coloured": 0,
    }, (where, found)


def test_hostile_text_is_inert_in_the_browser(tmp_path):
    from urllib.parse import urlencode

    from .serve import CHROMIUM, FLAGS, settle, start_server, stop_server

    if not CHROMIUM.exists():
        pytest.skip("Chromium is installed by the README's test command")
    from playwright.sync_api import sync_playwright

    mine = tmp_path / "mine.csv"
    mine.write_bytes(own_file())
    proc, url = start_server()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            params = {"category": SNIPPETS[3], "actor": SNIPPETS[0], "place": SNIPPETS[1]}
            params |= {"event": SNIPPETS[4], "support": SNIPPETS[2], "q": SNIPPETS[6]}
            page.goto(f"{url}/timeline?" + urlencode(params))
            settle(page)
            page.get_by_text("Ignored the unknown category").first.wait_for()
            _dom_is_inert(page, "link parameters (toast and caption)")
            page.goto(f"{url}/data")
            settle(page)
            page.locator("input[type='file']").set_input_files(str(mine))
            page.get_by_text("Showing your file").first.wait_for(timeout=60_000)
            settle(page)
            page.get_by_role("link", name="Overview").click()
            settle(page)
            page.get_by_text("RED", exact=False).first.click()
            settle(page)
            _dom_is_inert(page, "uploaded file on the Overview")
            browser.close()
    finally:
        stop_server(proc)


def test_timelinejs_export_escapes_every_text_cell():
    from timeline import exports, load

    data = (
        b"id,start_date,title,display_date,media,media_credit,category\n"
        b'x1,2021-05-01,T,"<b>d</b>",https://example.org/a.jpg,'
        b'"<img src=x onerror=alert(1)>",<i>cat</i>\n'
    )
    events = load.read_events_file(data, "h.csv").events
    base = load.load_package()
    sheet = exports.timelinejs_sheet(events, base)
    row = sheet.iloc[-1]
    assert row["Media Credit"] == "&lt;img src=x onerror=alert(1)&gt;"
    assert row["Display Date"] == "&lt;b&gt;d&lt;/b&gt;"
    assert row["Group"] == "&lt;i&gt;cat&lt;/i&gt;"
    assert row["Media"] == "https://example.org/a.jpg"
    assert "<" not in exports.timelinejs_csv(events, base).decode("utf-8")


def test_a_download_keeps_no_session_data_alive():
    """The bytes are built at the click from the session's package, as Streamlit does it:
    outside any session's run (ui.selected must not put the rows in the shared caches then);
    once the session's package is gone, the button holds nothing of it (the leak: 170 MB per
    session)."""
    import gc

    from timeline import exports, load, query, ui

    user = load.read_events_file(own_file(), "mine.csv")
    package = load.package_with_events(load.load_package(), user)
    view = query.View(categories=("humanitarian",), names="azerbaijani")
    button = exports.OnDemand("csv", package, view, ui.selected)
    built = button().decode("utf-8")
    assert built.count("\n") == 3 and "lachin" in built
    assert exports.OnDemand("tj", package, view, lambda p, v: p.events)().startswith(b"Year,")
    alive = [weakref.ref(package), weakref.ref(package.events), weakref.ref(user.events)]
    del package, user
    gc.collect()
    assert [ref() is None for ref in alive] == [True, True, True]
    assert button() == exports.GONE


def every_text(at) -> str:
    return " ".join(rendered_texts(at) + [c.value for c in at.code])


def test_an_error_in_a_page_shows_our_message_not_a_traceback(monkeypatch):
    import streamlit

    from timeline import stats

    def broken(events):
        raise RuntimeError("boom in /srv/secret/timeline/stats.py")

    monkeypatch.setattr(stats, "september_2023", broken)
    streamlit.cache_resource.clear()  # the Overview caches its day list per data and view
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    assert "Something went wrong while drawing this page" in at.error[0].value
    assert "/srv/secret" not in every_text(at) and "Traceback" not in every_text(at)
    assert at.text_input(key="f_q").value == "", "the filters are still drawn"
    at.switch_page("timeline/pages/timeline_page.py").run()
    assert not at.error, "other pages still work"


@pytest.mark.parametrize("kind", ["directory", "bad file", "missing"])
def test_the_data_path_is_shown_by_file_name_only(tmp_path, monkeypatch, kind):
    import sys

    secret = tmp_path / "srv-secret"
    secret.mkdir()
    target = secret / "mine.csv"
    if kind == "directory":
        target.mkdir()
    elif kind == "bad file":
        target.write_text("id,start_date,title\nok,1990,Fine\nbad,1990-13,Broken\n")
    monkeypatch.setattr(sys, "argv", ["app.py", "--data", str(target)])
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception, [e.value for e in at.exception]
    shown = every_text(at)
    assert f"{target.name}:" in shown
    assert str(secret) not in shown and "srv\\-secret" not in shown


def test_a_huge_figure_in_an_upload_does_not_crash_the_page():
    data = b"id,start_date,title,deaths_low\nx1,2020-10-01,Big,100000000000000000000\n"
    at = uploaded("big.csv", data)
    assert not at.exception, [e.value for e in at.exception]
    assert "Traceback" not in every_text(at)
    assert "big.csv:" in " ".join(c.value for c in at.code), "the file is named"
    at.switch_page("timeline/pages/timeline_page.py").run()
    assert not at.exception and not at.error


def test_an_upload_is_read_apart_and_within_budgets():
    from timeline import load, sandbox

    good = own_file()
    apart = sandbox.read_events_file(good, "mine.csv")
    here = load.read_events_file(good, "mine.csv")
    assert list(apart.events["title"]) == list(here.events["title"])
    assert apart.problems == here.problems

    wide = (",".join(f"c{i}" for i in range(100_000)) + "\n").encode()
    refused = sandbox.read_events_file(wide, "wide.csv", cpu_seconds=3)
    assert refused.events.empty
    assert [p.file for p in refused.problems] == ["wide.csv"]

    rows = "".join(f"e{i},2020-01-01,Event {i}\n" for i in range(100_000))
    large = f"id,start_date,title\n{rows}".encode()  # 2.7 MB: any copy needs fresh pages
    starved = sandbox.read_events_file(large, "mine.csv", memory_mb=300)
    assert starved.events.empty
    assert "needed more than 300 MB" in str(starved.problems[0])
