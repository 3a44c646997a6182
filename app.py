"""Entry point: page config, data choice, navigation, then the shared sidebar filters."""

from __future__ import annotations

import argparse
import sys

import streamlit as st

from timeline import ui
from timeline.pages import DEFAULT, PAGES, SITE_TITLE

st.set_page_config(page_title=SITE_TITLE, page_icon="🗓️", layout="wide")

parser = argparse.ArgumentParser(add_help=False)
parser.add_argument("--data")
args, _ = parser.parse_known_args(sys.argv[1:])

pages = {
    spec: st.Page(
        spec.path,
        title=spec.title,
        icon=spec.icon,
        # the default page is served at "/"; its own address is kept below as an alias
        url_path="" if spec is DEFAULT else spec.url_path,
        default=spec is DEFAULT,
    )
    for spec in PAGES
}


def _to_default() -> None:
    """`/overview` (the default page's own address) opens it instead of "Page not found"."""
    st.switch_page(pages[DEFAULT], query_params=ui.url_params())


alias = st.Page(_to_default, title=DEFAULT.title, url_path=DEFAULT.url_path, visibility="hidden")


def main() -> None:
    """In a function, so that nothing of a session's data stays in the script's module
    namespace (Streamlit keeps the last run's `__main__`) after its run."""
    page = st.navigation([*pages.values(), alias])
    spec = next((s for s, p in pages.items() if p is page), DEFAULT)
    st.set_page_config(page_title=spec.tab_title)
    ready = False
    with ui.error_boundary("the data"):
        package, data_messages = ui.package_for(args.data)
        view, notices = ui.view_from_state(package)
        ui.set_context(ui.context(package, view))
        ui.show_notices(notices, data_messages, package)
        ready = True
    if ready:
        try:
            with ui.error_boundary("this page"):
                page.run()
            ui.footer()
        finally:
            # drawn after the page so its words and first chart arrive first; in `finally` so a
            # page that stops early (a rerun) still keeps every filter's state
            with ui.error_boundary("the filters"):
                ui.filters(package)


main()
