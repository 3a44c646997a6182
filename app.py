"""Entry point: page config, data choice, navigation, then the shared sidebar filters."""

from __future__ import annotations

import argparse
import sys

import streamlit as st

from timeline import ui

st.set_page_config(
    page_title="Nagorno-Karabakh: a sourced timeline",
    page_icon="🗓️",
    layout="wide",
)

parser = argparse.ArgumentParser(add_help=False)
parser.add_argument("--data")
args, _ = parser.parse_known_args(sys.argv[1:])

PAGES = [
    st.Page("timeline/pages/overview.py", title="Overview", url_path="overview", default=True),
    st.Page("timeline/pages/timeline_page.py", title="Timeline", url_path="timeline"),
    st.Page("timeline/pages/refugees.py", title="Refugees & displacement", url_path="refugees"),
    st.Page("timeline/pages/perspectives.py", title="Perspectives", url_path="perspectives"),
    st.Page("timeline/pages/map_page.py", title="Map", url_path="map"),
    st.Page("timeline/pages/sources_page.py", title="Sources", url_path="sources"),
    st.Page("timeline/pages/data_page.py", title="Your data", url_path="data"),
]


def main() -> None:
    """In a function, so that nothing of a session's data stays in the script's module
    namespace (Streamlit keeps the last run's `__main__`) after its run."""
    page = st.navigation(PAGES)
    ready = False
    with ui.error_boundary("the data"):
        package, data_messages = ui.package_for(args.data)
        view, notices = ui.view_from_state(package)
        st.session_state["_context"] = ui.context(package, view)
        ui.show_notices(notices, data_messages, package)
        ready = True
    if ready:
        try:
            with ui.error_boundary("this page"):
                page.run()
        finally:
            # drawn after the page so its words and first chart arrive first; in `finally` so a
            # page that stops early (a rerun) still keeps every filter's state
            with ui.error_boundary("the filters"):
                ui.filters(package)


main()
