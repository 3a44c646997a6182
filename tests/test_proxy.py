"""Two replicas behind Debian's nginx, as deploy/nginx.conf sets them up: a browser uploads a
file and downloads an export through the proxy, and each browser stays on one replica."""

from __future__ import annotations

import os
import shutil

import pytest

from .serve import CHROMIUM, FLAGS, settle

if not shutil.which("nginx") and not os.path.exists("/usr/sbin/nginx"):
    if os.environ.get("CI"):
        pytest.fail("nginx is installed by the README's test command")
    pytest.skip("nginx is installed by the README's test command", allow_module_level=True)
if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip("Chromium is installed by the README's test command", allow_module_level=True)

from playwright.sync_api import expect, sync_playwright  # noqa: E402

from deploy import replicas  # noqa: E402

OURS = (
    "id,start_date,title,summary,category\n"
    "proxy-test-1,2001-02-03,Through the proxy,First row,political\n"
    "proxy-test-2,2001-02-04,Second row through the proxy,Second row,military\n"
)


@pytest.fixture(scope="module")
def cluster():
    c = replicas.start(2)
    yield c
    replicas.stop(c)


def test_upload_and_export_through_nginx_with_two_replicas(cluster, tmp_path):
    events = tmp_path / "mine.csv"
    events.write_text(OURS, encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            for _ in range(2):  # two visitors with their own cookies
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                page = context.new_page()
                page.goto(f"{cluster.url}/data")
                page.locator("input[type='file']").set_input_files(str(events))
                expect(page.get_by_text("Showing your file").first).to_be_visible(timeout=90_000)
                expect(page.get_by_text("2 events", exact=True).first).to_be_visible()
                button = page.get_by_role("button", name="Download CSV").first
                expect(button).to_be_visible(timeout=60_000)
                settle(page)
                with page.expect_download(timeout=60_000) as info:
                    button.click()
                exported = info.value.path().read_text(encoding="utf-8")
                assert "Through the proxy" in exported
                assert "Second row through the proxy" in exported
                context.close()
        finally:
            browser.close()

    routes = cluster.routes()
    uploads = [r for r in routes if r[2] in {"POST", "PUT"} and "upload_file" in r[3]]
    streams = [r for r in routes if r[3].endswith("/_stcore/stream")]
    assert uploads, "no upload went through nginx"
    assert streams, "no websocket went through nginx"
    by_route = {}
    for route, upstream, *_ in streams + uploads:
        by_route.setdefault(route, set()).add(upstream)
    # each visitor's websocket and uploads reached one replica only
    assert all(len(upstreams) == 1 for upstreams in by_route.values()), by_route
