"""The dashboard's pages, declared once: app.py, the tests and scripts/screenshots.py read it.

A page is a module here with a `render(ctx)` function, run by st.navigation; adding one is an
entry in `PAGES` and its module (CONTRIBUTING.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from timeline.publish import SITE as SITE_TITLE

SHORT_TITLE = "Nagorno-Karabakh timeline"


@dataclass(frozen=True)
class PageSpec:
    url_path: str
    """Its address (`/timeline`); the first page is also served at `/`."""
    title: str
    module: str
    """Its file in timeline/pages/, without `.py`."""
    icon: str

    @property
    def path(self) -> str:
        """The script st.navigation runs, relative to app.py."""
        return f"timeline/pages/{self.module}.py"

    @property
    def tab_title(self) -> str:
        """The browser tab's title (`<title>`): the site's on the first page, else the page's."""
        return SITE_TITLE if self is PAGES[0] else f"{self.title} · {SHORT_TITLE}"


PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview", "Overview", "overview", ":material/dashboard:"),
    PageSpec("timeline", "Timeline", "timeline_page", ":material/timeline:"),
    PageSpec("stories", "Stories", "stories_page", ":material/auto_stories:"),
    PageSpec("refugees", "Refugees & displacement", "refugees", ":material/directions_walk:"),
    PageSpec("human-cost", "The human cost", "human_cost", ":material/monitor_heart:"),
    PageSpec("perspectives", "Perspectives", "perspectives", ":material/forum:"),
    PageSpec("map", "Map", "map_page", ":material/map:"),
    PageSpec("sources", "Sources", "sources_page", ":material/menu_book:"),
    PageSpec("data", "Your data", "data_page", ":material/upload_file:"),
)
DEFAULT = PAGES[0]
