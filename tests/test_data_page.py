"""Bring your own timeline: upload, session isolation, bad files, exports (AppTest)."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline import load

from .conftest import FIXTURE_DATA, ROOT
from .test_load import TIMELINEJS
from .test_pages import app, count

OURS = f"**{len(load.load_package(FIXTURE_DATA).events):,} events**"
"""The count line of the data the app ships (the fixture package stands in for data/)."""


@pytest.fixture(autouse=True)
def fixture_data(monkeypatch):
    monkeypatch.setattr(load, "DATA_DIR", FIXTURE_DATA)


HOSTILE = (
    "id,start_date,title,summary,media,media_credit\n"
    "x1,2021-05-01,<script>alert(1)</script>,"
    '"<img src=x onerror=alert(2)> **bold** [a](javascript:alert(3))",'
    "javascript:alert(4),=cmd|' /C calc'!A0\n"
)


def upload(at, name: str, data: bytes):
    at.file_uploader(key="upload").upload(name, data, "text/csv").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_timelinejs_upload_replaces_the_events_for_this_session_only():
    at = app(page="data_page")
    other = app(page="data_page")
    upload(at, "newsroom.csv", TIMELINEJS.encode("utf-8"))
    assert count(at).startswith("**2 events**")
    assert any("Showing your file newsroom" in i.value for i in at.info)
    assert count(other.run()).startswith(OURS)
    at.switch_page("timeline/pages/overview.py").run()
    assert at.title[0].value == "Our newsroom timeline"
    at.switch_page("timeline/pages/timeline_page.py").run()
    assert not at.exception
    at.button(key="banner_back").click().run()
    assert count(at).startswith(OURS)


def test_bad_file_lists_problems_and_keeps_the_bundled_data():
    at = app(page="data_page")
    bad = b"id,start_date,title\nok,1990,Fine\nbad,1990-13,Broken\nok,1991,Twice\n"
    upload(at, "class.csv", bad)
    shown = " ".join(c.value for c in at.code)
    assert "class.csv:3: start_date: not a date" in shown
    assert "class.csv:4: id: duplicate id 'ok'" in shown
    assert count(at).startswith(OURS)
    at.button(key="use_valid_rows").click().run()
    assert count(at).startswith("**1 event**")


def test_unreadable_upload_says_why():
    at = app(page="data_page")
    upload(at, "photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00")
    assert "this is not a text file" in " ".join(c.value for c in at.code)
    assert count(at).startswith(OURS)


def test_oversized_upload_is_refused_with_a_message():
    at = app(page="data_page")
    limit = 20 * 1024 * 1024
    upload(at, "huge.csv", b"id,start_date,title\n" + b"a" * (limit + 1))
    assert "larger than 20 MB" in " ".join(c.value for c in at.code)
    assert count(at).startswith(OURS)


def test_hostile_text_stays_inert():
    at = app(page="data_page")
    upload(at, "hostile.csv", HOSTILE.encode("utf-8"))
    at.session_state["event"] = "x1"
    at.switch_page("timeline/pages/timeline_page.py").run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "\\<script\\>alert\\(1\\)" in text
    assert "**Sources**" not in text
    assert re.search(r"(?<!\\)[<\[]", text) is None, "an unescaped < or [ reached markdown"
    assert "(javascript:alert(4))" not in text
    assert "**Media:**" in text


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.binary(max_size=400))
def test_any_upload_leaves_the_page_working(data):
    at = app(page="data_page")
    upload(at, "random.csv", data)
    assert count(at)


def test_exports_stay_inert():
    from timeline import exports, load

    events = load.read_events_file(HOSTILE.encode("utf-8"), "h.csv").events
    sheet = load.to_timelinejs(events)
    assert sheet.loc[0, "Headline"] == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert "<img" not in sheet.loc[0, "Text"]
    assert sheet.loc[0, "Media"] is None or sheet.isna().loc[0, "Media"]
    ours = exports.neutralised_csv(events).decode("utf-8")
    assert "\"'=cmd|' /C calc'!A0\"" in ours or "'=cmd" in ours
    assert ",=cmd" not in ours


def test_a_corrected_file_with_the_same_name_and_row_count_replaces_the_old_one():
    at = app(page="data_page")
    upload(at, "mine.csv", b"id,start_date,title\na,1990,Frist title\nb,1991,Second\n")
    at.switch_page("timeline/pages/timeline_page.py").run()
    assert "Frist title" in list(at.dataframe[0].value["Title"])
    at.switch_page("timeline/pages/data_page.py").run()
    upload(at, "mine.csv", b"id,start_date,title\na,1990,First title\nb,1991,Second\n")
    at.switch_page("timeline/pages/timeline_page.py").run()
    titles = list(at.dataframe[0].value["Title"])
    assert "First title" in titles and "Frist title" not in titles


def test_header_only_and_empty_files_are_named_and_keep_the_bundled_data():
    at = app(page="data_page")
    upload(at, "header.csv", b"id,start_date,title\n")
    assert "header.csv:2: -: the file has a header but no rows of events" in at.code[0].value
    assert count(at).startswith(OURS)
    assert any("No row could be read" in i.value for i in at.info)
    upload(at, "blank.csv", b"\n\n")
    assert "blank.csv:1: -: the file is empty" in at.code[0].value
    assert count(at).startswith(OURS)


def test_the_limit_is_stated_and_the_browser_is_given_it():
    import tomllib

    from timeline import ui

    at = app(page="data_page")
    uploader = at.get("file_uploader")[0].proto
    assert f"up to {ui.UPLOAD_LIMIT_MB} MB" in uploader.label
    assert uploader.max_upload_size_mb == ui.UPLOAD_LIMIT_MB, "the browser refuses larger files"
    assert any("split it" in c.value for c in at.caption), "what to do is said under it"
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    server_limit = config["server"]["maxUploadSize"]
    assert ui.UPLOAD_LIMIT_MB < server_limit <= ui.UPLOAD_LIMIT_MB + 1, "a 20 MB file still fits"


def test_a_file_the_server_no_longer_holds_is_said_on_the_page():
    at = app(page="data_page")
    upload(at, "mine.csv", b"id,start_date,title\na,1990,One\n")
    assert at.query_params["file"] in ("mine.csv", ["mine.csv"])
    # the server restarted: a new session opens the same address
    again = app({"file": "mine.csv"}, page="timeline_page")
    shown = " ".join(w.value for w in again.warning)
    assert "mine\\.csv" in shown and "no longer holds" in shown
    assert count(again).startswith(OURS)
    assert "file" not in again.query_params
    again.button(key="lost_back").click().run()
    assert not again.warning


def test_charts_of_a_visitors_file_are_not_kept_in_the_shared_store():
    """The store of published charts is shared and outlives every session: a chart of a
    visitor's own file is published for that run only."""
    from timeline import ui

    at = app(page="data_page")
    # what the bundled data's pages published before the upload (the first page run does)
    published = set(ui._PUBLISHED)
    rows = "\n".join(f"e{i},19{10 + i % 80},Event number {i}" for i in range(300))
    upload(at, "mine.csv", f"id,start_date,title\n{rows}\n".encode())
    for page in ("timeline_page", "overview", "map_page"):
        at.switch_page(f"timeline/pages/{page}.py").run()
        assert not at.exception
    assert count(at).startswith("**300 events**")
    assert set(ui._PUBLISHED) <= published


def test_a_file_dropped_on_a_disconnect_is_said_on_the_page():
    """A session's file is released when its tab disconnects (Streamlit's session-scoped
    cache); a tab that reconnects is told so, and shows the bundled data."""
    at = app(page="data_page")
    upload(at, "mine.csv", b"id,start_date,title\na,1990,One\n")
    assert count(at).startswith("**1 event**")
    at.session_state["_data_token"] = "after a disconnect"  # the store Streamlit dropped
    at.switch_page("timeline/pages/timeline_page.py").run()
    shown = " ".join(w.value for w in at.warning)
    assert "mine\\.csv" in shown and "no longer holds" in shown
    assert count(at).startswith(OURS)
    at.button(key="lost_back").click().run()
    assert not at.warning and count(at).startswith(OURS)
